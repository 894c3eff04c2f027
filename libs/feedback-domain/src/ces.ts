import { assertScores } from './scores';

/**
 * Customer Effort Score on the 7-point agreement scale of CES 2.0
 * ("The company made it easy for me to handle my issue": 1 = strongly disagree …
 * 7 = strongly agree). Higher is better (less effort).
 */
export interface CesResult {
  /** Mean answer, 1–7; null when n = 0. */
  ces: number | null;
  /** Share of "easy" answers (5, 6 or 7 — the agree side of the scale) in percent; null when n = 0. */
  easyShare: number | null;
  /** Answers of 5–7. */
  easy: number;
  n: number;
}

export const CES_MIN = 1;
export const CES_MAX = 7;

/** @internal `sum` is the integer sum of answers, shared by the scan and rollup paths. */
export function cesFromTotals(sum: number, easy: number, n: number): CesResult {
  if (n === 0) return { ces: null, easyShare: null, easy, n };
  return { ces: sum / n, easyShare: (easy / n) * 100, easy, n };
}

/**
 * CES = mean of integer answers 1–7, with the share of 5–7 ("easy").
 * @throws DomainError ScoreOutOfRange at `scores[i]`.
 */
export function ces(scores: readonly number[]): CesResult {
  assertScores(scores, CES_MIN, CES_MAX, 'scores');
  const valid = scores;
  let sum = 0;
  let easy = 0;
  for (const score of valid) {
    sum += score;
    if (score >= 5) easy++;
  }
  return cesFromTotals(sum, easy, valid.length);
}
