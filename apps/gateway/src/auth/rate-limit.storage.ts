import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What {@link ThrottlerStorage.increment} answers (`ThrottlerStorageRecord`, not exported by the package's index). */
type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The expiry instants of one bucket's hits, oldest first. Expired hits leave from the
 * front, so a request costs O(1) however many hits the window holds; the library's store
 * copied the whole list on every request (40,000 entries at 700 req/s and a 60 s window).
 * Should the clock step back (a hit expiring before an earlier one), it falls back to
 * filtering, so the answers stay exact.
 */
class HitLog {
  private at: number[] = [];
  private head = 0;
  private sorted = true;

  get count(): number {
    return this.at.length - this.head;
  }

  add(expiresAt: number): void {
    if (this.count > 0 && this.at[this.at.length - 1]! > expiresAt) this.sorted = false;
    this.at.push(expiresAt);
  }

  /** Drops hits expired at `now` (those expiring at or before it). */
  prune(now: number): void {
    if (!this.sorted) {
      this.at = this.at.slice(this.head).filter((e) => e > now);
      this.head = 0;
      this.sorted = this.at.every((e, i) => i === 0 || this.at[i - 1]! <= e);
      return;
    }
    while (this.head < this.at.length && this.at[this.head]! <= now) this.head += 1;
    // Compact now and then, so the dropped prefix does not pile up.
    if (this.head > 1024 && this.head * 2 > this.at.length) {
      this.at = this.at.slice(this.head);
      this.head = 0;
    }
  }

  earliest(): number {
    if (this.sorted) return this.at[this.head]!;
    let min = Infinity;
    for (let i = this.head; i < this.at.length; i++) min = Math.min(min, this.at[i]!);
    return min;
  }

  hasLive(now: number): boolean {
    for (let i = this.at.length - 1; i >= this.head; i--) if (this.at[i]! > now) return true;
    return false;
  }

  clear(): void {
    this.at = [];
    this.head = 0;
    this.sorted = true;
  }
}

interface Bucket {
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
  hits: Map<string, HitLog>;
}

/**
 * In-memory rate-limit store with the semantics of `@nestjs/throttler`'s own
 * `ThrottlerStorageService` (6.x: a sliding log of hits per key and throttler, a block of
 * `blockDuration` once the limit is passed, idle keys swept every minute), answering in
 * constant time per request. `rate-limit.storage.spec.ts` checks it against the library's
 * store, hit by hit.
 */
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly buckets = new Map<string, Bucket>();
  private sweep?: NodeJS.Timeout;

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<StorageRecord> {
    this.sweep ??= setInterval(() => this.evictIdle(), SWEEP_INTERVAL_MS).unref();
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false, hits: new Map() };
      this.buckets.set(key, bucket);
    }
    let hits = bucket.hits.get(throttlerName);
    if (!hits) {
      hits = new HitLog();
      bucket.hits.set(throttlerName, hits);
    }
    hits.prune(now);
    let timeToExpire = Math.ceil((bucket.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      bucket.expiresAt = now + ttl;
      timeToExpire = Math.ceil((bucket.expiresAt - now) / 1000);
    }

    if (blockDuration <= 0) {
      const isBlocked = hits.count >= limit;
      if (!isBlocked) hits.add(now + ttl);
      const timeToBlockExpire = hits.count > 0 ? Math.ceil((hits.earliest() - now) / 1000) : timeToExpire;
      return { totalHits: hits.count + (isBlocked ? 1 : 0), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 };
    }

    if (!bucket.isBlocked) hits.add(now + ttl);
    if (hits.count > limit && !bucket.isBlocked) {
      bucket.isBlocked = true;
      bucket.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((bucket.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && bucket.isBlocked) {
      bucket.isBlocked = false;
      hits.clear();
      hits.add(now + ttl);
    }
    return { totalHits: hits.count, timeToExpire, isBlocked: bucket.isBlocked, timeToBlockExpire };
  }

  /** Forgets keys with nothing left to remember: not blocked, window over, no live hits. */
  evictIdle(now = Date.now()): void {
    for (const [key, b] of this.buckets) {
      if (b.isBlocked && b.blockExpiresAt > now) continue;
      if (b.expiresAt > now) continue;
      if ([...b.hits.values()].some((h) => h.hasLive(now))) continue;
      this.buckets.delete(key);
    }
  }

  /** Keys currently remembered (tests). */
  get size(): number {
    return this.buckets.size;
  }

  onApplicationShutdown(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
    this.buckets.clear();
  }
}
