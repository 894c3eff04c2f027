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

  /** Appends effective tier changes to the tenant's history (same transaction as the change). */
  async recordChanges(tx: Tx, changes: ReadonlyArray<{ accountId: string; oldTier: number; newTier: number; reason: string }>, at: Date): Promise<void> {
    if (!changes.length) return;
    await tx.query(
      `INSERT INTO accounts.tier_changes (tenant_id, account_id, old_tier, new_tier, reason, changed_at)
       SELECT $1, u.account_id, u.old_tier, u.new_tier, u.reason, $6 FROM unnest($2::uuid[], $3::smallint[], $4::smallint[], $5::text[]) AS u(account_id, old_tier, new_tier, reason)`,
      [tx.scope.tenantId, changes.map((c) => c.accountId), changes.map((c) => c.oldTier), changes.map((c) => c.newTier), changes.map((c) => c.reason), at.toISOString()],
    );
  }

  /**
   * The net move of every account whose tier changed since `since`: its tier before the first
   * change in the window → its tier after the last one (accounts back where they started are left
   * out), totals per move, and the latest `limit` moved accounts.
   */
  async movement(tx: Tx, since: string, limit: number): Promise<{ recordedSince: string | null; moves: Array<{ fromTier: number; toTier: number; accounts: number }>; accounts: Array<{ accountId: string; name: string; fromTier: number; toTier: number; changedAt: string; reason: string }> }> {
    const rows: Array<{ account_id: string; name: string; from_tier: number; to_tier: number; changed_at: Date; reason: string }> = await tx.query(
      `WITH w AS (
         SELECT account_id,
                (array_agg(old_tier ORDER BY changed_at, id))[1] AS from_tier,
                (array_agg(new_tier ORDER BY changed_at DESC, id DESC))[1] AS to_tier,
                (array_agg(reason ORDER BY changed_at DESC, id DESC))[1] AS reason,
                max(changed_at) AS changed_at
           FROM accounts.tier_changes WHERE changed_at >= $1 GROUP BY account_id)
       SELECT w.account_id, a.name, w.from_tier, w.to_tier, w.changed_at, w.reason
         FROM w JOIN accounts.accounts a ON a.id = w.account_id
        WHERE w.from_tier <> w.to_tier
        ORDER BY w.changed_at DESC, a.name`,
      [since],
    );
    const [first] = await tx.query(`SELECT min(changed_at) AS at FROM accounts.tier_changes`);
    const counts = new Map<string, { fromTier: number; toTier: number; accounts: number }>();
    for (const r of rows) {
      const key = `${r.from_tier}>${r.to_tier}`;
      const move = counts.get(key) ?? { fromTier: r.from_tier, toTier: r.to_tier, accounts: 0 };
      move.accounts++;
      counts.set(key, move);
    }
    return {
      recordedSince: first?.at ? new Date(first.at).toISOString() : null,
      moves: [...counts.values()].sort((a, b) => a.fromTier - b.fromTier || a.toTier - b.toTier),
      accounts: rows.slice(0, limit).map((r) => ({ accountId: r.account_id, name: r.name, fromTier: r.from_tier, toTier: r.to_tier, changedAt: new Date(r.changed_at).toISOString(), reason: r.reason })),
    };
  }
}
