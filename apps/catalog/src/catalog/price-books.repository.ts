import { Injectable } from '@nestjs/common';
import type { ListPriceBookRequest, PriceBookEntryDto, Pricing } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';

const COLUMNS = `id, plan_id AS "planId", plan_version_id AS "planVersionId", partner_id AS "partnerId", partner_kind AS "partnerKind", pricing, created_at AS "createdAt", updated_at AS "updatedAt"`;
type Row = Omit<PriceBookEntryDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: Row): PriceBookEntryDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** Named queries on `catalog.price_book_entries`. A partner's transaction sees only its own entries and its kind's. */
@Injectable()
export class PriceBooksRepository {
  /** One entry per (version, partner) or (version, partner kind): setting it again replaces the price. */
  async upsert(tx: Tx, e: { id: string; planId: string; planVersionId: string; partnerId: string | null; partnerKind: string | null; pricing: Pricing; at: Date }): Promise<PriceBookEntryDto> {
    const target = e.partnerId ? '(plan_version_id, partner_id) WHERE partner_id IS NOT NULL' : '(plan_version_id, partner_kind) WHERE partner_kind IS NOT NULL';
    const rows = returnedRows<Row>(
      await tx.query(
        `INSERT INTO catalog.price_book_entries (id, tenant_id, plan_id, plan_version_id, partner_id, partner_kind, pricing, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT ${target} DO UPDATE SET pricing = EXCLUDED.pricing, updated_at = EXCLUDED.updated_at
         RETURNING ${COLUMNS}`,
        [e.id, tx.scope.tenantId, e.planId, e.planVersionId, e.partnerId, e.partnerKind, JSON.stringify(e.pricing), e.at],
      ),
    );
    return toDto(rows[0]);
  }

  async list(tx: Tx, q: ListPriceBookRequest): Promise<{ items: PriceBookEntryDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.price_book_entries WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR plan_id = $3) AND ($4::uuid IS NULL OR partner_id = $4)
       ORDER BY id LIMIT $1`,
      [q.limit + 1, after, q.planId ?? null, q.partnerId ?? null],
    );
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  async delete(tx: Tx, id: string): Promise<PriceBookEntryDto | null> {
    const rows = returnedRows<Row>(await tx.query(`DELETE FROM catalog.price_book_entries WHERE id = $1 RETURNING ${COLUMNS}`, [id]));
    return rows[0] ? toDto(rows[0]) : null;
  }

  /** The partner's entries for these versions: its own first, then its kind's. */
  async forPartner(tx: Tx, versionIds: string[], partnerId: string, partnerKind: string | null): Promise<Map<string, { pricing: Pricing; source: 'partner' | 'partner-kind' }>> {
    const out = new Map<string, { pricing: Pricing; source: 'partner' | 'partner-kind' }>();
    if (versionIds.length === 0) return out;
    const rows: Array<{ planVersionId: string; pricing: Pricing; own: boolean }> = await tx.query(
      `SELECT plan_version_id AS "planVersionId", pricing, partner_id IS NOT NULL AS own FROM catalog.price_book_entries
       WHERE plan_version_id = ANY($1::uuid[]) AND (partner_id = $2 OR partner_kind = $3) ORDER BY own`,
      [versionIds, partnerId, partnerKind],
    );
    // Ordered kind first, own last: the own entry overwrites the kind's.
    for (const r of rows) out.set(r.planVersionId, { pricing: r.pricing, source: r.own ? 'partner' : 'partner-kind' });
    return out;
  }
}
