import { ThrottlerStorageService } from '@nestjs/throttler';
import { RateLimitStorage } from './rate-limit.storage';

const START = Date.UTC(2026, 10, 30, 9, 0, 0);

/** Seeded PRNG (mulberry32): the same sequence on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replays one sequence of hits (instant, key, ttl, limit, block) against both stores. */
function replay(hits: ReadonlyArray<{ at: number; key: string; ttl: number; limit: number; block: number }>) {
  const ours = new RateLimitStorage();
  const theirs = new ThrottlerStorageService();
  let now = START;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
  const answers: Array<[unknown, unknown]> = [];
  return (async () => {
    try {
      for (const h of hits) {
        now = h.at;
        answers.push([await ours.increment(h.key, h.ttl, h.limit, h.block, 'default'), await theirs.increment(h.key, h.ttl, h.limit, h.block, 'default')]);
      }
      return answers;
    } finally {
      clock.mockRestore();
      ours.onApplicationShutdown();
      theirs.onApplicationShutdown();
    }
  })();
}

describe('rate-limit storage', () => {
  it('answers like @nestjs/throttler: 7 hits against a limit of 5 in a 10 s window with a 10 s block', async () => {
    const hits = [0, 100, 200, 300, 400, 500, 600].map((ms) => ({ at: START + ms, key: 'tenant:a', ttl: 10_000, limit: 5, block: 10_000 }));
    const answers = await replay(hits);
    for (const [ours, theirs] of answers) expect(ours).toEqual(theirs);
    // Hand-worked: the 6th hit passes the limit and blocks for 10 s; the 7th is still blocked.
    expect(answers.map(([o]) => (o as { isBlocked: boolean }).isBlocked)).toEqual([false, false, false, false, false, true, true]);
    expect(answers[6]![0]).toMatchObject({ totalHits: 6, timeToExpire: 10, timeToBlockExpire: 10 });
  });

  it('answers like @nestjs/throttler over 20,000 random hits on 3 keys, with blocks and without, a clock that steps back once', async () => {
    const random = seededRandom(7);
    let at = START;
    const hits = Array.from({ length: 20_000 }, (_, i) => {
      // Mostly a few ms apart, now and then a pause longer than the window; once the clock steps back 3 s.
      at += i === 12_000 ? -3_000 : random() < 0.002 ? 12_000 : Math.floor(random() * 6);
      const key = ['tenant:a', 'tenant:b', 'api-key:c'][Math.floor(random() * 3)]!;
      return { at, key, ttl: 5_000, limit: key === 'tenant:a' ? 400 : 900, block: i < 10_000 ? 5_000 : 0 };
    });
    const answers = await replay(hits);
    let blocked = 0;
    for (const [i, [ours, theirs]] of answers.entries()) {
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`hit ${i} (${JSON.stringify(hits[i])}): ours ${JSON.stringify(ours)}, theirs ${JSON.stringify(theirs)}`);
      if ((ours as { isBlocked: boolean }).isBlocked) blocked += 1;
    }
    // The sequence does exercise the limit (or the comparison above proves little).
    expect(blocked).toBeGreaterThan(100);
  });

  it('forgets a key once its window is over and no hit is live', async () => {
    const storage = new RateLimitStorage();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(START);
    try {
      await storage.increment('ip:1', 1_000, 10, 1_000, 'default');
      storage.evictIdle(START + 500);
      expect(storage.size).toBe(1);
      storage.evictIdle(START + 1_000);
      expect(storage.size).toBe(0);
    } finally {
      clock.mockRestore();
      storage.onApplicationShutdown();
    }
  });
});
