import {
  assertArray,
  assertBoolean,
  assertMinorUnits,
  assertNonBlank,
  assertNumber,
  assertObject,
  assertOneOf,
  fail,
  isRecord,
  parseInstant,
  TIERS,
  type Tier,
} from '@steward/domain-kernel';
import { AccountsErrorCode as Code, CHECK_CODES } from './errors';

// The Pareto tier (DOMAIN.md §1: 1 = the accounts making 80% of revenue) is shared vocabulary.
export { TIERS, type Tier };

/** Why an account sits in its effective tier. */
export type TierReason = 'tier1-revenue' | 'tier2-revenue' | 'strategic' | 'high-potential' | 'rest' | 'no-positive-revenue' | 'override';

/** A manual tier set by a person, with a reason; `expiresAt` null = until removed. */
export interface TierOverride {
  tier: Tier;
  reason: string;
  /** ISO instant; the override stops applying at this instant (exactly at `now` = expired). */
  expiresAt: string | null;
}

export interface TieringAccount {
  id: string;
  /** Integer minor units, sum of the last 12 full months; may be 0 or negative (credit notes). */
  revenue: number;
  strategic: boolean;
  highPotential: boolean;
  override?: TierOverride | null;
}

export interface TieringOptions {
  /** ISO instant, for override expiry. */
  now: string;
  /** Share of revenue each revenue tier must reach, in (0, 1]; default 0.8. */
  threshold?: number;
}

export interface TierAssignment {
  accountId: string;
  /** The effective tier (override applied). */
  tier: Tier;
  /** The tier before the override. */
  computedTier: Tier;
  /** Why the effective tier. */
  reason: TierReason;
  /** 1-based rank by revenue among accounts with positive revenue; null otherwise. */
  rank: number | null;
  revenue: number;
  /** Cumulative share of positive revenue up to and including this account (0..1); null for non-positive revenue. */
  cumulativeShare: number | null;
  /** An override was given but `expiresAt <= now`, so it was ignored. */
  overrideExpired: boolean;
}

export interface TierSummaryRow {
  tier: Tier;
  accounts: number;
  /** Sum of the revenue of the accounts in this effective tier (can include negatives). */
  revenue: number;
  /** Positive revenue of this tier's accounts / total positive revenue, 0..1 (0 when the total is 0). */
  share: number;
}

export interface TieringResult {
  /** Same order as the input. */
  assignments: TierAssignment[];
  summary: {
    totalPositiveRevenue: number;
    tiers: [TierSummaryRow, TierSummaryRow, TierSummaryRow];
    /** Where the revenue cut-offs fell (computed tiers, before flags and overrides); null when the tier holds no revenue account. */
    cutoffs: { tier1MinRevenue: number | null; tier1CumulativeShare: number | null; tier2MinRevenue: number | null; tier2CumulativeShare: number | null };
  };
}

export const DEFAULT_TIER_THRESHOLD = 0.8;

/** An exact fraction num/den, 0 < num ≤ den. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The threshold as an exact fraction: the shortest decimal that prints back to the same
 * double (`String(x)`: 0.8 → "0.8" → 8/10 → 4/5; 0.95 → 19/20; 1e-7 → 1/10,000,000),
 * reduced. So the cut-off means what the person typed, not the binary double
 * 0.8000000000000000444….
 */
export function thresholdFraction(threshold: number): Fraction {
  // Only called on finite numbers in (0, 1], whose String() always matches DECIMAL.
  const [, int, frac = '', exp = '0'] = DECIMAL.exec(String(threshold))!;
  let num = BigInt(int! + frac);
  let den = 10n ** BigInt(frac.length);
  const e = Number(exp);
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** The smallest integer cum with cum/total ≥ num/den, i.e. ⌈total·num/den⌉ (exact). */
function revenueNeeded(total: number, t: Fraction): number {
  const product = BigInt(total) * t.num;
  return Number((product + t.den - 1n) / t.den);
}

interface Parsed {
  ids: string[];
  revenue: number[];
  /** Effective override tier (0 = none or expired). */
  overrideTier: Uint8Array;
  overrideExpired: Uint8Array;
  strategic: Uint8Array;
  highPotential: Uint8Array;
  totalPositive: number;
}

function parseOptions(options: unknown): { nowMs: number; threshold: number } {
  assertObject(options, 'options', CHECK_CODES);
  const nowMs = parseInstant(options['now'], 'options.now', CHECK_CODES);
  const threshold = options['threshold'] ?? DEFAULT_TIER_THRESHOLD;
  assertNumber(threshold, 'options.threshold', CHECK_CODES);
  if (!(threshold > 0 && threshold <= 1)) fail(Code.OutOfRange, 'options.threshold', `must be in (0, 1], got ${threshold}`);
  return { nowMs, threshold };
}

function parseAccounts(accounts: unknown, nowMs: number): Parsed {
  assertArray(accounts, 'accounts', CHECK_CODES);
  const n = accounts.length;
  const p: Parsed = {
    ids: new Array<string>(n),
    revenue: new Array<number>(n),
    overrideTier: new Uint8Array(n),
    overrideExpired: new Uint8Array(n),
    strategic: new Uint8Array(n),
    highPotential: new Uint8Array(n),
    totalPositive: 0,
  };
  const seen = new Map<string, number>();
  let totalNegative = 0;
  for (let i = 0; i < n; i++) {
    // Field paths are only built on the error path: 100,000 accounts should not cost 500,000 strings.
    const at = (sub: string): string => `accounts[${i}]${sub}`;
    const a: unknown = accounts[i];
    if (!isRecord(a)) assertObject(a, at(''), CHECK_CODES);
    const r = a as Record<string, unknown>;
    const id = r['id'];
    if (typeof id !== 'string' || id.trim() === '') assertNonBlank(id, at('.id'), CHECK_CODES);
    const first = seen.get(id as string);
    if (first !== undefined) {
      fail(Code.DuplicateId, at('.id'), `duplicates accounts[${first}].id ${JSON.stringify(id)}`, { id, firstIndex: first });
    }
    seen.set(id as string, i);
    const revenue = r['revenue'];
    if (typeof revenue !== 'number' || !Number.isSafeInteger(revenue)) assertMinorUnits(revenue, at('.revenue'), CHECK_CODES);
    if (typeof r['strategic'] !== 'boolean') assertBoolean(r['strategic'], at('.strategic'), CHECK_CODES);
    if (typeof r['highPotential'] !== 'boolean') assertBoolean(r['highPotential'], at('.highPotential'), CHECK_CODES);
    const override = r['override'];
    if (override !== undefined && override !== null) {
      assertObject(override, at('.override'), CHECK_CODES);
      assertOneOf(override['tier'], TIERS, at('.override.tier'), CHECK_CODES);
      assertNonBlank(override['reason'], at('.override.reason'), CHECK_CODES);
      const expiresAt = override['expiresAt'];
      // Expired exactly at `now`: an override "until 2025-07-01T00:00Z" no longer holds at that instant.
      if (expiresAt !== null && parseInstant(expiresAt, at('.override.expiresAt'), CHECK_CODES) <= nowMs) p.overrideExpired[i] = 1;
      else p.overrideTier[i] = override['tier'];
    }
    p.ids[i] = id as string;
    p.revenue[i] = revenue;
    p.strategic[i] = r['strategic'] ? 1 : 0;
    p.highPotential[i] = r['highPotential'] ? 1 : 0;
    if (revenue > 0) p.totalPositive += revenue;
    else totalNegative += revenue;
    // Every tier's sum lies between totalNegative and totalPositive, so checking both keeps all sums exact.
    if (p.totalPositive > Number.MAX_SAFE_INTEGER || totalNegative < Number.MIN_SAFE_INTEGER) {
      fail(Code.Overflow, at('.revenue'), 'the running revenue total no longer fits a safe integer', { index: i });
    }
  }
  return p;
}

/**
 * Pareto tiering (DOMAIN.md §1): Tier 1 = the fewest accounts, by revenue, that reach the
 * threshold (80%) of positive revenue; Tier 2 = the fewest that reach the threshold of what
 * remains, plus strategic / high-potential accounts; Tier 3 = the rest. Active overrides
 * replace the computed tier. Throws `DomainError` (`@steward/domain-kernel`) with an
 * `AccountsErrorCode` on invalid input.
 */
export function computeTiers(accounts: TieringAccount[], options: TieringOptions): TieringResult {
  const { nowMs, threshold } = parseOptions(options);
  const p = parseAccounts(accounts, nowMs);
  const { ids, revenue, totalPositive } = p;
  const n = ids.length;
  const t = thresholdFraction(threshold);

  // Positive-revenue accounts, revenue descending, then id ascending (ids are unique: a total order).
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (revenue[i]! > 0) order.push(i);
  order.sort((a, b) => revenue[b]! - revenue[a]! || (ids[a]! < ids[b]! ? -1 : 1));

  const computed = new Uint8Array(n).fill(3);
  const rank: Array<number | null> = new Array<number | null>(n).fill(null);
  const cumulative: Array<number | null> = new Array<number | null>(n).fill(null);
  const cutoffs: TieringResult['summary']['cutoffs'] = { tier1MinRevenue: null, tier1CumulativeShare: null, tier2MinRevenue: null, tier2CumulativeShare: null };

  // One pass: Tier 1 until cum ≥ ⌈total·t⌉, then Tier 2 until the rest reaches ⌈remaining·t⌉.
  let cum = 0;
  let tier: 1 | 2 | 3 = totalPositive > 0 ? 1 : 3;
  let needed = totalPositive > 0 ? revenueNeeded(totalPositive, t) : 0;
  let tierStart = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    cum += revenue[i]!;
    rank[i] = k + 1;
    cumulative[i] = cum / totalPositive;
    computed[i] = tier;
    if (tier === 1 && cum >= needed) {
      cutoffs.tier1MinRevenue = revenue[i]!;
      cutoffs.tier1CumulativeShare = cumulative[i];
      const remaining = totalPositive - cum;
      tier = 2;
      tierStart = cum;
      needed = remaining > 0 ? revenueNeeded(remaining, t) : 0;
    } else if (tier === 2 && cum - tierStart >= needed) {
      cutoffs.tier2MinRevenue = revenue[i]!;
      cutoffs.tier2CumulativeShare = cumulative[i];
      tier = 3;
    }
  }

  const rows = TIERS.map((tr) => ({ tier: tr, accounts: 0, revenue: 0, positive: 0 }));
  const assignments = new Array<TierAssignment>(n);
  for (let i = 0; i < n; i++) {
    let computedTier = computed[i] as Tier;
    let reason: TierReason;
    if (computedTier === 1) reason = 'tier1-revenue';
    else if (computedTier === 2) reason = 'tier2-revenue';
    else if (p.strategic[i]) [computedTier, reason] = [2, 'strategic'];
    else if (p.highPotential[i]) [computedTier, reason] = [2, 'high-potential'];
    else reason = revenue[i]! > 0 ? 'rest' : 'no-positive-revenue';
    const overrideTier = p.overrideTier[i] as Tier | 0;
    const effective = overrideTier === 0 ? computedTier : overrideTier;
    if (overrideTier !== 0) reason = 'override';
    const row = rows[effective - 1]!;
    row.accounts++;
    row.revenue += revenue[i]!;
    if (revenue[i]! > 0) row.positive += revenue[i]!;
    assignments[i] = {
      accountId: ids[i]!,
      tier: effective,
      computedTier,
      reason,
      rank: rank[i],
      revenue: revenue[i]!,
      cumulativeShare: cumulative[i],
      overrideExpired: p.overrideExpired[i] === 1,
    };
  }
  const summaryRow = (r: (typeof rows)[number]): TierSummaryRow => ({
    tier: r.tier,
    accounts: r.accounts,
    revenue: r.revenue,
    share: totalPositive > 0 ? r.positive / totalPositive : 0,
  });
  return {
    assignments,
    summary: {
      totalPositiveRevenue: totalPositive,
      tiers: [summaryRow(rows[0]!), summaryRow(rows[1]!), summaryRow(rows[2]!)],
      cutoffs,
    },
  };
}
