import { parseInstant as parseIsoInstant, type InstantOptions } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';

/** An ISO 8601 instant with `Z` or an explicit offset, e.g. `2026-03-27T08:00:00Z`. */
export type Instant = string;

// The kernel's parser (hand-rolled: this is the hot spot of the SLA benchmark), keeping
// this library's grammar of at most millisecond precision.
const MILLISECONDS: InstantOptions = { maxFractionDigits: 3 };

/** Parses an ISO instant to epoch milliseconds, or throws INVALID_INSTANT naming `field`. */
export function parseInstant(value: unknown, field: string): number {
  return parseIsoInstant(value, field, SupportDomainErrorCode.InvalidInstant, MILLISECONDS);
}

/** Epoch milliseconds to the canonical UTC form, e.g. `2026-03-27T08:00:00.000Z`. */
export function formatInstant(ms: number): Instant {
  return new Date(ms).toISOString();
}
