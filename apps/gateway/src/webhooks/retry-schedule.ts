/**
 * When a failed webhook attempt is tried again (docs/webhooks.md, "Retries"). Plain
 * functions over plain data, so the schedule is unit-tested without a clock or a database.
 */
export interface RetrySchedule {
  /** Delay after the first failed attempt; each further failure doubles it… */
  baseMs: number;
  /** …up to this cap. */
  maxDelayMs: number;
  /**
   * Attempts continue until this long after the round's first attempt: the last retry is
   * placed exactly at the end of the window, so a receiver that is down for up to the whole
   * window (72 h by default) still gets the event.
   */
  windowMs: number;
}

/** The defaults: 30 s doubling up to 6 h, for 72 h (22 attempts, docs/webhooks.md). */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { baseMs: 30_000, maxDelayMs: 6 * 3_600_000, windowMs: 72 * 3_600_000 };

/** Jitter: each delay is scaled by a factor in [0.8, 1.2), so receivers recovering from an outage are not hit in waves. */
export const JITTER = 0.2;

/**
 * The delay before the next attempt after `failedAttempts` failures in this round, the first
 * of which happened `elapsedMs` ago; null when the window is over and the delivery fails for
 * good. `random` is in [0, 1) (tests pass a fixed one).
 */
export function nextRetryDelayMs(failedAttempts: number, elapsedMs: number, s: RetrySchedule, random: () => number = Math.random): number | null {
  if (failedAttempts < 1) throw new Error('nextRetryDelayMs: at least one attempt must have failed');
  const remaining = s.windowMs - elapsedMs;
  if (remaining <= 0) return null;
  const exponential = Math.min(s.maxDelayMs, s.baseMs * 2 ** Math.min(failedAttempts - 1, 52));
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random());
  return Math.max(0, Math.round(Math.min(jittered, remaining)));
}

/** Every attempt's time after the first (ms), without jitter: the schedule as documented. */
export function nominalSchedule(s: RetrySchedule): number[] {
  const at = [0];
  for (let failed = 1; ; failed++) {
    const delay = nextRetryDelayMs(failed, at[at.length - 1]!, s, () => 0.5);
    if (delay === null) return at;
    at.push(at[at.length - 1]! + delay);
  }
}
