import { assertArray, assertIntegerInRange, assertObject, assertRange, fail } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';

/**
 * The four levels of customer engagement, from foundation to top (Gallup's CE11
 * hierarchy): confidence → integrity → pride → passion.
 */
export const ENGAGEMENT_LEVELS = ['confidence', 'integrity', 'pride', 'passion'] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];

/** One respondent's answers: each level has one or more items scored 1–5. */
export type EngagementResponse = Readonly<Record<EngagementLevel, readonly number[]>>;

export type EngagementLevelScores = Record<EngagementLevel, number>;

/** Bands, best first. */
export const ENGAGEMENT_BANDS = ['fully-engaged', 'engaged', 'not-engaged', 'actively-disengaged'] as const;
export type EngagementBand = (typeof ENGAGEMENT_BANDS)[number];

export const ENGAGEMENT_MIN = 1;
export const ENGAGEMENT_MAX = 5;

// Level means come from thirds and quarters (e.g. 13/3); a tolerance keeps 4.5 computed
// through floating point equal to 4.5.
const EPS = 1e-9;
const atLeast = (value: number, threshold: number): boolean => value >= threshold - EPS;

/**
 * The band rule (first match wins; see README "Engagement band"):
 * 1. actively-disengaged — overall < 3, or any level ≤ 2 (the respondent disagrees on
 *    average with a whole level);
 * 2. fully-engaged — every level ≥ 4 and overall ≥ 4.5;
 * 3. engaged — overall ≥ 4 (DOMAIN: "engaged customers (engagement ≥ 4 of 5)");
 * 4. not-engaged — otherwise (3 ≤ overall < 4).
 * `overall` is the mean of the four level scores.
 * @throws DomainError InvalidInput at `levels.<level>` when a score is not a number in [1, 5].
 */
export function engagementBand(levels: EngagementLevelScores): EngagementBand {
  assertObject(levels, 'levels', FeedbackErrorCode.InvalidInput);
  for (const level of ENGAGEMENT_LEVELS) assertRange(levels[level], ENGAGEMENT_MIN, ENGAGEMENT_MAX, `levels.${level}`, FeedbackErrorCode.InvalidInput);
  return bandOf(levels, overallOf(levels));
}

function overallOf(levels: EngagementLevelScores): number {
  return (levels.confidence + levels.integrity + levels.pride + levels.passion) / 4;
}

function bandOf(levels: EngagementLevelScores, overall: number): EngagementBand {
  const scores = ENGAGEMENT_LEVELS.map((l) => levels[l]);
  if (!atLeast(overall, 3) || scores.some((s) => s <= 2 + EPS)) return 'actively-disengaged';
  if (scores.every((s) => atLeast(s, 4)) && atLeast(overall, 4.5)) return 'fully-engaged';
  if (atLeast(overall, 4)) return 'engaged';
  return 'not-engaged';
}

/** One respondent's engagement. */
export interface RespondentEngagement {
  /** Mean of each level's items, 1–5. */
  levels: EngagementLevelScores;
  /** Mean of the four level scores (levels weigh equally, whatever their item count). */
  overall: number;
  band: EngagementBand;
}

/** Validated per-level integer sums and item counts of one response (shared with the rollup). */
export interface EngagementTotals {
  sums: Record<EngagementLevel, number>;
  counts: Record<EngagementLevel, number>;
}

/** @internal validates one response and returns its integer totals. */
export function engagementTotals(response: unknown, field: string): EngagementTotals {
  assertObject(response, field, FeedbackErrorCode.InvalidInput);
  const sums = { confidence: 0, integrity: 0, pride: 0, passion: 0 };
  const counts = { confidence: 0, integrity: 0, pride: 0, passion: 0 };
  for (const level of ENGAGEMENT_LEVELS) {
    const items = response[level];
    assertArray(items, `${field}.${level}`, FeedbackErrorCode.InvalidInput);
    if (items.length === 0) fail(FeedbackErrorCode.InvalidInput, `${field}.${level}`, 'each level needs at least one item');
    for (let i = 0; i < items.length; i++) {
      const score = items[i];
      assertIntegerInRange(score, ENGAGEMENT_MIN, ENGAGEMENT_MAX, `${field}.${level}[${i}]`, FeedbackErrorCode.ScoreOutOfRange);
      sums[level] += score;
    }
    counts[level] = items.length;
  }
  return { sums, counts };
}

/** @internal level means from totals. */
export function levelMeans(totals: EngagementTotals): EngagementLevelScores {
  return {
    confidence: totals.sums.confidence / totals.counts.confidence,
    integrity: totals.sums.integrity / totals.counts.integrity,
    pride: totals.sums.pride / totals.counts.pride,
    passion: totals.sums.passion / totals.counts.passion,
  };
}

/** @internal band of one validated response. */
export function bandOfTotals(totals: EngagementTotals): EngagementBand {
  const levels = levelMeans(totals);
  return bandOf(levels, overallOf(levels));
}

/**
 * Engagement of one respondent: level score = mean of that level's items, overall =
 * mean of the four levels, band by {@link engagementBand}.
 * @throws DomainError ScoreOutOfRange at `response.<level>[i]`, InvalidInput for an empty level.
 */
export function respondentEngagement(response: EngagementResponse): RespondentEngagement {
  const levels = levelMeans(engagementTotals(response, 'response'));
  const overall = overallOf(levels);
  return { levels, overall, band: bandOf(levels, overall) };
}

/** Engagement of a group (period, segment, tier, account, team). */
export interface EngagementResult {
  /** Respondents. */
  n: number;
  /** Per level: mean of every item answer of that level in the group (pooled); null when n = 0. */
  levels: EngagementLevelScores | null;
  /** Mean of the four pooled level scores; null when n = 0. */
  overall: number | null;
  /** The band rule applied to the group's level profile; null when n = 0. */
  band: EngagementBand | null;
  /** Respondents per individual band. */
  bands: Record<EngagementBand, number>;
  /** Share of respondents fully engaged or engaged, in percent; null when n = 0. */
  engagedShare: number | null;
}

/** @internal shared by the scan and rollup paths: integer totals in, result out. */
export function engagementFromTotals(n: number, totals: EngagementTotals, bands: Record<EngagementBand, number>): EngagementResult {
  if (n === 0) return { n, levels: null, overall: null, band: null, bands, engagedShare: null };
  const levels = levelMeans(totals);
  const overall = overallOf(levels);
  return { n, levels, overall, band: bandOf(levels, overall), bands, engagedShare: ((bands['fully-engaged'] + bands.engaged) / n) * 100 };
}

/**
 * Group engagement from individual responses. Level scores pool item answers
 * (so they equal the rollup result exactly); `bands` counts each respondent's band.
 * @throws DomainError at `responses[i].<level>[j]` for a bad answer.
 */
export function engagement(responses: readonly EngagementResponse[]): EngagementResult {
  assertArray(responses, 'responses', FeedbackErrorCode.InvalidInput);
  const list = responses;
  const totals: EngagementTotals = { sums: { confidence: 0, integrity: 0, pride: 0, passion: 0 }, counts: { confidence: 0, integrity: 0, pride: 0, passion: 0 } };
  const bands: Record<EngagementBand, number> = { 'fully-engaged': 0, engaged: 0, 'not-engaged': 0, 'actively-disengaged': 0 };
  for (let i = 0; i < list.length; i++) {
    const one = engagementTotals(list[i], `responses[${i}]`);
    for (const level of ENGAGEMENT_LEVELS) {
      totals.sums[level] += one.sums[level];
      totals.counts[level] += one.counts[level];
    }
    bands[bandOfTotals(one)]++;
  }
  return engagementFromTotals(list.length, totals, bands);
}
