import { CounterDelta, CounterStore, CounterTotals, SharedCounters, windowStartOf } from './shared-counters';

/** The shared store as a map, like the table: (bucket, window start) → hits. */
class MemoryStore implements CounterStore {
  readonly rows = new Map<string, number>();
  calls = 0;
  failing = false;
  async sync(deltas: CounterDelta[]): Promise<CounterTotals[]> {
    this.calls += 1;
    if (this.failing) throw new Error('store down');
    return deltas.map((d) => {
      const key = `${d.bucket}@${d.windowStart}`;
      const current = (this.rows.get(key) ?? 0) + d.hits;
      if (d.hits > 0) this.rows.set(key, current);
      return { bucket: d.bucket, windowStart: d.windowStart, current, previous: this.rows.get(`${d.bucket}@${d.windowStart - d.windowMs}`) ?? 0 };
    });
  }
  async purge(): Promise<void> {}
  hits(bucket: string, windowStart: number): number {
    return this.rows.get(`${bucket}@${windowStart}`) ?? 0;
  }
}

const W = 60_000;
const T0 = Date.parse('2026-12-02T10:00:00.000Z'); // a window boundary
const clock = (start = T0) => {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms) };
};

describe('SharedCounters', () => {
  it('admits up to the limit within a window and refuses the next, with Retry-After until the window ends', () => {
    const c = clock(T0 + 10_000);
    const counters = new SharedCounters(new MemoryStore(), { now: c.now });
    const verdicts = Array.from({ length: 6 }, () => counters.take('tenant:a', 5, W));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false]);
    // 5 hits in this window, nothing before: the 6th fits once this window has become the previous
    // one and faded to 4/5 of itself, i.e. 12 s into the next window: 50 s + 12 s from now.
    expect(verdicts[5]!.retryAfterSeconds).toBe(62);
  });

  it('estimates the last minute as a sliding window: the previous window counts by the share still inside it', () => {
    const c = clock(T0 + 30_000);
    const store = new MemoryStore();
    store.rows.set(`ip:x@${T0 - W}`, 10); // 10 hits in the previous window
    const counters = new SharedCounters(store, { now: c.now });
    return counters.refresh(['ip:x'], W).then(() => {
      // Half the previous window is still inside the last minute: 10 × 0.5 = 5.
      expect(counters.peek('ip:x', 100, W).count).toBe(5);
      c.set(T0 + 54_000); // 10 % of it left: 1
      expect(counters.peek('ip:x', 100, W).count).toBe(1);
      // With a limit of 6 and 5 counted at 30 s, the 2nd more hit waits for the previous window to fade.
      c.set(T0 + 30_000);
      expect(counters.take('ip:x', 6, W).allowed).toBe(true);
      const refused = counters.take('ip:x', 6, W);
      expect(refused.allowed).toBe(false);
      // previous × (1 − t/W) + 1 + 1 ≤ 6 ⇒ t ≥ 36 s into the window: 6 s from now.
      expect(refused.retryAfterSeconds).toBe(6);
    });
  });

  it("adds this replica's hits to the store at each sync and sees the other replicas' hits", async () => {
    const store = new MemoryStore();
    const c = clock(T0 + 1_000);
    const a = new SharedCounters(store, { now: c.now });
    const b = new SharedCounters(store, { now: c.now });
    for (let i = 0; i < 3; i++) a.take('partner:p', 10, W);
    for (let i = 0; i < 4; i++) b.take('partner:p', 10, W);
    // Before syncing, each knows only its own.
    expect(a.peek('partner:p', 10, W).count).toBe(3);
    await a.sync();
    await b.sync();
    a.peek('partner:p', 10, W); // a request looks at the bucket: the next sync refreshes it
    await a.sync();
    expect(store.hits('partner:p', T0)).toBe(7);
    expect(a.peek('partner:p', 10, W).count).toBe(7);
    expect(b.peek('partner:p', 10, W).count).toBe(7);
    // Three more fit across both replicas, no more.
    const admitted = [a, b, a, b, a].map((r) => r.take('partner:p', 10, W).allowed);
    expect(admitted.filter(Boolean).length).toBeLessThanOrEqual(5); // locally each sees 7 + its own
    await a.sync();
    await b.sync();
    a.peek('partner:p', 10, W);
    await a.sync();
    expect(a.peek('partner:p', 10, W).allowed).toBe(false);
    expect(b.peek('partner:p', 10, W).allowed).toBe(false);
  });

  it('record() writes a failure through at once, so another replica refreshing sees it', async () => {
    const store = new MemoryStore();
    const c = clock(T0 + 5_000);
    const a = new SharedCounters(store, { now: c.now });
    const b = new SharedCounters(store, { now: c.now });
    await a.record('auth-ip:1.2.3.4', 900_000);
    await a.record('auth-ip:1.2.3.4', 900_000);
    const w = windowStartOf(c.now(), 900_000);
    expect(store.hits('auth-ip:1.2.3.4', w)).toBe(2);
    await b.refresh(['auth-ip:1.2.3.4'], 900_000);
    expect(b.peek('auth-ip:1.2.3.4', 2, 900_000).allowed).toBe(false);
    expect(b.peek('auth-ip:1.2.3.4', 3, 900_000).allowed).toBe(true);
  });

  it('keeps hits of a window that ended before they were synced, and carries them into that window', async () => {
    const store = new MemoryStore();
    const c = clock(T0 + 59_000);
    const counters = new SharedCounters(store, { now: c.now });
    counters.take('tenant:t', 100, W);
    counters.take('tenant:t', 100, W);
    c.set(T0 + 61_000); // the next window, before any sync
    counters.take('tenant:t', 100, W);
    await counters.sync();
    expect(store.hits('tenant:t', T0)).toBe(2);
    expect(store.hits('tenant:t', T0 + W)).toBe(1);
    // 2 × (1 − 1/60) + 1 ≈ 2.97
    expect(counters.peek('tenant:t', 100, W).count).toBe(2);
  });

  it('counts locally while the store is unreachable and hands the hits over once it is back', async () => {
    const store = new MemoryStore();
    const c = clock(T0 + 1_000);
    const counters = new SharedCounters(store, { now: c.now });
    store.failing = true;
    for (let i = 0; i < 3; i++) counters.take('ip:y', 3, W);
    await counters.sync();
    expect(counters.take('ip:y', 3, W).allowed).toBe(false);
    store.failing = false;
    await counters.sync();
    expect(store.hits('ip:y', T0)).toBe(3);
    expect(counters.peek('ip:y', 3, W).count).toBe(3);
  });

  it('sends nothing when nothing was touched, and one statement for all touched buckets', async () => {
    const store = new MemoryStore();
    const counters = new SharedCounters(store, { now: clock(T0 + 1).now });
    await counters.sync();
    expect(store.calls).toBe(0);
    counters.take('a', 5, W);
    counters.take('b', 5, W);
    counters.peek('c', 5, W);
    await counters.sync();
    expect(store.calls).toBe(1);
    await counters.sync();
    expect(store.calls).toBe(1);
  });
});
