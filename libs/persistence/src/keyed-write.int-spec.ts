import { randomUUID } from 'node:crypto';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
// Integration specs of platform libraries use the shared test database helper (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { createDataSource } from './data-source';
import { KeyedWriteInProgress, KeyedWriteReplay, runKeyedWrite, settleKeyedWrite, TWIN_WAIT_MS, type KeyedWrite } from './keyed-write';
import { runMigrations } from './migrate';
import { enableTenantRls } from './migration-helpers/v1';
import { createIdempotencyKeys } from './migration-helpers/v2';
import { serviceRoles } from './roles';
import { UnitOfWork } from './unit-of-work';

const SERVICE = 'probekw';
const ROLES = serviceRoles(SERVICE);

class ProbeKeyed1700000000000 implements MigrationInterface {
  name = 'ProbeKeyed1700000000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE probekw.notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text)`);
    await enableTenantRls(qr, 'probekw.notes', ROLES.app);
    await createIdempotencyKeys(qr, 'probekw', SERVICE);
  }
  async down(): Promise<void> {}
}

let db: TestDatabase;
let ds: DataSource;
let uow: UnitOfWork;
const tenantId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('probe_keyed');
  await runMigrations({ url: db.url, service: SERVICE, schema: SERVICE, migrations: [ProbeKeyed1700000000000] });
  ds = createDataSource({ url: db.url, schema: SERVICE, role: ROLES.app, poolMax: 4 });
  await ds.initialize();
  uow = new UnitOfWork(ds);
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

/** One keyed write as a service handler runs it: the work in the keyed transaction, then the reply stored and committed. */
async function keyed(w: KeyedWrite, body: string, hold?: Promise<void>): Promise<{ id: string } | { replayed: unknown } | { refused: string }> {
  return runKeyedWrite(w, async () => {
    try {
      const id = randomUUID();
      await uow.forTenant(w.tenantId, async (tx) => {
        await tx.query(`INSERT INTO probekw.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, [id, w.tenantId, body]);
        await hold;
      });
      await settleKeyedWrite({ data: { id } });
      return { id };
    } catch (err) {
      await settleKeyedWrite();
      if (err instanceof KeyedWriteReplay) return { replayed: err.response };
      if (err instanceof KeyedWriteInProgress) return { refused: err.name };
      throw err;
    }
  });
}

describe('keyed writes: a twin of a request still in flight', () => {
  it(`waits for a twin that commits in time and gets its reply`, async () => {
    const w: KeyedWrite = { schema: SERVICE, tenantId, principal: 'user:a', key: randomUUID(), fingerprint: 'POST /notes {}' };
    let release!: () => void;
    const first = keyed(w, 'first', new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 200));
    const twin = keyed(w, 'twin');
    setTimeout(release, 300);
    const [a, b] = await Promise.all([first, twin]);
    expect(b).toEqual({ replayed: a });
  });

  it(`is answered "in progress" after ${TWIN_WAIT_MS} ms while the twin still holds the key; once it commits, a retry gets its reply; only one write`, async () => {
    const w: KeyedWrite = { schema: SERVICE, tenantId, principal: 'user:a', key: randomUUID(), fingerprint: 'POST /notes {}' };
    let release!: () => void;
    const first = keyed(w, 'held', new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    expect(await keyed(w, 'twin')).toEqual({ refused: 'KeyedWriteInProgress' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TWIN_WAIT_MS - 50);
    release();
    const done = await first;
    expect(await keyed(w, 'retry')).toEqual({ replayed: done });
    expect(await uow.forTenant(tenantId, (tx) => tx.query(`SELECT body FROM probekw.notes WHERE body IN ('held', 'twin', 'retry')`))).toEqual([{ body: 'held' }]);
  }, 20_000);

  it('lifts the wait once the key is claimed: the write itself still waits for a row lock as long as it takes', async () => {
    const id = randomUUID();
    await uow.forTenant(tenantId, (tx) => tx.query(`INSERT INTO probekw.notes (id, tenant_id, body) VALUES ($1, $2, 'locked')`, [id, tenantId]));
    const w: KeyedWrite = { schema: SERVICE, tenantId, principal: 'user:b', key: randomUUID(), fingerprint: 'PATCH /notes/1 {}' };
    let release!: () => void;
    const holder = uow.forTenant(tenantId, async (tx) => {
      await tx.query(`SELECT 1 FROM probekw.notes WHERE id = $1 FOR UPDATE`, [id]);
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 100));
    setTimeout(() => release(), TWIN_WAIT_MS + 500);
    const updated = runKeyedWrite(w, async () => {
      const rows = await uow.forTenant(tenantId, async (tx) => {
        return tx.query(`UPDATE probekw.notes SET body = 'updated' WHERE id = $1 RETURNING body`, [id]);
      });
      await settleKeyedWrite({ data: rows });
      return rows;
    });
    await holder;
    await expect(updated).resolves.toBeDefined();
    expect(await uow.forTenant(tenantId, (tx) => tx.query(`SELECT body FROM probekw.notes WHERE id = $1`, [id]))).toEqual([{ body: 'updated' }]);
  }, 20_000);
});
