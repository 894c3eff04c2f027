import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
// Integration specs of platform libraries use the shared test database helper (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { createDataSource } from './data-source';
import { runKeyedWrite, settleKeyedWrite, type KeyedWrite } from './keyed-write';
import { runMigrations } from './migrate';
import { enableTenantRls } from './migration-helpers/v1';
import { createIdempotencyKeys } from './migration-helpers/v2';
import { serviceRoles } from './roles';
import { withSavepoint } from './sql';
import { deferWrite, UnitOfWork } from './unit-of-work';

const SERVICE = 'probedw';
const ROLES = serviceRoles(SERVICE);

class ProbeDeferred1700000000000 implements MigrationInterface {
  name = 'ProbeDeferred1700000000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE probedw.notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text NOT NULL CHECK (body <> 'refused'), tags text[], doc jsonb, at timestamptz)`);
    await enableTenantRls(qr, 'probedw.notes', ROLES.app);
    await createIdempotencyKeys(qr, 'probedw', SERVICE);
  }
  async down(): Promise<void> {}
}

let db: TestDatabase;
let ds: DataSource;
let uow: UnitOfWork;
const tenantId = randomUUID();
const note = (id: string, body: string) => ({ sql: `INSERT INTO probedw.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, params: [id, tenantId, body] });
const bodies = async (ids: string[]) =>
  (await uow.forTenant(tenantId, (tx) => tx.query(`SELECT body FROM probedw.notes WHERE id = ANY($1::uuid[]) ORDER BY body`, [ids]))).map((r: { body: string }) => r.body);

/** The statements (round trips) sent to PostgreSQL while `fn` runs. */
async function roundTrips(fn: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return sent;
}

beforeAll(async () => {
  db = await createTestDatabase('probe_deferred');
  await runMigrations({ url: db.url, service: SERVICE, schema: SERVICE, migrations: [ProbeDeferred1700000000000] });
  ds = createDataSource({ url: db.url, schema: SERVICE, role: ROLES.app, poolMax: 2 });
  await ds.initialize();
  uow = new UnitOfWork(ds);
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

describe('deferWrite: writes nobody reads travel with the next statement or the COMMIT', () => {
  it('sends three deferred writes with the COMMIT: two round trips for the whole transaction', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const sent = await roundTrips(() =>
      uow.forTenant(tenantId, async (tx) => {
        for (const [i, id] of ids.entries()) await deferWrite(tx, note(id, `n${i}`).sql, note(id, `n${i}`).params);
      }),
    );
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^START TRANSACTION/);
    expect(sent[1]).toMatch(/^INSERT INTO probedw\.notes .*; INSERT .*; INSERT .*; COMMIT$/s);
    expect(await bodies(ids)).toEqual(['n0', 'n1', 'n2']);
  });

  it('runs them before any later statement, in the order issued: a read in the same transaction sees them', async () => {
    const a = randomUUID();
    const seen = await uow.forTenant(tenantId, async (tx) => {
      await deferWrite(tx, note(a, 'first').sql, note(a, 'first').params);
      await deferWrite(tx, `UPDATE probedw.notes SET body = body || ' then second' WHERE id = $1`, [a]);
      return tx.query(`SELECT body FROM probedw.notes WHERE id = $1`, [a]);
    });
    expect(seen).toEqual([{ body: 'first then second' }]);
  });

  it('stores parameters exactly as node-pg would send them: arrays, JSON, instants, quotes and backslashes', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sql = `INSERT INTO probedw.notes (id, tenant_id, body, tags, doc, at) VALUES ($1, $2, $3, $4, $5, $6)`;
    const params = (id: string) => [id, tenantId, `O'Brien \\ "q" 中文`, ['x', 'y"z', null], { k: [1, 'two'] }, new Date('2026-03-01T10:00:00.123Z')];
    await uow.forTenant(tenantId, async (tx) => {
      await deferWrite(tx, sql, params(a));
      await tx.query(sql, params(b));
    });
    const rows = await uow.forTenant(tenantId, (tx) => tx.query(`SELECT id, body, tags, doc, at FROM probedw.notes WHERE id = ANY($1::uuid[])`, [[a, b]]));
    const [deferred, direct] = [rows.find((r: { id: string }) => r.id === a), rows.find((r: { id: string }) => r.id === b)];
    expect({ ...deferred, id: undefined }).toEqual({ ...direct, id: undefined });
  });

  it('a deferred write that fails fails the transaction: nothing of it is stored, and the connection is clean for the next one', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await expect(
      uow.forTenant(tenantId, async (tx) => {
        await tx.query(note(a, 'direct').sql, note(a, 'direct').params);
        await deferWrite(tx, note(b, 'refused').sql, note(b, 'refused').params);
      }),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await bodies([a, b])).toEqual([]);
    // Both pooled connections still work (neither was left inside an aborted transaction).
    const c = randomUUID();
    await Promise.all([uow.forTenant(tenantId, (tx) => tx.query(`SELECT 1`)), uow.forTenant(tenantId, (tx) => tx.query(note(c, 'after').sql, note(c, 'after').params))]);
    expect(await bodies([c])).toEqual(['after']);
  });

  it('row-level security checks a deferred write as it checks any: another tenant\'s row is refused', async () => {
    const a = randomUUID();
    await expect(
      uow.forTenant(tenantId, (tx) => deferWrite(tx, `INSERT INTO probedw.notes (id, tenant_id, body) VALUES ($1, $2, 'theirs')`, [a, randomUUID()])),
    ).rejects.toMatchObject({ code: '42501' });
    expect(await bodies([a])).toEqual([]);
  });

  it('inside a savepoint: a failing deferred write rolls back the savepoint only; one deferred before the savepoint fails is never sent', async () => {
    const [kept, refused, abandoned, after] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await uow.forTenant(tenantId, async (tx) => {
      await deferWrite(tx, note(kept, 'kept').sql, note(kept, 'kept').params);
      await expect(withSavepoint(tx, () => deferWrite(tx, note(refused, 'refused').sql, note(refused, 'refused').params))).rejects.toMatchObject({ code: '23514' });
      await expect(
        withSavepoint(tx, async () => {
          await deferWrite(tx, note(abandoned, 'abandoned').sql, note(abandoned, 'abandoned').params);
          throw new Error('the use case changed its mind');
        }),
      ).rejects.toThrow('changed its mind');
      await deferWrite(tx, note(after, 'after').sql, note(after, 'after').params);
    });
    expect(await bodies([kept, refused, abandoned, after])).toEqual(['after', 'kept']);
  });

  it('in a keyed write, the deferred writes commit with the stored reply, or not at all', async () => {
    const w = (): KeyedWrite => ({ schema: SERVICE, tenantId, principal: 'user:a', key: randomUUID(), fingerprint: 'POST /notes {}' });
    const [a, b] = [randomUUID(), randomUUID()];
    await runKeyedWrite(w(), async () => {
      await uow.forTenant(tenantId, (tx) => deferWrite(tx, note(a, 'keyed').sql, note(a, 'keyed').params));
      await settleKeyedWrite({ data: { id: a } });
    });
    await expect(
      runKeyedWrite(w(), async () => {
        try {
          await uow.forTenant(tenantId, (tx) => deferWrite(tx, note(b, 'refused').sql, note(b, 'refused').params));
          await settleKeyedWrite({ data: { id: b } });
        } catch (err) {
          await settleKeyedWrite();
          throw err;
        }
      }),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await bodies([a, b])).toEqual(['keyed']);
    const keys = await uow.forTenant(tenantId, (tx) => tx.query(`SELECT count(*)::int AS n FROM probedw.idempotency_keys`));
    expect(keys).toEqual([{ n: 1 }]);
  });

  it('a bulk payload (over 64 KB of text) goes at once with its parameters: quoting it would cost more than the round trip', async () => {
    const a = randomUUID();
    const big = 'x'.repeat(100_000);
    const sent = await roundTrips(() => uow.forTenant(tenantId, (tx) => deferWrite(tx, note(a, big).sql, note(a, big).params)));
    expect(sent).toEqual([expect.stringMatching(/^START TRANSACTION/), note(a, big).sql, 'COMMIT']);
    expect((await bodies([a]))[0]).toHaveLength(100_000);
  });

  it('outside a unit of work, and with a NUL in a text, the write runs at once (and fails at once, as PostgreSQL refuses NUL)', async () => {
    const a = randomUUID();
    await ds.transaction(async (em) => {
      await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await deferWrite(em, note(a, 'plain').sql, note(a, 'plain').params);
      expect(await em.query(`SELECT body FROM probedw.notes WHERE id = $1`, [a])).toEqual([{ body: 'plain' }]);
    });
    await expect(uow.forTenant(tenantId, (tx) => deferWrite(tx, note(randomUUID(), 'a\u0000b').sql, note(randomUUID(), 'a\u0000b').params))).rejects.toMatchObject({
      code: '22021',
    });
  });
});
