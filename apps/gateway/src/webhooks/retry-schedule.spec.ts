import { DEFAULT_RETRY_SCHEDULE, nextRetryDelayMs, nominalSchedule, RetrySchedule } from './retry-schedule';

const HOUR = 3_600_000;
const MIN = 60_000;
const middle = () => 0.5; // jitter factor 1.0

describe('webhook retry schedule', () => {
  it.each([
    [1, 0, 30_000],
    [2, 30_000, 60_000],
    [3, 90_000, 2 * MIN],
    [6, 31 * 30_000, 16 * MIN],
    [10, 4.258 * HOUR, 256 * MIN],
    // the cap: 30 s · 2^10 = 8.5 h > 6 h
    [11, 8.525 * HOUR, 6 * HOUR],
    [20, 62.525 * HOUR, 6 * HOUR],
  ])('after %i failed attempt(s), the first %d ms ago: the next comes %d ms later', (failed, elapsed, expected) => {
    expect(nextRetryDelayMs(failed, elapsed, DEFAULT_RETRY_SCHEDULE, middle)).toBe(expected);
  });

  it('places the last retry exactly at the end of the 72 h window, then gives up', () => {
    // 68.525 h after the first attempt a 6 h delay would overshoot: it is cut to the window's end.
    expect(nextRetryDelayMs(21, 68.525 * HOUR, DEFAULT_RETRY_SCHEDULE, middle)).toBe(Math.round(3.475 * HOUR));
    expect(nextRetryDelayMs(22, 72 * HOUR, DEFAULT_RETRY_SCHEDULE, middle)).toBeNull();
    expect(nextRetryDelayMs(3, 80 * HOUR, DEFAULT_RETRY_SCHEDULE, middle)).toBeNull();
  });

  it('spreads each delay by ±20 % so receivers recovering from an outage are not hit in waves', () => {
    expect(nextRetryDelayMs(1, 0, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(24_000);
    expect(nextRetryDelayMs(1, 0, DEFAULT_RETRY_SCHEDULE, () => 0.999_999)).toBe(36_000);
    expect(nextRetryDelayMs(11, 10 * HOUR, DEFAULT_RETRY_SCHEDULE, () => 0)).toBe(4.8 * HOUR);
  });

  it('the default schedule: 22 attempts over exactly 72 hours, none further apart than 6 h', () => {
    const at = nominalSchedule(DEFAULT_RETRY_SCHEDULE);
    expect(at).toHaveLength(22);
    expect(at[0]).toBe(0);
    expect(at[at.length - 1]).toBe(72 * HOUR);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(Math.max(...gaps)).toBe(6 * HOUR);
    // the first hour retries quickly: six attempts after the first within 32 minutes
    expect(at.filter((t) => t <= 32 * MIN)).toHaveLength(7);
  });

  it('at test scale (milliseconds) keeps the same shape', () => {
    const fast: RetrySchedule = { baseMs: 20, maxDelayMs: 100, windowMs: 1_000 };
    const at = nominalSchedule(fast);
    expect(at.slice(0, 5)).toEqual([0, 20, 60, 140, 240]);
    expect(at[at.length - 1]).toBe(1_000);
  });

  it('refuses to schedule before any attempt failed', () => {
    expect(() => nextRetryDelayMs(0, 0, DEFAULT_RETRY_SCHEDULE)).toThrow(/at least one/);
  });
});
