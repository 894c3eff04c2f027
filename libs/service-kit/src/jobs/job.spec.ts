import { z } from 'zod';
import { defineJob, retryDelayMs } from './job';

describe('retry backoff', () => {
  it.each([
    // attempt, base, max, random → delay
    [1, 1000, 300_000, 0, 1000],
    [2, 1000, 300_000, 0, 2000],
    [3, 1000, 300_000, 0, 4000],
    [10, 1000, 300_000, 0, 300_000],
    [1, 1000, 300_000, 0.999, 1200],
    [3, 200, 300_000, 0.5, 880],
    [40, 1000, 60_000, 0.25, 63_000],
  ])('attempt %i with base %i ms (cap %i, jitter %f) waits %i ms', (attempt, base, max, random, expected) => {
    expect(retryDelayMs(attempt, base, max, random)).toBe(expected);
  });

  it('never waits less than the base nor more than the cap plus 20 %', () => {
    for (let attempt = 1; attempt < 60; attempt++) {
      for (const random of [0, 0.3, 0.99]) {
        const d = retryDelayMs(attempt, 500, 10_000, random);
        expect(d).toBeGreaterThanOrEqual(500);
        expect(d).toBeLessThanOrEqual(12_000);
      }
    }
  });
});

describe('job kinds', () => {
  it('are named service.noun, with at least one attempt', () => {
    expect(defineJob('accounts.import', z.object({})).maxAttempts).toBe(5);
    expect(() => defineJob('Import', z.object({}))).toThrow(/service.noun/);
    expect(() => defineJob('accounts', z.object({}))).toThrow(/service.noun/);
    expect(() => defineJob('accounts.import', z.object({}), { maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
