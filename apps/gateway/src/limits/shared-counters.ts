import { logger } from '@steward/telemetry';

/** One bucket's hits to add to the shared store, in the fixed window starting at `windowStart` (ms). */
export interface CounterDelta {
  bucket: string;
  windowStart: number;
  windowMs: number;
  hits: number;
}

/** What the store holds for a bucket after the sync: its window's total and the previous window's. */
export interface CounterTotals {
  bucket: string;
  windowStart: number;
  current: number;
  previous: number;
}

/** Where the counters of every gateway replica meet (counters.repository.ts: PostgreSQL). */
export interface CounterStore {
  /** Adds the deltas (hits 0 only reads) and answers each bucket's totals, in one round trip. */
  sync(deltas: CounterDelta[]): Promise<CounterTotals[]>;
  /** Deletes windows no bucket can still look at. */
  purge(): Promise<void>;
}

export interface Verdict {
  allowed: boolean;
  /** The sliding-window estimate of hits in the last window, this one included if allowed. */
  count: number;
  /** When a refused caller may try again (whole seconds, ≥ 1). */
  retryAfterSeconds: number;
}

interface Bucket {
  windowMs: number;
  windowStart: number;
  /** The store's total for this window at the last sync (the others' hits and ours, flushed). */
  current: number;
  /** The store's total for the previous window. */
  previous: number;
  /** Our hits in this window not yet sent to the store. */
  pending: number;
  /** Our hits of this window in a sync that has not answered yet. */
  inflight: number;
  /** Looked at since the last sync: its totals are refreshed by the next one. */
  touched: boolean;
  lastUsed: number;
}

export interface SharedCountersOptions {
  /** How often this replica adds its hits and reads everyone's (default 100 ms). */
  syncMs?: number;
  now?: () => number;
}

/**
 * Rate-limit counters shared by every gateway replica, at no per-request cost.
 *
 * Each bucket counts hits in fixed windows and estimates the last `window` ms as a sliding
 * window: `previous × (share of the previous window still inside) + current`. Decisions are
 * taken locally, from the totals of the last sync plus this replica's own hits since; every
 * `syncMs` the replica adds its hits to the shared store and reads back each touched
 * bucket's totals (all replicas' hits) in one statement. So a request costs a few map
 * operations, and a limit can be overshot by at most what the other replicas admit for the
 * same bucket within one sync interval (docs/adr/0012-shared-rate-limit-counters.md).
 *
 * Where exactness matters more than cost (failed authentications), {@link record} adds a
 * hit and {@link refresh} reads buckets from the store right away.
 */
export class SharedCounters {
  private readonly buckets = new Map<string, Bucket>();
  /** Buckets looked at since the last sync: only these are sent (a replica may remember many idle ones). */
  private readonly touched = new Set<string>();
  /** Hits of windows that ended before they were flushed. */
  private orphans: CounterDelta[] = [];
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private lastPurge = 0;
  private failingSince?: number;
  private readonly syncMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: CounterStore,
    o: SharedCountersOptions = {},
  ) {
    this.syncMs = o.syncMs ?? 100;
    this.now = o.now ?? Date.now;
  }

  /** Starts the periodic sync. */
  start(): void {
    this.timer ??= setInterval(() => void this.sync(), this.syncMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sync();
  }

  /**
   * Would one more hit fit in `limit` per `windowMs`? Counts it if so (`count` false: only look).
   * Local: no I/O.
   */
  take(bucket: string, limit: number, windowMs: number, count = true): Verdict {
    const now = this.now();
    const b = this.bucket(bucket, windowMs, now);
    this.touch(bucket, b);
    const estimate = this.estimate(b, now);
    // (The epsilon keeps 10 × 0.1 from reading as 0.999….)
    if (estimate + 1 > limit + 1e-9) return { allowed: false, count: Math.floor(estimate + 1e-9), retryAfterSeconds: this.retryAfter(b, limit, now) };
    if (count) b.pending += 1;
    return { allowed: true, count: Math.floor(estimate + 1e-9) + (count ? 1 : 0), retryAfterSeconds: 0 };
  }

  /** The current estimate of a bucket without counting anything (local). */
  peek(bucket: string, limit: number, windowMs: number): Verdict {
    return this.take(bucket, limit, windowMs, false);
  }

  /** Adds a hit and writes it to the store before returning (every replica sees it at its next sync). */
  async record(bucket: string, windowMs: number): Promise<void> {
    const b = this.bucket(bucket, windowMs, this.now());
    b.pending += 1;
    this.touch(bucket, b);
    await this.sync([bucket]);
  }

  /** Reads the buckets' totals from the store now (before a decision that must see every replica's hits). */
  async refresh(buckets: string[], windowMs: number): Promise<void> {
    const now = this.now();
    for (const name of buckets) this.touch(name, this.bucket(name, windowMs, now));
    await this.sync(buckets);
  }

  /** Buckets remembered locally (tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Adds pending hits and refreshes touched buckets (all, or the named ones), one statement. */
  async sync(only?: string[]): Promise<void> {
    // One sync at a time: a second waits for the first, then runs (it may carry new hits).
    while (this.syncing) await this.syncing;
    const run = this.doSync(only);
    this.syncing = run.finally(() => (this.syncing = undefined));
    await this.syncing;
  }

  private async doSync(only?: string[]): Promise<void> {
    const now = this.now();
    const sent: Array<{ name: string; b: Bucket; hits: number; windowStart: number; windowMs: number }> = [];
    const deltas: CounterDelta[] = [];
    for (const name of only ?? [...this.touched]) {
      const b = this.buckets.get(name);
      this.touched.delete(name);
      if (!b || !b.touched) continue;
      this.roll(name, b, now);
      sent.push({ name, b, hits: b.pending, windowStart: b.windowStart, windowMs: b.windowMs });
      deltas.push({ bucket: name, windowStart: b.windowStart, windowMs: b.windowMs, hits: b.pending });
      b.inflight += b.pending;
      b.pending = 0;
      b.touched = false;
    }
    const orphans = this.orphans;
    this.orphans = [];
    deltas.push(...orphans);
    if (deltas.length === 0) return this.maybePurge(now);
    try {
      const totals = await this.store.sync(merge(deltas));
      const byKey = new Map(totals.map((t) => [`${t.bucket}\n${t.windowStart}`, t]));
      for (const { name, b, hits, windowStart } of sent) {
        // The window may have rolled while the statement ran: then those hits and totals belong to the previous window.
        if (b.windowStart !== windowStart) continue;
        b.inflight -= hits;
        const t = byKey.get(`${name}\n${windowStart}`);
        if (t) {
          b.current = t.current;
          b.previous = t.previous;
        }
      }
      if (this.failingSince !== undefined) logger().info({ failedForSeconds: Math.round((now - this.failingSince) / 1000) }, 'rate-limit counters are shared again');
      this.failingSince = undefined;
    } catch (err) {
      // Keep counting locally; the hits go out with the next sync that works.
      for (const { name, b, hits, windowStart, windowMs } of sent) {
        this.touch(name, b);
        if (b.windowStart === windowStart) {
          b.inflight -= hits;
          b.pending += hits;
        } else if (hits > 0) this.orphans.push({ bucket: name, windowStart, windowMs, hits });
      }
      this.orphans.push(...orphans);
      if (this.failingSince === undefined) {
        this.failingSince = now;
        logger().warn({ error: err instanceof Error ? err.message : String(err) }, 'rate-limit counters cannot be shared (the store is unreachable): each replica limits on its own counts until it is back');
      }
      return;
    }
    await this.maybePurge(now);
  }

  private async maybePurge(now: number): Promise<void> {
    if (now - this.lastPurge < 60_000) return;
    this.lastPurge = now;
    await this.store.purge().catch(() => undefined);
    // Forget buckets idle for two of their windows (nothing they counted can matter any more).
    for (const [name, b] of this.buckets) if (!b.touched && b.pending === 0 && b.inflight === 0 && now - b.lastUsed > 2 * b.windowMs) this.buckets.delete(name);
  }

  private touch(name: string, b: Bucket): void {
    b.touched = true;
    this.touched.add(name);
  }

  private bucket(name: string, windowMs: number, now: number): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { windowMs, windowStart: windowStartOf(now, windowMs), current: 0, previous: 0, pending: 0, inflight: 0, touched: false, lastUsed: now };
      this.buckets.set(name, b);
    } else this.roll(name, b, now);
    b.lastUsed = now;
    return b;
  }

  /** Moves a bucket into the window `now` falls in; unflushed hits of the old one are kept for the next sync. */
  private roll(name: string, b: Bucket, now: number): void {
    const start = windowStartOf(now, b.windowMs);
    if (start === b.windowStart) return;
    const ended = b.current + b.pending + b.inflight;
    // In-flight hits are already on their way to the old window; unsent ones follow with the next sync.
    if (b.pending > 0) this.orphans.push({ bucket: name, windowStart: b.windowStart, windowMs: b.windowMs, hits: b.pending });
    b.previous = start - b.windowStart === b.windowMs ? ended : 0;
    b.current = 0;
    b.pending = 0;
    b.inflight = 0;
    b.windowStart = start;
    this.touch(name, b);
  }

  private estimate(b: Bucket, now: number): number {
    const inside = 1 - (now - b.windowStart) / b.windowMs;
    return b.previous * inside + b.current + b.pending + b.inflight;
  }

  /** Seconds until one more hit would fit, assuming nobody else adds any. */
  private retryAfter(b: Bucket, limit: number, now: number): number {
    const mine = b.current + b.pending + b.inflight;
    let at: number;
    if (mine + 1 > limit || b.previous === 0) {
      // Not before this window ends; then this window becomes the previous one and fades.
      const next = b.windowStart + b.windowMs;
      at = mine + 1 > limit ? next + b.windowMs * (1 - (limit - 1) / Math.max(mine, 1)) : next;
    } else {
      // The previous window's share must fade until previous × inside + mine + 1 ≤ limit.
      const inside = (limit - 1 - mine) / b.previous;
      at = b.windowStart + b.windowMs * (1 - inside);
    }
    return Math.max(1, Math.ceil((at - now) / 1000));
  }
}

export function windowStartOf(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** One delta per (bucket, window), in a fixed order: two replicas' statements then lock rows in the same order. */
function merge(deltas: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = `${d.bucket}\n${d.windowStart}`;
    const seen = byKey.get(key);
    if (seen) seen.hits += d.hits;
    else byKey.set(key, { ...d });
  }
  return [...byKey.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.windowStart - b.windowStart));
}
