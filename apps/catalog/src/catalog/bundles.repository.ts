import { Injectable } from '@nestjs/common';
import type { CreateBundleRequest, ListBundlesRequest } from '@steward/contracts';
import { idCursor, returnedRows, type Tx } from '@steward/persistence';

/** A bundle as stored; its price is computed from the component plans' current versions on every read. */
export interface BundleRow {
  id: string;
  code: string;
  name: { en: string; 'zh-CN': string };
  industry: string;
  description: { en: string; 'zh-CN': string } | null;
  currency: string;
  discount: { percent: number } | { amount: number };
  status: 'draft' | 'active' | 'retired';
  components: Array<{ planId: string; seats: number }>;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `b.id, b.code, b.name, b.industry, b.description, b.currency, b.discount, b.status, b.created_at AS "createdAt", b.updated_at AS "updatedAt",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('planId', c.plan_id, 'seats', c.seats) ORDER BY c.position), '[]') FROM catalog.bundle_components c WHERE c.bundle_id = b.id) AS components`;

/** Named queries on `catalog.bundles` and their components. */
@Injectable()
export class BundlesRepository {
  async insert(tx: Tx, b: Omit<CreateBundleRequest, 'components'> & { id: string; at: Date; components: Array<{ planId: string; seats: number }> }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.bundles (id, tenant_id, code, name, industry, description, currency, discount, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [b.id, tx.scope.tenantId, b.code, JSON.stringify(b.name), b.industry, b.description ? JSON.stringify(b.description) : null, b.currency, JSON.stringify(b.discount), b.at],
    );
    await tx.query(
      `INSERT INTO catalog.bundle_components (bundle_id, position, tenant_id, plan_id, seats)
       SELECT $1, u.position, $2, u.plan_id, u.seats FROM unnest($3::int[], $4::uuid[], $5::int[]) AS u(position, plan_id, seats)`,
      [b.id, tx.scope.tenantId, b.components.map((_, i) => i), b.components.map((c) => c.planId), b.components.map((c) => c.seats)],
    );
  }

  async find(tx: Tx, id: string, lock = false): Promise<BundleRow | null> {
    const [row]: BundleRow[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.bundles b WHERE b.id = $1 ${lock ? 'FOR UPDATE OF b' : ''}`, [id]);
    return row ?? null;
  }

  async list(tx: Tx, q: ListBundlesRequest): Promise<BundleRow[]> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    return tx.query(
      `SELECT ${COLUMNS} FROM catalog.bundles b WHERE ($2::uuid IS NULL OR b.id > $2) AND ($3::text IS NULL OR b.status = $3) AND ($4::text IS NULL OR b.industry = $4)
       ORDER BY b.id LIMIT $1`,
      [q.limit + 1, after, q.status ?? null, q.industry ?? null],
    );
  }

  async setStatus(tx: Tx, id: string, status: 'active' | 'retired', at: Date): Promise<void> {
    returnedRows(await tx.query(`UPDATE catalog.bundles SET status = $2, updated_at = $3 WHERE id = $1 RETURNING id`, [id, status, at]));
  }
}
