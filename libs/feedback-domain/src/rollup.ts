import { CES_MAX, CES_MIN, cesFromTotals, type CesResult } from './ces';
import { CSAT_MAX, CSAT_MIN, csatFromCounts, type CsatResult } from './csat';
import {
  bandOfTotals,
  ENGAGEMENT_BANDS,
  ENGAGEMENT_LEVELS,
  ENGAGEMENT_MAX,
  engagementFromTotals,
  engagementTotals,
  type EngagementBand,
  type EngagementResponse,
  type EngagementResult,
  type EngagementTotals,
} from './engagement';
import { assertArray, assertIntegerInRange, assertObject, assertOneOf, DomainError, fail } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';
import { NPS_MAX, NPS_MIN, npsFromCategoryCounts, type NpsResult } from './nps';

/** Survey kinds that roll up. */
export const ROLLUP_KINDS = ['nps', 'enps', 'csat', 'ces', 'engagement'] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];

/** What one response of each kind looks like (an integer score, or an engagement answer set). */
export interface ResponseByKind {
  nps: number;
  enps: number;
  csat: number;
  ces: number;
  engagement: EngagementResponse;
}

/**
 * A mergeable aggregate: how many answers took each score value, per dimension.
 * Plain JSON (store it in jsonb as is). WARNING: `schema`, `kind` and the `counts`
 * layout are a storage format — change them only with a new schema version.
 *
 * `counts` layout by kind:
 * - nps, enps: 11 slots, counts[s] = answers of score s (0–10);
 * - csat: 5 slots, counts[s − 1] for s = 1–5;
 * - ces: 7 slots, counts[s − 1] for s = 1–7;
 * - engagement: 24 slots — item answers per level, counts[5·l + s − 1] for level
 *   l = confidence 0, integrity 1, pride 2, passion 3 and s = 1–5; then counts[20 + b]
 *   = respondents in band b (fully-engaged, engaged, not-engaged, actively-disengaged).
 */
export interface Rollup<K extends RollupKind = RollupKind> {
  readonly schema: 1;
  readonly kind: K;
  /** Responses (respondents) aggregated. */
  readonly n: number;
  readonly counts: readonly number[];
}

const ENGAGEMENT_BAND_OFFSET = ENGAGEMENT_LEVELS.length * ENGAGEMENT_MAX;

/** Length of `counts` per kind. */
export const ROLLUP_LENGTH: Readonly<Record<RollupKind, number>> = {
  nps: NPS_MAX - NPS_MIN + 1,
  enps: NPS_MAX - NPS_MIN + 1,
  csat: CSAT_MAX - CSAT_MIN + 1,
  ces: CES_MAX - CES_MIN + 1,
  engagement: ENGAGEMENT_BAND_OFFSET + ENGAGEMENT_BANDS.length,
};

function requireKind(value: unknown, field: string): RollupKind {
  assertOneOf(value, ROLLUP_KINDS, field, FeedbackErrorCode.InvalidInput);
  return value;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(FeedbackErrorCode.InvalidRollup, field, message);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// Validates a rollup read back from storage (or built by hand): shape, non-negative
// integer counts, and counts consistent with n. With `into`, also adds the counts to it in
// the same pass (mergeAll reads each stored rollup once).
function requireRollup<K extends RollupKind>(value: unknown, field: string, expected?: K, into?: number[]): Rollup<K> {
  const r = value;
  assertObject(r, field, FeedbackErrorCode.InvalidInput);
  if (r.schema !== 1) throw invalid(`${field}.schema`, `unsupported schema ${String(r.schema)}`);
  const kind = requireKind(r.kind, `${field}.kind`);
  if (expected !== undefined && kind !== expected) {
    fail(FeedbackErrorCode.RollupKindMismatch, `${field}.kind`, `expected a ${expected} rollup, got ${kind}`);
  }
  const n = r.n;
  if (!isCount(n)) throw invalid(`${field}.n`, 'expected a non-negative integer');
  const c = r.counts;
  if (!Array.isArray(c) || c.length !== ROLLUP_LENGTH[kind]) {
    throw invalid(`${field}.counts`, `expected an array of ${ROLLUP_LENGTH[kind]} counts`);
  }
  if (kind === 'engagement') {
    for (let l = 0; l < ENGAGEMENT_LEVELS.length; l++) {
      const items = takeCounts(c, l * ENGAGEMENT_MAX, (l + 1) * ENGAGEMENT_MAX, field, into);
      // Every respondent answers at least one item per level.
      if (items < n || (n === 0 && items > 0)) throw invalid(`${field}.counts`, `${ENGAGEMENT_LEVELS[l]} has ${items} answers for ${n} respondents`);
    }
    const bandTotal = takeCounts(c, ENGAGEMENT_BAND_OFFSET, c.length, field, into);
    if (bandTotal !== n) throw invalid(`${field}.counts`, `band counts add up to ${bandTotal}, n is ${n}`);
  } else {
    const total = takeCounts(c, 0, c.length, field, into);
    if (total !== n) throw invalid(`${field}.counts`, `counts add up to ${total}, n is ${n}`);
  }
  return value as Rollup<K>;
}

// Sums counts[from, to), checking each is a count; with `into`, adds them there too.
function takeCounts(c: readonly unknown[], from: number, to: number, field: string, into: number[] | undefined): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = c[i];
    if (!isCount(v)) throw invalid(`${field}.counts[${i}]`, 'expected a non-negative integer');
    sum += v;
    if (into) into[i]! += v;
  }
  return sum;
}

function sumOf(c: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += c[i]!;
  return s;
}

/** The identity of {@link mergeRollups}: no responses. */
export function emptyRollup<K extends RollupKind>(kind: K): Rollup<K> {
  requireKind(kind, 'kind');
  return { schema: 1, kind, n: 0, counts: new Array<number>(ROLLUP_LENGTH[kind]).fill(0) };
}

// Adds one (unvalidated) response into a mutable counts array.
function accumulate(kind: RollupKind, counts: number[], response: unknown, field: string): void {
  switch (kind) {
    case 'nps':
    case 'enps':
      assertIntegerInRange(response, NPS_MIN, NPS_MAX, field, FeedbackErrorCode.ScoreOutOfRange);
      counts[response - NPS_MIN]!++;
      return;
    case 'csat':
      assertIntegerInRange(response, CSAT_MIN, CSAT_MAX, field, FeedbackErrorCode.ScoreOutOfRange);
      counts[response - CSAT_MIN]!++;
      return;
    case 'ces':
      assertIntegerInRange(response, CES_MIN, CES_MAX, field, FeedbackErrorCode.ScoreOutOfRange);
      counts[response - CES_MIN]!++;
      return;
    case 'engagement': {
      const totals = engagementTotals(response, field);
      const record = response as EngagementResponse;
      ENGAGEMENT_LEVELS.forEach((level, l) => {
        for (const s of record[level]) counts[l * ENGAGEMENT_MAX + s - 1]!++;
      });
      counts[ENGAGEMENT_BAND_OFFSET + ENGAGEMENT_BANDS.indexOf(bandOfTotals(totals))]!++;
      return;
    }
  }
}

/**
 * A new rollup with one more response. Rollups are immutable values.
 * @throws DomainError InvalidRollup for a malformed rollup, ScoreOutOfRange at `response` for a bad answer.
 */
export function addResponse<K extends RollupKind>(rollup: Rollup<K>, response: ResponseByKind[K]): Rollup<K> {
  const r = requireRollup<K>(rollup, 'rollup');
  const counts = r.counts.slice();
  accumulate(r.kind, counts, response, 'response');
  return { schema: 1, kind: r.kind, n: r.n + 1, counts };
}

/**
 * Rollup of many responses at once (same result as folding {@link addResponse}).
 * @throws DomainError at `responses[i]` for a bad answer.
 */
export function rollupOf<K extends RollupKind>(kind: K, responses: readonly ResponseByKind[K][]): Rollup<K> {
  const counts = emptyRollup(kind).counts.slice();
  assertArray(responses, 'responses', FeedbackErrorCode.InvalidInput);
  const list = responses;
  for (let i = 0; i < list.length; i++) accumulate(kind, counts, list[i], `responses[${i}]`);
  return { schema: 1, kind, n: list.length, counts };
}

/**
 * Rollup covering the responses of both: element-wise sum of counts. Associative and
 * commutative, with {@link emptyRollup} as identity.
 * @throws DomainError RollupKindMismatch when kinds differ, InvalidRollup for a malformed rollup.
 */
export function mergeRollups<K extends RollupKind>(a: Rollup<K>, b: Rollup<K>): Rollup<K> {
  const left = requireRollup<K>(a, 'a');
  const right = requireRollup(b, 'b', left.kind);
  const counts = left.counts.slice();
  for (let i = 0; i < counts.length; i++) counts[i]! += right.counts[i]!;
  return { schema: 1, kind: left.kind, n: left.n + right.n, counts };
}

/**
 * Merge of any number of rollups of one kind (an empty list gives the empty rollup) —
 * one accumulator instead of a new array per pair.
 * @throws DomainError at `rollups[i]` for a malformed or other-kind rollup.
 */
export function mergeAll<K extends RollupKind>(kind: K, rollups: readonly Rollup<K>[]): Rollup<K> {
  const counts = emptyRollup(kind).counts.slice();
  assertArray(rollups, 'rollups', FeedbackErrorCode.InvalidInput);
  const list = rollups;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    n += requireRollup(list[i], `rollups[${i}]`, kind, counts).n;
  }
  return { schema: 1, kind, n, counts };
}

function npsOfCounts(c: readonly number[]): NpsResult {
  return npsFromCategoryCounts(c[9]! + c[10]!, c[7]! + c[8]!, sumOf(c, 0, 7));
}

/** NPS of an `nps` rollup — equal to {@link nps} over the same answers. */
export function npsFromRollup(rollup: Rollup<'nps'>): NpsResult {
  return npsOfCounts(requireRollup(rollup, 'rollup', 'nps').counts);
}

/** eNPS of an `enps` rollup — equal to {@link enps} over the same answers. */
export function enpsFromRollup(rollup: Rollup<'enps'>): NpsResult {
  return npsOfCounts(requireRollup(rollup, 'rollup', 'enps').counts);
}

/** CSAT of a `csat` rollup — equal to {@link csat} over the same answers. */
export function csatFromRollup(rollup: Rollup<'csat'>): CsatResult {
  const r = requireRollup(rollup, 'rollup', 'csat');
  return csatFromCounts(r.counts[3]! + r.counts[4]!, r.n);
}

/** CES of a `ces` rollup — equal to {@link ces} over the same answers. */
export function cesFromRollup(rollup: Rollup<'ces'>): CesResult {
  const r = requireRollup(rollup, 'rollup', 'ces');
  let sum = 0;
  for (let i = 0; i < r.counts.length; i++) sum += (i + CES_MIN) * r.counts[i]!;
  return cesFromTotals(sum, r.counts[4]! + r.counts[5]! + r.counts[6]!, r.n);
}

/** Group engagement of an `engagement` rollup — equal to {@link engagement} over the same responses. */
export function engagementFromRollup(rollup: Rollup<'engagement'>): EngagementResult {
  const r = requireRollup(rollup, 'rollup', 'engagement');
  const totals: EngagementTotals = { sums: { confidence: 0, integrity: 0, pride: 0, passion: 0 }, counts: { confidence: 0, integrity: 0, pride: 0, passion: 0 } };
  ENGAGEMENT_LEVELS.forEach((level, l) => {
    for (let s = 1; s <= ENGAGEMENT_MAX; s++) {
      const c = r.counts[l * ENGAGEMENT_MAX + s - 1]!;
      totals.sums[level] += s * c;
      totals.counts[level] += c;
    }
  });
  const bands = {} as Record<EngagementBand, number>;
  ENGAGEMENT_BANDS.forEach((band, b) => (bands[band] = r.counts[ENGAGEMENT_BAND_OFFSET + b]!));
  return engagementFromTotals(r.n, totals, bands);
}
