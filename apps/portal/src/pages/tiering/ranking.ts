// Pure logic of the Pareto view: accounts ranked by 12-month revenue, the cumulative share of the
// revenue, concentration figures and the tier overrides. No React, no I/O (unit-tested).

export type TierNumber = 1 | 2 | 3;

/** What the ranking needs of an account (a subset of the API's Account). */
export interface RankableAccount {
  id: string;
  name: string;
  tier: TierNumber;
  computedTier: TierNumber;
  revenue12m: number;
  tierReason: string;
  tierOverride?: { tier: TierNumber; reason: string; expiresAt: string | null; by: string; at: string } | null;
}

export interface RankedAccount {
  id: string;
  name: string;
  tier: TierNumber;
  revenue: number;
  /** 1-based rank by revenue. */
  rank: number;
  /** Share of the total positive revenue made by this account and every one ranked before it (0–1). */
  cumulativeShare: number;
}

/**
 * Accounts with positive revenue, highest first (ties by name, then id, so the order is stable),
 * at most `max`, each with the cumulative share of `total` (the tenant's total positive revenue;
 * when it is not known — 0 — the sum of the given accounts is used).
 */
export function rankAccounts(accounts: readonly RankableAccount[], total: number, max = Number.POSITIVE_INFINITY): RankedAccount[] {
  const positive = accounts.filter((a) => a.revenue12m > 0).sort((a, b) => b.revenue12m - a.revenue12m || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const denominator = total > 0 ? total : positive.reduce((s, a) => s + a.revenue12m, 0);
  let running = 0;
  return positive.slice(0, max).map((a, i) => {
    running += a.revenue12m;
    return { id: a.id, name: a.name, tier: a.tier, revenue: a.revenue12m, rank: i + 1, cumulativeShare: denominator > 0 ? Math.min(1, running / denominator) : 0 };
  });
}

/** How many of the ranked accounts make `share` (0.8) of the revenue; undefined when the ranking does not reach it. */
export function accountsToReach(ranked: readonly RankedAccount[], share: number): number | undefined {
  const i = ranked.findIndex((r) => r.cumulativeShare >= share - 1e-12);
  return i < 0 ? undefined : i + 1;
}

/**
 * The share of the revenue made by the top `fraction` (0.2) of all `totalAccounts` accounts
 * (rounded up, at least one); undefined when the ranking is too short to tell. Accounts without
 * positive revenue are not in the ranking: when the top slice reaches past them, the whole
 * ranking's share is the answer.
 */
export function topShare(ranked: readonly RankedAccount[], totalAccounts: number, fraction: number, complete: boolean): { accounts: number; share: number } | undefined {
  if (totalAccounts <= 0 || ranked.length === 0) return undefined;
  const n = Math.max(1, Math.ceil(totalAccounts * fraction));
  if (n <= ranked.length) return { accounts: n, share: ranked[n - 1].cumulativeShare };
  return complete ? { accounts: n, share: ranked[ranked.length - 1].cumulativeShare } : undefined;
}

/** The index (0-based) of the last ranked account with at least `minRevenue`; undefined when none or no cut-off. */
export function cutoffIndex(ranked: readonly RankedAccount[], minRevenue: number | null | undefined): number | undefined {
  if (minRevenue === null || minRevenue === undefined) return undefined;
  let last: number | undefined;
  ranked.forEach((r, i) => {
    if (r.revenue >= minRevenue) last = i;
  });
  return last;
}

export interface OverrideRow {
  id: string;
  name: string;
  tier: TierNumber;
  computedTier: TierNumber;
  reason: string;
  by: string;
  at: string;
  expiresAt: string | null;
}

/** The accounts whose tier is pinned by a person, the most recent first. */
export function overridesOf(accounts: readonly RankableAccount[]): OverrideRow[] {
  return accounts
    .filter((a) => a.tierOverride)
    .map((a) => {
      const o = a.tierOverride!;
      return { id: a.id, name: a.name, tier: a.tier, computedTier: a.computedTier, reason: o.reason, by: o.by, at: o.at, expiresAt: o.expiresAt };
    })
    .sort((a, b) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name));
}

/** An actor reference (`user:<id>`, `apiKey:<id>`, `operator`) as its kind and id. */
export function parseActor(by: string): { kind: string; id?: string } {
  const i = by.indexOf(':');
  return i < 0 ? { kind: by } : { kind: by.slice(0, i), id: by.slice(i + 1) };
}

/** A tier reason or a tier-change reason as a catalog key (`tiering.reason.<key>`); `override: <text>` keeps the person's text. */
const REASON_KEYS: Record<string, string> = {
  'tier1-revenue': 'tier1Revenue',
  'tier2-revenue': 'tier2Revenue',
  strategic: 'strategic',
  'high-potential': 'highPotential',
  rest: 'rest',
  'no-positive-revenue': 'noPositiveRevenue',
  override: 'override',
  'override cleared': 'overrideCleared',
};

export function tierReason(reason: string): { key?: string; text?: string } {
  const m = /^override:\s*(.*)$/s.exec(reason);
  if (m) return { key: 'overrideWith', text: m[1] };
  const key = REASON_KEYS[reason];
  return key ? { key } : { text: reason };
}
