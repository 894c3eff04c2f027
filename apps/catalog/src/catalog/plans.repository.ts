import { Injectable } from '@nestjs/common';
import type { EntitlementGrant, ListPlansRequest, LocalizedText, PlanDto, PlanVersionDto, Pricing } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';
import type { VersionContext } from './version-context';

export type { VersionContext };

const VERSION_COLUMNS = (v: string) => `${v}.id AS "vId", ${v}.plan_id AS "vPlanId", ${v}.version AS "vVersion", ${v}.pricing AS "vPricing", ${v}.entitlements AS "vEntitlements",
  ${v}.trial_days AS "vTrialDays", ${v}.note AS "vNote", ${v}.created_at AS "vCreatedAt", ${v}.created_by AS "vCreatedBy"`;
const PLAN_COLUMNS = `p.id, p.product_id AS "productId", p.code, p.name, p.pricing_kind AS "pricingKind", p.status, p.created_at AS "createdAt", p.updated_at AS "updatedAt", ${VERSION_COLUMNS('v')}`;
const FROM = `catalog.plans p JOIN catalog.plan_versions v ON v.id = p.current_version_id`;

interface VersionRow {
  vId: string;
  vPlanId: string;
  vVersion: number;
  vPricing: Pricing;
  vEntitlements: EntitlementGrant;
  vTrialDays: number | null;
  vNote: string | null;
  vCreatedAt: Date;
  vCreatedBy: string;
}
type PlanRow = Omit<PlanDto, 'current' | 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date } & VersionRow;

const toVersion = (r: VersionRow): PlanVersionDto => ({
  id: r.vId,
  planId: r.vPlanId,
  version: r.vVersion,
  pricing: r.vPricing,
  entitlements: r.vEntitlements,
  trialDays: r.vTrialDays,
  note: r.vNote,
  createdAt: r.vCreatedAt.toISOString(),
  createdBy: r.vCreatedBy,
});
const toPlan = (r: PlanRow): PlanDto => ({
  id: r.id,
  productId: r.productId,
  code: r.code,
  name: r.name,
  pricingKind: r.pricingKind,
  status: r.status,
  current: toVersion(r),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * Named queries on `catalog.plans` and `catalog.plan_versions`. Versions are only ever
 * inserted (the runtime role has no UPDATE on them): a price change is a new version.
 */
@Injectable()
export class PlansRepository {
  async insertPlan(tx: Tx, p: { id: string; productId: string; code: string; name: LocalizedText; pricingKind: string; versionId: string; at: Date }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.plans (id, tenant_id, product_id, code, name, pricing_kind, current_version_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [p.id, tx.scope.tenantId, p.productId, p.code, JSON.stringify(p.name), p.pricingKind, p.versionId, p.at],
    );
  }

  async insertVersion(
    tx: Tx,
    v: { id: string; planId: string; version: number; pricing: Pricing; entitlements: EntitlementGrant; trialDays: number | null; note: string | null; at: Date; by: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.plan_versions (id, tenant_id, plan_id, version, pricing, entitlements, trial_days, note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [v.id, tx.scope.tenantId, v.planId, v.version, JSON.stringify(v.pricing), JSON.stringify(v.entitlements), v.trialDays, v.note, v.at, v.by],
    );
  }

  async find(tx: Tx, id: string, lock = false): Promise<PlanDto | null> {
    const [row]: PlanRow[] = await tx.query(`SELECT ${PLAN_COLUMNS} FROM ${FROM} WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`, [id]);
    return row ? toPlan(row) : null;
  }

  async list(tx: Tx, q: ListPlansRequest & { productStatus?: string }): Promise<{ items: PlanDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: PlanRow[] = await tx.query(
      `SELECT ${PLAN_COLUMNS} FROM ${FROM}
       WHERE ($2::uuid IS NULL OR p.id > $2) AND ($3::uuid IS NULL OR p.product_id = $3) AND ($4::text IS NULL OR p.status = $4)
       ORDER BY p.id LIMIT $1`,
      [q.limit + 1, after, q.productId ?? null, q.status ?? null],
    );
    return toPage(rows, q.limit, toPlan, (r) => idCursor.encode(r.id));
  }

  async versions(tx: Tx, planId: string): Promise<PlanVersionDto[]> {
    const rows: VersionRow[] = await tx.query(`SELECT ${VERSION_COLUMNS('v')} FROM catalog.plan_versions v WHERE v.plan_id = $1 ORDER BY v.version`, [planId]);
    return rows.map(toVersion);
  }

  async versionContext(tx: Tx, versionId: string): Promise<VersionContext | null> {
    const [row]: Array<VersionRow & { productId: string; productStatus: string; planStatus: string; planCode: string; currentVersionId: string }> = await tx.query(
      `SELECT ${VERSION_COLUMNS('v')}, p.product_id AS "productId", pr.status AS "productStatus", p.status AS "planStatus", p.code AS "planCode", p.current_version_id AS "currentVersionId"
       FROM catalog.plan_versions v JOIN catalog.plans p ON p.id = v.plan_id JOIN catalog.products pr ON pr.id = p.product_id WHERE v.id = $1`,
      [versionId],
    );
    return row ? { version: toVersion(row), productId: row.productId, productStatus: row.productStatus, planStatus: row.planStatus, planCode: row.planCode, currentVersionId: row.currentVersionId } : null;
  }

  async maxVersion(tx: Tx, planId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await tx.query(`SELECT max(version)::int AS n FROM catalog.plan_versions WHERE plan_id = $1`, [planId]);
    return row?.n ?? 0;
  }

  async setCurrent(tx: Tx, planId: string, versionId: string, at: Date): Promise<void> {
    await tx.query(`UPDATE catalog.plans SET current_version_id = $2, updated_at = $3 WHERE id = $1`, [planId, versionId, at]);
  }

  async setStatus(tx: Tx, planId: string, status: 'active' | 'retired', at: Date): Promise<void> {
    await tx.query(`UPDATE catalog.plans SET status = $2, updated_at = $3 WHERE id = $1`, [planId, status, at]);
  }

  async rename(tx: Tx, planId: string, name: LocalizedText, at: Date): Promise<number> {
    return returnedRows(await tx.query(`UPDATE catalog.plans SET name = $2, updated_at = $3 WHERE id = $1 RETURNING id`, [planId, JSON.stringify(name), at])).length;
  }

  /** Active plans of active products (optionally of one product or product kind), keyset by plan id. */
  async sellable(tx: Tx, q: { limit: number; after: string | null; productId?: string; kind?: string }): Promise<PlanDto[]> {
    const rows: PlanRow[] = await tx.query(
      `SELECT ${PLAN_COLUMNS} FROM ${FROM} JOIN catalog.products pr ON pr.id = p.product_id
       WHERE p.status = 'active' AND pr.status = 'active' AND ($2::uuid IS NULL OR p.id > $2) AND ($3::uuid IS NULL OR p.product_id = $3) AND ($4::text IS NULL OR pr.kind = $4)
       ORDER BY p.id LIMIT $1`,
      [q.limit, q.after, q.productId ?? null, q.kind ?? null],
    );
    return rows.map(toPlan);
  }
}
