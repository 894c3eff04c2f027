import type { UnitOfWork } from '@steward/persistence';
import type { CounterDelta, CounterStore, CounterTotals } from './shared-counters';

/**
 * The shared rate-limit counters in PostgreSQL (`gateway.rate_limit_counters`, UNLOGGED:
 * counters are worth no WAL). One statement adds every delta and reads back each bucket's
 * window total and its previous window's. Platform data, not a tenant's: no tenant is set.
 */
export class CountersRepository implements CounterStore {
  constructor(private readonly uow: UnitOfWork) {}

  async sync(deltas: CounterDelta[]): Promise<CounterTotals[]> {
    if (deltas.length === 0) return [];
    const rows: Array<{ bucket: string; window_start: string; current: number; previous: number }> = await this.uow.withoutTenant((em) =>
      em.query(
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[]) AS t(bucket, window_start, window_ms, hits)
         ), added AS (
           INSERT INTO gateway.rate_limit_counters AS c (bucket, window_start, hits, expires_at)
           SELECT bucket, window_start, hits, to_timestamp((window_start + 2 * window_ms) / 1000.0) FROM input WHERE hits > 0
           ON CONFLICT (bucket, window_start) DO UPDATE SET hits = c.hits + excluded.hits
           RETURNING bucket, window_start, hits
         )
         SELECT i.bucket, i.window_start, coalesce(a.hits, cur.hits, 0)::int AS current, coalesce(prev.hits, 0)::int AS previous
         FROM input i
         LEFT JOIN added a ON a.bucket = i.bucket AND a.window_start = i.window_start
         LEFT JOIN gateway.rate_limit_counters cur ON cur.bucket = i.bucket AND cur.window_start = i.window_start
         LEFT JOIN gateway.rate_limit_counters prev ON prev.bucket = i.bucket AND prev.window_start = i.window_start - i.window_ms`,
        [deltas.map((d) => d.bucket), deltas.map((d) => d.windowStart), deltas.map((d) => d.windowMs), deltas.map((d) => d.hits)],
      ),
    );
    return rows.map((r) => ({ bucket: r.bucket, windowStart: Number(r.window_start), current: r.current, previous: r.previous }));
  }

  async purge(): Promise<void> {
    await this.uow.withoutTenant((em) => em.query(`DELETE FROM gateway.rate_limit_counters WHERE expires_at < now()`));
  }
}
