import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, Events, ListRevenueRequest, RevenueBatchResponse, RevenueRecordDto, RevenueRecordInput, StewardError, toFieldErrors } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { OUTBOX, UOW } from '../identity/tokens';
import { authorize } from './scope';
import { TieringScheduler } from './tiering.scheduler';

type RowError = RevenueBatchResponse['errors'][number];
const EVENT_CHUNK = 1000;

/** Monthly revenue and margin per account, imported in batches. */
@Injectable()
export class RevenueService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly tiering: TieringScheduler,
  ) {}

  /**
   * Upserts up to 10,000 rows, idempotent by (account, month). Every row is validated on
   * its own: bad rows are reported by index and field, good rows are written, all in one
   * transaction. A changed batch schedules a debounced re-tiering of the tenant.
   */
  async batchUpsert(ctx: RequestContext, records: unknown[]): Promise<RevenueBatchResponse> {
    const scope = authorize(ctx, 'revenue');
    const errors: RowError[] = [];
    const valid: Array<RevenueRecordInput & { index: number }> = [];
    const seen = new Set<string>();
    records.forEach((raw, index) => {
      const parsed = RevenueRecordInput.safeParse(raw);
      if (!parsed.success) {
        for (const e of toFieldErrors(parsed.error)) errors.push({ index, ...e });
        return;
      }
      const key = `${parsed.data.accountId}|${parsed.data.month}`;
      if (seen.has(key)) {
        errors.push({ index, field: 'month', rule: 'unique-in-batch', message: `repeats account ${parsed.data.accountId} for ${parsed.data.month} earlier in this batch` });
        return;
      }
      seen.add(key);
      valid.push({ ...parsed.data, index });
    });

    const result = await this.uow.forScope(scope, async (em) => {
      const ids = [...new Set(valid.map((r) => r.accountId))];
      const found: Array<{ id: string }> = ids.length ? await em.query(`SELECT id FROM accounts.accounts WHERE id = ANY($1::uuid[])`, [ids]) : [];
      const known = new Set(found.map((r) => r.id));
      // One currency per tenant: the first batch decides it.
      const [tenant] = await em.query(`SELECT currency FROM accounts.tenants WHERE id = $1 FOR UPDATE`, [scope.tenantId]);
      let currency: string | null = tenant?.currency ?? null;
      const rows = valid.filter((r) => {
        if (!known.has(r.accountId)) {
          errors.push({ index: r.index, field: 'accountId', rule: 'exists', message: 'is not an account of this tenant' });
          return false;
        }
        currency ??= r.currency;
        if (r.currency !== currency) {
          errors.push({ index: r.index, field: 'currency', rule: 'tenant-currency', message: `must be ${currency}, the tenant's currency` });
          return false;
        }
        return true;
      });
      if (!tenant?.currency && currency) await em.query(`UPDATE accounts.tenants SET currency = $2 WHERE id = $1`, [scope.tenantId, currency]);
      if (rows.length === 0) return { inserted: 0, updated: 0, accepted: 0 };
      const changed: Array<{ inserted: boolean; account_id: string; month: string }> = await em.query(
        `INSERT INTO accounts.revenue_records AS r (tenant_id, account_id, month, product_revenue, service_revenue, gross_margin, currency)
         SELECT $1, u.account_id, u.month, u.product, u.service, u.margin, u.currency
         FROM unnest($2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) AS u(account_id, month, product, service, margin, currency)
         ON CONFLICT (tenant_id, account_id, month) DO UPDATE
           SET product_revenue = EXCLUDED.product_revenue, service_revenue = EXCLUDED.service_revenue,
               gross_margin = EXCLUDED.gross_margin, currency = EXCLUDED.currency, updated_at = now()
           WHERE (r.product_revenue, r.service_revenue, r.gross_margin, r.currency)
                 IS DISTINCT FROM (EXCLUDED.product_revenue, EXCLUDED.service_revenue, EXCLUDED.gross_margin, EXCLUDED.currency)
         RETURNING (xmax = 0) AS inserted, account_id, to_char(month, 'YYYY-MM') AS month`,
        [scope.tenantId, rows.map((r) => r.accountId), rows.map((r) => `${r.month}-01`), rows.map((r) => r.productRevenue), rows.map((r) => r.serviceRevenue), rows.map((r) => r.grossMargin), rows.map((r) => r.currency)],
      );
      const events = [];
      for (let i = 0; i < changed.length; i += EVENT_CHUNK) events.push({ records: changed.slice(i, i + EVENT_CHUNK).map((c) => ({ accountId: c.account_id, month: c.month })) });
      await this.outbox.emitMany(em, Events.accounts.revenueChanged, events);
      const inserted = changed.filter((c) => c.inserted).length;
      return { inserted, updated: changed.length - inserted, accepted: rows.length };
    });

    if (result.inserted + result.updated > 0) this.tiering.schedule(scope.tenantId);
    errors.sort((a, b) => a.index - b.index);
    return {
      accepted: result.accepted,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.accepted - result.inserted - result.updated,
      rejected: new Set(errors.map((e) => e.index)).size,
      errors,
    };
  }

  list(ctx: RequestContext, q: ListRevenueRequest): Promise<{ items: RevenueRecordDto[] }> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      if (!(await em.query(`SELECT 1 FROM accounts.accounts WHERE id = $1`, [q.accountId])).length) throw StewardError.notFound('account', q.accountId);
      if (q.from && q.to && q.from > q.to) throw new StewardError(ErrorCode.ValidationFailed, 'from must not be after to', { errors: [{ field: 'from', rule: 'range', message: 'must not be after to' }] });
      const rows = await em.query(
        `SELECT account_id AS "accountId", to_char(month, 'YYYY-MM') AS month, product_revenue::text AS "productRevenue",
                service_revenue::text AS "serviceRevenue", gross_margin::text AS "grossMargin", currency
         FROM accounts.revenue_records WHERE account_id = $1 AND ($2::date IS NULL OR month >= $2::date) AND ($3::date IS NULL OR month <= $3::date)
         ORDER BY month`,
        [q.accountId, q.from ? `${q.from}-01` : null, q.to ? `${q.to}-01` : null],
      );
      return {
        items: rows.map((r: Record<string, string>) => ({ ...r, productRevenue: Number(r.productRevenue), serviceRevenue: Number(r.serviceRevenue), grossMargin: Number(r.grossMargin) }) as RevenueRecordDto),
      };
    });
  }
}
