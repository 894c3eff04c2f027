import { FeedbackDomainError, FeedbackErrorCode } from './errors';

// Shared guards so every exported function rejects bad input the same way.

export function requireArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new FeedbackDomainError(FeedbackErrorCode.InvalidInput, field, 'expected an array');
  }
  return value;
}

export function requireRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FeedbackDomainError(FeedbackErrorCode.InvalidInput, field, 'expected an object');
  }
  return value as Record<string, unknown>;
}

export function isScore(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** An integer score on the closed scale [min, max]. */
export function requireScore(value: unknown, min: number, max: number, field: string): number {
  if (!isScore(value, min, max)) {
    throw new FeedbackDomainError(FeedbackErrorCode.ScoreOutOfRange, field, `expected an integer from ${min} to ${max}, got ${String(value)}`, {
      min,
      max,
      value,
    });
  }
  return value;
}

/** Validates every element of a score array; returns it typed. */
export function requireScores(value: unknown, min: number, max: number, field: string): readonly number[] {
  const scores = requireArray(value, field);
  for (let i = 0; i < scores.length; i++) requireScore(scores[i], min, max, `${field}[${i}]`);
  return scores as readonly number[];
}
