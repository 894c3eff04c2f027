import { assertScores } from './scores';

/** Result of an NPS (or eNPS) computation. Counts are respondents. */
export interface NpsResult {
  /** %promoters − %detractors, from −100 to +100; null when n = 0. */
  nps: number | null;
  /** Scores 9–10. */
  promoters: number;
  /** Scores 7–8. */
  passives: number;
  /** Scores 0–6. */
  detractors: number;
  n: number;
  /**
   * Half-width of the 95% confidence interval, in NPS points:
   * 1.96 · √((p + d − (p − d)²) / n) · 100 with p, d the promoter and detractor shares.
   * Null when n = 0.
   */
  marginOfError: number | null;
}

export const NPS_MIN = 0;
export const NPS_MAX = 10;
const Z_95 = 1.96;

/**
 * NPS from the three category counts — the one formula shared by the scan and the
 * rollup paths, so both give bit-identical results.
 */
export function npsFromCategoryCounts(promoters: number, passives: number, detractors: number): NpsResult {
  const n = promoters + passives + detractors;
  if (n === 0) return { nps: null, promoters, passives, detractors, n, marginOfError: null };
  const p = promoters / n;
  const d = detractors / n;
  // Each answer scores +1, 0 or −1; NPS/100 is their mean and this is their variance.
  const variance = p + d - (p - d) * (p - d);
  return {
    nps: ((promoters - detractors) / n) * 100,
    promoters,
    passives,
    detractors,
    n,
    marginOfError: Z_95 * Math.sqrt(variance / n) * 100,
  };
}

function npsOf(scores: unknown, field: string): NpsResult {
  assertScores(scores, NPS_MIN, NPS_MAX, field);
  const valid = scores;
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const score of valid) {
    if (score >= 9) promoters++;
    else if (score >= 7) passives++;
    else detractors++;
  }
  return npsFromCategoryCounts(promoters, passives, detractors);
}

/**
 * Net Promoter Score of "how likely are you to recommend…" answers (integers 0–10).
 * Empty input gives `{ n: 0, nps: null, marginOfError: null }`.
 * @throws DomainError ScoreOutOfRange at `scores[i]` for a non-integer or out-of-range score.
 */
export function nps(scores: readonly number[]): NpsResult {
  return npsOf(scores, 'scores');
}

/**
 * Employee NPS: the same arithmetic as {@link nps} on employee-pulse answers
 * ("how likely are you to recommend working here…", 0–10).
 */
export function enps(scores: readonly number[]): NpsResult {
  return npsOf(scores, 'scores');
}
