import { assertArray, assertIntegerInRange } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';

/**
 * An array of integer answers on the closed scale [min, max]; a bad answer fails as
 * `ScoreOutOfRange` at `field[i]`, with min, max and the value in `details`.
 */
export function assertScores(value: unknown, min: number, max: number, field: string): asserts value is readonly number[] {
  assertArray(value, field, FeedbackErrorCode.InvalidInput);
  for (let i = 0; i < value.length; i++) assertIntegerInRange(value[i], min, max, `${field}[${i}]`, FeedbackErrorCode.ScoreOutOfRange);
}
