import { Client } from 'pg';
import { createDataSource, runMigrations, UnitOfWork } from '@steward/persistence';
import { createTestDatabase, TestDatabase } from '@steward/testing';
import type { DataSource } from 'typeorm';
import { gatewayMigrations } from '../migrations';
import { CountersRepository } from './counters.repository';
import { SharedCounters } from './shared-counters';

let db: TestDatabase;
const sources: DataSource[] = [];

beforeAll(async () => {
  db = await createTestDatabase('counters');
  await runMigrations({ url: db.url, service: 'gateway', schema: 'gateway', migrations: gatewayMigrations });
});
afterAll(async () => {
  await Promise.all(sources.map((s) => s.destroy()));
  await db?.drop();
});

/** One gateway replica's counters: its own pool as the gateway's runtime role, on the shared database. */
async function replica(): Promise<{ counters: SharedCounters; repo: CountersRepository }> {
  const ds = createDataSource({ url: db.url, schema: 'gateway', role: 'steward_gateway', poolMax: 2 });
  await ds.initialize();
  sources.push(ds);
  const repo = new CountersRepository(new UnitOfWork(ds));
  return { counters: new SharedCounters(repo, { syncMs: 20 }), repo };
}

async function superuser<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const W = 60_000;

describe('rate-limit counters shared through PostgreSQL', () => {
  it('two replicas share one budget: hits on each are seen by the other after a sync, and together they stop at the limit', async () => {
    const a = await replica();
    const b = await replica();
    const bucket = `tenant:${Date.now()}`;
    const limit = 40;
    let admitted = 0;
    // 100 requests spread over both replicas, syncing as the running gateway does.
    for (let i = 0; i < 100; i++) {
      const r = i % 2 === 0 ? a.counters : b.counters;
      if (r.take(bucket, limit, W).allowed) admitted++;
      if (i % 5 === 4) await Promise.all([a.counters.sync(), b.counters.sync()]);
    }
    await Promise.all([a.counters.sync(), b.counters.sync()]);
    // Each replica decides on the shared total as of its last sync plus its own hits since:
    // the overshoot is bounded by what the other admitted in one sync interval (here 5 requests).
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + 5);
    const [row] = await superuser<{ hits: number }>(`SELECT sum(hits)::int AS hits FROM gateway.rate_limit_counters WHERE bucket = $1`, [bucket]);
    expect(row!.hits).toBe(admitted);
    a.counters.peek(bucket, limit, W);
    b.counters.peek(bucket, limit, W);
    await Promise.all([a.counters.sync(), b.counters.sync()]);
    expect(a.counters.peek(bucket, limit, W).allowed).toBe(false);
    expect(b.counters.peek(bucket, limit, W).allowed).toBe(false);
  });

  it('a failure recorded on one replica is refused on the other after a refresh (failed-authentication throttling)', async () => {
    const a = await replica();
    const b = await replica();
    const bucket = `auth-cred:password:email:${Date.now()}`;
    for (let i = 0; i < 3; i++) await a.counters.record(bucket, 900_000);
    await b.counters.refresh([bucket], 900_000);
    expect(b.counters.peek(bucket, 3, 900_000)).toMatchObject({ allowed: false, count: 3 });
    expect(b.counters.peek(bucket, 4, 900_000)).toMatchObject({ allowed: true });
  });

  it('concurrent syncs of many buckets from several replicas lose no hit (one upsert per statement, rows locked in one order)', async () => {
    const replicas = await Promise.all([replica(), replica(), replica()]);
    const buckets = Array.from({ length: 20 }, (_, i) => `ip:10.0.0.${i}:${Date.now()}`);
    for (const r of replicas) for (const bucket of buckets) for (let i = 0; i < 3; i++) r.counters.take(bucket, 1_000, W);
    await Promise.all(replicas.map((r) => r.counters.sync()));
    const rows = await superuser<{ bucket: string; hits: number }>(`SELECT bucket, sum(hits)::int AS hits FROM gateway.rate_limit_counters WHERE bucket = ANY($1) GROUP BY bucket`, [buckets]);
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(r.hits).toBe(9);
  });

  it('purges windows no bucket can look at any more', async () => {
    const { repo } = await replica();
    await superuser(`INSERT INTO gateway.rate_limit_counters (bucket, window_start, hits, expires_at) VALUES ('old', 0, 5, now() - interval '1 second'), ('live', 1, 5, now() + interval '1 minute')`);
    await repo.purge();
    const left = await superuser<{ bucket: string }>(`SELECT bucket FROM gateway.rate_limit_counters WHERE bucket IN ('old', 'live')`);
    expect(left.map((r) => r.bucket)).toEqual(['live']);
  });
});
