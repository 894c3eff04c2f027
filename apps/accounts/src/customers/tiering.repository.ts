import { Injectable } from '@nestjs/common';
import type { TierNumber, TieringSummaryDto, TierOverrideDto } from '@steward/contracts';
import { Tx } from '@steward/persistence';

export interface TierRow {
  id: string;
  strategic: boolean;
  highPotential: boolean;
  override: { tier: TierNumber; reason: string; expiresAt: string | null } | null;
  tier: TierNumber;
  computedTier: TierNumber;
  tierReason: string;
  computedReason: string;
  revenue12m: string;
  /** Product + service revenue inside the window. */
  revenue: string;
}

/** One account whose stored tier fields differ from the newly computed ones. */
export interface TierChange {
  id: string;
  tier: number;
  computed: number;
  reason: string;
  computedReason: string;
  revenue: string;
  dropOverride: boolean;
}

/** A summary as stored: its amounts are in the tenant's currency, read beside it. */
export type StoredSummary = Omit<TieringSummaryDto, 'currency'>;

/** Named queries of Pareto tiering on `accounts.accounts`, `revenue_records` and `tiering_state`. */
@Injectable()
export class TieringRepository {
  /** One re-tiering per tenant at a time; a concurrent one waits and then sees our result. */
  async lockTenant(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tiering:' || $1))`, [tx.scope.tenantId]);
  }

  /** Every live account with its revenue in [from, to), in one aggregate query. */
  async accountsWithRevenue(tx: Tx, window: { from: string; to: string }): Promise<TierRow[]> {
    return tx.query(
      `SELECT a.id, a.strategic, a.high_potential AS "highPotential", a.tier_override AS override, a.tier, a.computed_tier AS "computedTier",
              a.tier_reason AS "tierReason", a.computed_reason AS "computedReason", a.revenue_12m::text AS "revenue12m", coalesce(r.revenue, 0)::text AS revenue
       FROM accounts.accounts a
       LEFT JOIN (SELECT account_id, sum(product_revenue + service_revenue) AS revenue
                  FROM accounts.revenue_records WHERE month >= $1::date AND month < $2::date GROUP BY account_id) r ON r.account_id = a.id
       WHERE a.deleted_at IS NULL`,
      [window.from, window.to],
    );
  }

  /** Writes back only the changed accounts, set-based. */
  async writeTiers(tx: Tx, changes: TierChange[]): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `UPDATE accounts.accounts a SET tier = u.tier, computed_tier = u.computed, tier_reason = u.reason, computed_reason = u.computed_reason,
              revenue_12m = u.revenue, tier_override = CASE WHEN u.drop_override THEN NULL ELSE a.tier_override END, tiered_at = now()
       FROM unnest($1::uuid[], $2::smallint[], $3::smallint[], $4::text[], $5::text[], $6::bigint[], $7::boolean[])
            AS u(id, tier, computed, reason, computed_reason, revenue, drop_override)
       WHERE a.id = u.id`,
      [changes.map((c) => c.id), changes.map((c) => c.tier), changes.map((c) => c.computed), changes.map((c) => c.reason), changes.map((c) => c.computedReason), changes.map((c) => c.revenue), changes.map((c) => c.dropOverride)],
    );
  }

  async saveSummary(tx: Tx, summary: StoredSummary & { computedAt: string }): Promise<void> {
    await tx.query(
      `INSERT INTO accounts.tiering_state (tenant_id, window_from, window_to, summary, computed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to, summary = EXCLUDED.summary, computed_at = EXCLUDED.computed_at`,
      [tx.scope.tenantId, summary.window.from, summary.window.to, JSON.stringify(summary), summary.computedAt],
    );
  }

  /** The last summary (null before the first re-tiering) and the tenant's revenue currency its amounts are in. */
  async summary(tx: Tx): Promise<{ summary: StoredSummary | null; currency: string | null }> {
    const [row] = await tx.query(`SELECT s.summary, t.currency FROM accounts.tenants t LEFT JOIN accounts.tiering_state s ON s.tenant_id = t.id WHERE t.id = $1`, [tx.scope.tenantId]);
    return { summary: (row?.summary as StoredSummary | null | undefined) ?? null, currency: (row?.currency as string | null | undefined) ?? null };
  }

  async setOverride(tx: Tx, accountId: string, override: TierOverrideDto): Promise<void> {
    await tx.query(`UPDATE accounts.accounts SET tier_override = $2, tier = $3, tier_reason = 'override', updated_at = now(), version = version + 1 WHERE id = $1`, [
      accountId,
      JSON.stringify(override),
      override.tier,
    ]);
  }

  async clearOverride(tx: Tx, accountId: string): Promise<void> {
    await tx.query(`UPDATE accounts.accounts SET tier_override = NULL, tier = computed_tier, tier_reason = computed_reason, updated_at = now(), version = version + 1 WHERE id = $1`, [accountId]);
  }
}
