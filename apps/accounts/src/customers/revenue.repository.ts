import { Injectable } from '@nestjs/common';
import type { RevenueRecordDto, RevenueRecordInput } from '@steward/contracts';
import { Tx } from '@steward/persistence';

/** Named queries on `accounts.revenue_records` (monthly revenue and margin per account). */
@Injectable()
export class RevenueRepository {
  /**
   * Upserts rows by (account, month), writing only rows whose figures changed; returns the
   * inserted or changed (account, month) pairs.
   */
  async upsert(tx: Tx, rows: RevenueRecordInput[]): Promise<Array<{ inserted: boolean; accountId: string; month: string }>> {
    return tx.query(
      `INSERT INTO accounts.revenue_records AS r (tenant_id, account_id, month, product_revenue, service_revenue, gross_margin, currency)
       SELECT $1, u.account_id, u.month, u.product, u.service, u.margin, u.currency
       FROM unnest($2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) AS u(account_id, month, product, service, margin, currency)
       ON CONFLICT (tenant_id, account_id, month) DO UPDATE
         SET product_revenue = EXCLUDED.product_revenue, service_revenue = EXCLUDED.service_revenue,
             gross_margin = EXCLUDED.gross_margin, currency = EXCLUDED.currency, updated_at = now()
         WHERE (r.product_revenue, r.service_revenue, r.gross_margin, r.currency)
               IS DISTINCT FROM (EXCLUDED.product_revenue, EXCLUDED.service_revenue, EXCLUDED.gross_margin, EXCLUDED.currency)
       RETURNING (xmax = 0) AS inserted, account_id AS "accountId", to_char(month, 'YYYY-MM') AS month`,
      [
        tx.scope.tenantId,
        rows.map((r) => r.accountId),
        rows.map((r) => `${r.month}-01`),
        rows.map((r) => r.productRevenue),
        rows.map((r) => r.serviceRevenue),
        rows.map((r) => r.grossMargin),
        rows.map((r) => r.currency),
      ],
    );
  }

  /** An account's months in [from, to] (either bound optional), oldest first. */
  async ofAccount(tx: Tx, accountId: string, from?: string, to?: string): Promise<RevenueRecordDto[]> {
    const rows: Array<Record<string, string>> = await tx.query(
      `SELECT account_id AS "accountId", to_char(month, 'YYYY-MM') AS month, product_revenue::text AS "productRevenue",
              service_revenue::text AS "serviceRevenue", gross_margin::text AS "grossMargin", currency
       FROM accounts.revenue_records WHERE account_id = $1 AND ($2::date IS NULL OR month >= $2::date) AND ($3::date IS NULL OR month <= $3::date)
       ORDER BY month`,
      [accountId, from ? `${from}-01` : null, to ? `${to}-01` : null],
    );
    return rows.map((r) => ({ accountId: r.accountId, month: r.month, productRevenue: Number(r.productRevenue), serviceRevenue: Number(r.serviceRevenue), grossMargin: Number(r.grossMargin), currency: r.currency }));
  }
}
