import { assertArray, assertFinite, assertKnownKeys, assertObject, assertRange, fail, fieldPath, TIERS, type Tier } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { validateWeights } from './weights';

/**
 * The nine measures of the balanced account scorecard (DOMAIN.md §5), with their units:
 * money in minor units, shares and growth as fractions, survey scores on 1–5.
 */
export type ScorecardMeasure =
  | 'revenue12m'
  | 'grossMargin'
  | 'revenueGrowth12m'
  | 'valueAddedServiceShare'
  | 'shareOfWallet'
  | 'engagement'
  | 'impact'
  | 'teamMorale'
  | 'openQuotesValue';

export const SCORECARD_MEASURES: readonly ScorecardMeasure[] = [
  'revenue12m',
  'grossMargin',
  'revenueGrowth12m',
  'valueAddedServiceShare',
  'shareOfWallet',
  'engagement',
  'impact',
  'teamMorale',
  'openQuotesValue',
];

// Valid raw ranges. Money is bounded by the safe-integer range; growth by −100 %.
const RANGES: Record<ScorecardMeasure, [number, number]> = {
  revenue12m: [0, Number.MAX_SAFE_INTEGER],
  grossMargin: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  revenueGrowth12m: [-1, Number.MAX_SAFE_INTEGER],
  valueAddedServiceShare: [0, 1],
  shareOfWallet: [0, 1],
  engagement: [1, 5],
  impact: [1, 5],
  teamMorale: [1, 5],
  openQuotesValue: [0, Number.MAX_SAFE_INTEGER],
};

/** Pareto tier (DOMAIN.md §1), the kernel's shared `Tier`. */
export type AccountTier = Tier;

/** One account's raw measures for a period; a missing or null measure is "not measured". */
export interface AccountMeasures {
  accountId: string;
  tier: AccountTier;
  measures: Partial<Record<ScorecardMeasure, number | null>>;
}

/**
 * A tenant target: `floor` scores 0, `target` scores 100, linear between, clamped.
 * All nine measures are higher-is-better by default; a floor above the target makes a
 * measure lower-is-better (the formula is the same).
 */
export interface MeasureTarget {
  floor: number;
  target: number;
}

/** Tenant scorecard configuration. */
export interface ScorecardConfig {
  /** Targets; every measure with a weight above 0 needs one. */
  targets: Partial<Record<ScorecardMeasure, MeasureTarget>>;
  /** Relative weights (≥ 0, sum > 0, normalised); default 1 each. */
  weights?: Partial<Record<ScorecardMeasure, number>>;
}

/** A validated configuration, reusable across many accounts. */
export interface PreparedScorecard {
  readonly measures: readonly ScorecardMeasure[];
  readonly floor: Float64Array;
  readonly span: Float64Array;
  /** Raw (validated) weights and their sum; totals divide by the weight present. */
  readonly weight: Float64Array;
  readonly weightSum: number;
  /** Measures with weight 0: carried as raw values only. */
  readonly unweighted: readonly ScorecardMeasure[];
}

/** An account's scorecard. */
export interface AccountScorecard {
  accountId: string;
  tier: AccountTier;
  /** Raw values that were present. */
  values: Partial<Record<ScorecardMeasure, number>>;
  /** 0–100 per scored measure. */
  scores: Partial<Record<ScorecardMeasure, number>>;
  /** Weighted total over the present measures, re-weighted to their weight; null when none is present. */
  total: number | null;
  /** Share of the total weight that was present, 0–1. */
  coverage: number;
  /** Weighted measures that were missing. */
  missing: ScorecardMeasure[];
}

/** Validates a configuration once. Throws `DomainError` (`@steward/domain-kernel`). */
export function prepareScorecard(config: ScorecardConfig): PreparedScorecard {
  assertObject(config, 'config', CHECK_CODES);
  assertKnownKeys(config, ['targets', 'weights'], 'config', CHECK_CODES);
  assertObject(config.targets, 'config.targets', CHECK_CODES);
  assertKnownKeys(config.targets, SCORECARD_MEASURES, 'config.targets', CHECK_CODES);
  const rawWeights = config.weights ?? Object.fromEntries(SCORECARD_MEASURES.map((m) => [m, 1]));
  const { raw: weights, sum: weightSum } = validateWeights(rawWeights, SCORECARD_MEASURES, 'config.weights');
  const measures = SCORECARD_MEASURES.filter((m) => weights[m] > 0);
  const floor = new Float64Array(measures.length);
  const span = new Float64Array(measures.length);
  const weight = new Float64Array(measures.length);
  measures.forEach((m, i) => {
    const field = `config.targets.${m}`;
    const t = config.targets[m];
    if (t === undefined) fail(Code.InvalidTarget, field, 'is required for a measure with a weight above 0');
    assertObject(t, field, CHECK_CODES);
    assertKnownKeys(t, ['floor', 'target'], field, CHECK_CODES);
    assertFinite(t.floor, fieldPath(field, 'floor'), CHECK_CODES);
    assertFinite(t.target, fieldPath(field, 'target'), CHECK_CODES);
    if (t.floor === t.target) fail(Code.InvalidTarget, field, 'floor and target must differ');
    floor[i] = t.floor;
    span[i] = t.target - t.floor;
    weight[i] = weights[m];
  });
  return { measures, floor, span, weight, weightSum, unweighted: SCORECARD_MEASURES.filter((m) => weights[m] === 0) };
}

/** 0 at floor, 100 at target, linear between, clamped; works for either direction. */
export function normaliseMeasure(value: number, floor: number, target: number): number {
  const s = ((value - floor) / (target - floor)) * 100;
  return s <= 0 ? 0 : s >= 100 ? 100 : s;
}

const ACCOUNT_KEYS = ['accountId', 'tier', 'measures'] as const;

// Hot path (100k accounts per batch): check cheaply first and build the field path only on failure.
function validateAccount(account: unknown, path: () => string): asserts account is AccountMeasures {
  if (typeof account !== 'object' || account === null || Array.isArray(account)) assertObject(account, path(), CHECK_CODES);
  const a = account as Record<string, unknown>;
  for (const key in a) if (!ACCOUNT_KEYS.includes(key as never)) assertKnownKeys(a, ACCOUNT_KEYS, path(), CHECK_CODES);
  if (typeof a.accountId !== 'string' || a.accountId === '') {
    fail(Code.InvalidType, fieldPath(path(), 'accountId'), 'must be a non-empty string');
  }
  if (!TIERS.includes(a.tier as Tier)) fail(Code.OutOfRange, fieldPath(path(), 'tier'), 'must be 1, 2 or 3');
  const measures = a.measures as Record<string, unknown>;
  if (typeof measures !== 'object' || measures === null || Array.isArray(measures)) assertObject(measures, fieldPath(path(), 'measures'), CHECK_CODES);
  for (const key in measures) {
    const range = RANGES[key as ScorecardMeasure];
    if (range === undefined) assertKnownKeys(measures, SCORECARD_MEASURES, fieldPath(path(), 'measures'), CHECK_CODES);
    const v = measures[key];
    if (v === undefined || v === null) continue;
    // `!(v >= lo && v <= hi)` is also true for NaN; assertRange then names the exact problem.
    if (typeof v !== 'number' || !(v >= range[0] && v <= range[1])) assertRange(v, range[0], range[1], fieldPath(path(), `measures.${key}`), CHECK_CODES);
  }
}

function score(account: AccountMeasures, prepared: PreparedScorecard): AccountScorecard {
  const values: AccountScorecard['values'] = {};
  const scores: AccountScorecard['scores'] = {};
  const missing: ScorecardMeasure[] = [];
  let sum = 0;
  let present = 0;
  for (let i = 0; i < prepared.measures.length; i++) {
    const m = prepared.measures[i];
    const v = account.measures[m];
    if (v === undefined || v === null) {
      missing.push(m);
      continue;
    }
    const s = ((v - prepared.floor[i]) / prepared.span[i]) * 100;
    const clamped = s <= 0 ? 0 : s >= 100 ? 100 : s;
    values[m] = v;
    scores[m] = clamped;
    sum += prepared.weight[i] * clamped;
    present += prepared.weight[i];
  }
  // Unweighted measures are still carried as raw values: red-flag rules read them.
  for (const m of prepared.unweighted) {
    const v = account.measures[m];
    if (v !== undefined && v !== null) values[m] = v;
  }
  return {
    accountId: account.accountId,
    tier: account.tier,
    values,
    scores,
    // 6 decimals, so float noise (49.99999999999999) never crosses a rule's threshold.
    total: present > 0 ? Math.round((sum / present) * 1e6) / 1e6 : null,
    coverage: present / prepared.weightSum,
    missing,
  };
}

/**
 * Scores one account: each measure normalised to 0–100 against its target, then a weighted
 * mean over the measures present (missing ones are reported and their weight redistributed).
 */
export function scoreAccount(account: AccountMeasures, config: ScorecardConfig | PreparedScorecard): AccountScorecard {
  const prepared = isPrepared(config) ? config : prepareScorecard(config);
  validateAccount(account, () => 'account');
  return score(account, prepared);
}

/** Scores a batch; account ids must be unique. */
export function scoreAccounts(accounts: readonly AccountMeasures[], config: ScorecardConfig | PreparedScorecard): AccountScorecard[] {
  const prepared = isPrepared(config) ? config : prepareScorecard(config);
  assertArray(accounts, 'accounts', CHECK_CODES);
  const seen = new Set<string>();
  return accounts.map((a, i) => {
    validateAccount(a, () => `accounts[${i}]`);
    if (seen.has(a.accountId)) fail(Code.DuplicateId, `accounts[${i}].accountId`, `duplicate account ${a.accountId}`);
    seen.add(a.accountId);
    return score(a, prepared);
  });
}

function isPrepared(c: ScorecardConfig | PreparedScorecard): c is PreparedScorecard {
  return c instanceof Object && (c as PreparedScorecard).weight instanceof Float64Array;
}

/** A place in the ranking. */
export interface RankedAccount {
  rank: number;
  accountId: string;
  total: number | null;
}

/**
 * Ranks scorecards by total, highest first; equal totals are ordered by account id
 * (code-unit order, locale-independent); accounts without a total come last.
 * Ranks are 1..n with no shared places, so the result is a permutation of the input.
 */
export function rankAccounts(cards: readonly Pick<AccountScorecard, 'accountId' | 'total'>[]): RankedAccount[] {
  assertArray(cards, 'cards', CHECK_CODES);
  const seen = new Set<string>();
  cards.forEach((c, i) => {
    if (seen.has(c.accountId)) fail(Code.DuplicateId, `cards[${i}].accountId`, `duplicate account ${c.accountId}`);
    seen.add(c.accountId);
    if (c.total !== null) assertRange(c.total, 0, 100, `cards[${i}].total`, CHECK_CODES);
  });
  const sorted = [...cards].sort((a, b) => {
    if (a.total !== b.total) {
      if (a.total === null) return 1;
      if (b.total === null) return -1;
      return b.total - a.total;
    }
    return a.accountId < b.accountId ? -1 : 1;
  });
  return sorted.map((c, i) => ({ rank: i + 1, accountId: c.accountId, total: c.total }));
}
