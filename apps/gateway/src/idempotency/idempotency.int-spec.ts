import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations, UnitOfWork } from '@steward/persistence';
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { ErrorCode } from '@steward/contracts';
import type { DataSource } from 'typeorm';
import { gatewayMigrations } from '../migrations';
import { IdempotencyStore } from './idempotency.repository';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('idem');
  await runMigrations({ url: db.url, service: 'gateway', schema: 'gateway', migrations: gatewayMigrations });
  ds = createDataSource({ url: db.url, schema: 'gateway', role: 'steward_gateway', poolMax: 2 });
  await ds.initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

async function superuser<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('idempotency store', () => {
  it('claims, completes and replays; refuses another body and a pending duplicate', async () => {
    const store = new IdempotencyStore(new UnitOfWork(ds), () => 1);
    const tenant = randomUUID();
    const hash = IdempotencyStore.fingerprint('POST', '/v1/partners', { name: 'A' });
    expect(await store.claim(tenant, 'k1', hash)).toEqual({ kind: 'claimed' });
    await expect(store.claim(tenant, 'k1', hash)).rejects.toMatchObject({ code: ErrorCode.IdempotencyRequestInProgress });
    await store.complete(tenant, 'k1', 201, '{"id":"p1"}');
    expect(await store.claim(tenant, 'k1', hash)).toEqual({ kind: 'replay', statusCode: 201, body: '{"id":"p1"}' });
    const other = IdempotencyStore.fingerprint('POST', '/v1/partners', { name: 'B' });
    await expect(store.claim(tenant, 'k1', other)).rejects.toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
    // A released (5xx) claim can be retried with the same key.
    expect(await store.claim(tenant, 'k2', hash)).toEqual({ kind: 'claimed' });
    await store.release(tenant, 'k2');
    expect(await store.claim(tenant, 'k2', hash)).toEqual({ kind: 'claimed' });
  });

  it('purges a tenant\'s expired keys on its own claims, never another tenant\'s', async () => {
    const a = randomUUID();
    const b = randomUUID();
    for (const tenant of [a, b]) {
      await superuser(`INSERT INTO gateway.idempotency_keys (tenant_id, key, request_hash, state, status_code, response_body, expires_at) VALUES ($1, 'old', 'h', 'done', 200, '{}', now() - interval '1 hour')`, [tenant]);
    }
    const alwaysPurge = new IdempotencyStore(new UnitOfWork(ds), () => 0);
    await alwaysPurge.claim(a, 'fresh', 'h2');
    const left = await superuser<{ tenant_id: string; key: string }>(`SELECT tenant_id, key FROM gateway.idempotency_keys WHERE tenant_id = ANY($1::uuid[]) ORDER BY key`, [[a, b]]);
    expect(left).toEqual([
      { tenant_id: a, key: 'fresh' },
      { tenant_id: b, key: 'old' },
    ]);
  });

  it('lets an expired key be claimed again with another body', async () => {
    const tenant = randomUUID();
    await superuser(`INSERT INTO gateway.idempotency_keys (tenant_id, key, request_hash, state, status_code, response_body, expires_at) VALUES ($1, 'k', 'h-old', 'done', 200, '{}', now() - interval '1 second')`, [tenant]);
    const store = new IdempotencyStore(new UnitOfWork(ds), () => 1);
    expect(await store.claim(tenant, 'k', 'h-new')).toEqual({ kind: 'claimed' });
  });
});
