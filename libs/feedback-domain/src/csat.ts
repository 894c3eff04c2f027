import { assertScores } from './scores';

/** Customer satisfaction on the 1–5 scale (typically asked after a ticket). */
export interface CsatResult {
  /** Share of satisfied answers (4 or 5) in percent, 0–100; null when n = 0. */
  csat: number | null;
  /** Answers of 4 or 5. */
  satisfied: number;
  n: number;
}

export const CSAT_MIN = 1;
export const CSAT_MAX = 5;

/** @internal shared by the scan and rollup paths. */
export function csatFromCounts(satisfied: number, n: number): CsatResult {
  return { csat: n === 0 ? null : (satisfied / n) * 100, satisfied, n };
}

/**
 * CSAT = (answers of 4 or 5) / n × 100 on integer answers 1–5 (top-2-box).
 * @throws DomainError ScoreOutOfRange at `scores[i]`.
 */
export function csat(scores: readonly number[]): CsatResult {
  assertScores(scores, CSAT_MIN, CSAT_MAX, 'scores');
  const valid = scores;
  let satisfied = 0;
  for (const score of valid) if (score >= 4) satisfied++;
  return csatFromCounts(satisfied, valid.length);
}
