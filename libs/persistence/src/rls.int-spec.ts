import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
// Integration specs of platform libraries use the shared test database helper (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { createDataSource } from './data-source';
import { runMigrations } from './migrate';
import { enableTenantRls } from './migration-helpers/v1';
import { serviceRoles } from './roles';
import { UnitOfWork } from './unit-of-work';

/*
 * A minimal "probe" service: schema `probe`, roles steward_probe / steward_probe_relay,
 * one tenant table under RLS. The outbox/inbox tables come from @steward/messaging, which
 * depends on this library; their privileges are covered by libs/messaging's
 * outbox.int-spec.ts so that persistence does not depend back on messaging.
 */
const PROBE_SERVICE = 'probe';
const PROBE_SCHEMA = 'probe';
const PROBE_ROLES = serviceRoles(PROBE_SERVICE);

class ProbeNotes1700000000000 implements MigrationInterface {
  name = 'ProbeNotes1700000000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE probe.notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text)`);
    await enableTenantRls(qr, 'probe.notes', PROBE_ROLES.app);
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE probe.notes`);
  }
}
const probeMigrations = [ProbeNotes1700000000000];
const migrateProbe = (url: string) => runMigrations({ url, service: PROBE_SERVICE, schema: PROBE_SCHEMA, migrations: probeMigrations });

/** One statement on a fresh connection, as the superuser (role null) or as a role. */
async function sqlOnce<T = Record<string, unknown>>(url: string, role: string | null, sql: string, params?: unknown[]): Promise<T[]> {
  const c = new Client({ connectionString: url, options: role ? `-c role=${role}` : undefined });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

interface Note {
  id: string;
  tenant_id: string;
  body: string;
}

let db: TestDatabase;
let runtime: DataSource;
let uow: UnitOfWork;
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('probe_rls');
  await migrateProbe(db.url);
  runtime = createDataSource({ url: db.url, schema: PROBE_SCHEMA, role: PROBE_ROLES.app, poolMax: 4 });
  await runtime.initialize();
  uow = new UnitOfWork(runtime);
  // Seeded through the runtime role: each tenant writes its own rows.
  await uow.forTenant(tenantA, async (em) => {
    for (const body of ['a1', 'a2']) await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, [randomUUID(), tenantA, body]);
  });
  await uow.forTenant(tenantB, async (em) => {
    for (const body of ['b1', 'b2', 'b3']) await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, [randomUUID(), tenantB, body]);
  });
});

afterAll(async () => {
  await runtime?.destroy();
  await db?.drop();
});

const admin = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => sqlOnce<T>(db.url, null, sql, params);
const asRuntime = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => sqlOnce<T>(db.url, PROBE_ROLES.app, sql, params);

describe('tenant isolation through the runtime role', () => {
  it('the seed really holds both tenants (checked as superuser)', async () => {
    const rows = await admin<{ tenant_id: string; n: number }>(`SELECT tenant_id, count(*)::int AS n FROM probe.notes GROUP BY tenant_id`);
    expect(Object.fromEntries(rows.map((r) => [r.tenant_id, r.n]))).toEqual({ [tenantA]: 2, [tenantB]: 3 });
  });

  it("tenant A cannot read tenant B's rows, even with hand-written SQL", async () => {
    const seen = await uow.forTenant(tenantA, async (em) => ({
      all: (await em.query(`SELECT * FROM probe.notes`)) as Note[],
      explicitB: (await em.query(`SELECT * FROM probe.notes WHERE tenant_id = $1`, [tenantB])) as Note[],
      count: ((await em.query(`SELECT count(*)::int AS n FROM notes`)) as Array<{ n: number }>)[0].n,
    }));
    expect(seen.all.map((n) => n.body).sort()).toEqual(['a1', 'a2']);
    expect(seen.all.every((n) => n.tenant_id === tenantA)).toBe(true);
    expect(seen.explicitB).toEqual([]);
    expect(seen.count).toBe(2);
  });

  it("tenant A cannot update or delete tenant B's rows", async () => {
    const [updated, deleted] = await uow.forTenant(tenantA, async (em) => {
      const u = await em.query(`UPDATE probe.notes SET body = 'hacked' WHERE tenant_id = $1 RETURNING id`, [tenantB]);
      const d = await em.query(`DELETE FROM probe.notes WHERE tenant_id = $1 RETURNING id`, [tenantB]);
      return [u, d];
    });
    // TypeORM returns [rows, count] for UPDATE ... RETURNING on postgres.
    const rowsOf = (r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as unknown[];
    expect(rowsOf(updated)).toEqual([]);
    expect(rowsOf(deleted)).toEqual([]);
    const bodies = await admin<{ body: string }>(`SELECT body FROM probe.notes WHERE tenant_id = $1 ORDER BY body`, [tenantB]);
    expect(bodies.map((b) => b.body)).toEqual(['b1', 'b2', 'b3']);
  });

  it('sees nothing with no tenant set on a fresh connection', async () => {
    const [setting] = await asRuntime<{ t: string | null }>(`SELECT current_setting('app.tenant_id', true) AS t`);
    expect(setting.t).toBeNull();
    await expect(asRuntime(`SELECT * FROM probe.notes`)).resolves.toEqual([]);
  });

  it('sees nothing (and does not raise) on a pooled connection reused after a tenant transaction', async () => {
    // One connection in the pool, so the second query surely reuses the first one's session.
    const ds = createDataSource({ url: db.url, schema: PROBE_SCHEMA, role: PROBE_ROLES.app, poolMax: 1 });
    await ds.initialize();
    try {
      const uow = new UnitOfWork(ds);
      const pidIn = await uow.forTenant(tenantA, async (em) => {
        expect(await em.query(`SELECT * FROM probe.notes`)).toHaveLength(2);
        return ((await em.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>)[0].pid;
      });
      const [after] = (await ds.query(`SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS t`)) as Array<{ pid: number; t: string | null }>;
      expect(after.pid).toBe(pidIn);
      // The trap condition from STACK-NOTES: the setting is now '' rather than NULL.
      expect(after.t).toBe('');
      await expect(ds.query(`SELECT * FROM probe.notes`)).resolves.toEqual([]);
      await expect(uow.withoutTenant((em) => em.query(`SELECT * FROM probe.notes`))).resolves.toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it("rejects an INSERT carrying another tenant's id (WITH CHECK)", async () => {
    const id = randomUUID();
    await expect(
      uow.forTenant(tenantA, (em) => em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'smuggled')`, [id, tenantB])),
    ).rejects.toThrow(/row-level security/);
    await expect(uow.withoutTenant((em) => em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'orphan')`, [id, tenantA]))).rejects.toThrow(
      /row-level security/,
    );
    expect(await admin(`SELECT 1 FROM probe.notes WHERE id = $1`, [id])).toEqual([]);
  });

  it("rejects moving a row to another tenant with an UPDATE (WITH CHECK)", async () => {
    await expect(
      uow.forTenant(tenantA, (em) => em.query(`UPDATE probe.notes SET tenant_id = $1 WHERE body = 'a1'`, [tenantB])),
    ).rejects.toThrow(/row-level security/);
    expect(await admin(`SELECT tenant_id FROM probe.notes WHERE body = 'a1'`)).toEqual([{ tenant_id: tenantA }]);
  });
});

describe('the unit of work (START TRANSACTION and the tenant in one round trip)', () => {
  it('sets the tenant to exactly the given string, quotes and backslashes included, for this transaction only', async () => {
    const odd = `it's a \\ test`;
    const inside = await uow.forTenant(odd, async (em) => ((await em.query(`SELECT current_setting('app.tenant_id', true) AS t`)) as Array<{ t: string }>)[0].t);
    expect(inside).toBe(odd);
    await expect(uow.withoutTenant(async (em) => ((await em.query(`SELECT current_setting('app.tenant_id', true) AS t`)) as Array<{ t: string | null }>)[0].t)).resolves.not.toBe(odd);
  });

  it('commits the work, and rolls all of it back when the work throws', async () => {
    const kept = randomUUID();
    const lost = randomUUID();
    await uow.forTenant(tenantA, (em) => em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'kept')`, [kept, tenantA]));
    await expect(
      uow.forTenant(tenantA, async (em) => {
        await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'lost')`, [lost, tenantA]);
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await admin(`SELECT body FROM probe.notes WHERE id = ANY($1::uuid[])`, [[kept, lost]])).toEqual([{ body: 'kept' }]);
    await admin(`DELETE FROM probe.notes WHERE id = $1`, [kept]);
  });

  it('lets TypeORM nest a transaction inside as a savepoint: its rollback leaves the outer work standing', async () => {
    const outer = randomUUID();
    const inner = randomUUID();
    await uow.forTenant(tenantA, async (em) => {
      await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'outer')`, [outer, tenantA]);
      await expect(
        em.transaction(async (nested) => {
          await nested.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'inner')`, [inner, tenantA]);
          throw new Error('inner step failed');
        }),
      ).rejects.toThrow('inner step failed');
      // Still inside the outer transaction: the tenant is still set.
      expect(await em.query(`SELECT body FROM probe.notes WHERE id = $1`, [outer])).toEqual([{ body: 'outer' }]);
    });
    expect(await admin(`SELECT body FROM probe.notes WHERE id = ANY($1::uuid[])`, [[outer, inner]])).toEqual([{ body: 'outer' }]);
    await admin(`DELETE FROM probe.notes WHERE id = $1`, [outer]);
  });
});

describe('privileges of the runtime and relay roles', () => {
  it('the runtime role cannot turn RLS off, drop the policy, alter or create tables', async () => {
    for (const sql of [
      `ALTER TABLE probe.notes DISABLE ROW LEVEL SECURITY`,
      `ALTER TABLE probe.notes NO FORCE ROW LEVEL SECURITY`,
      `DROP POLICY tenant_isolation ON probe.notes`,
      `ALTER TABLE probe.notes ADD COLUMN sneaky text`,
      `DROP TABLE probe.notes`,
    ]) {
      await expect(asRuntime(sql)).rejects.toThrow(/must be owner/);
    }
    await expect(asRuntime(`CREATE TABLE probe.mine (id int)`)).rejects.toThrow(/permission denied for schema probe/);
    // GRANT without the grant option only warns; what matters is that it changes nothing.
    await asRuntime(`GRANT TRUNCATE ON probe.notes TO ${PROBE_ROLES.app}`).catch(() => undefined);
    await expect(asRuntime(`TRUNCATE probe.notes`)).rejects.toThrow(/permission denied for table notes/);
    // row_security = off makes a policy-bound query fail rather than bypass the policy.
    await expect(asRuntime(`SET row_security = off; SELECT * FROM probe.notes`)).rejects.toThrow(/row-level security/);
    const [rls] = await admin<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'probe.notes'::regclass`,
    );
    expect(rls).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('neither service role owns a table (pg_tables.tableowner); RLS is forced; roles are not superusers', async () => {
    const tables = await admin<{ tablename: string; tableowner: string; rowsecurity: boolean }>(
      `SELECT tablename, tableowner, rowsecurity FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`,
      [PROBE_SCHEMA],
    );
    expect(tables.map((t) => t.tablename)).toEqual(['migrations', 'notes']);
    for (const t of tables) {
      expect(t.tableowner).not.toBe(PROBE_ROLES.app);
      expect(t.tableowner).not.toBe(PROBE_ROLES.relay);
    }
    expect(tables.find((t) => t.tablename === 'notes')?.tableowner).toBe('postgres');
    const forced = await admin<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity ORDER BY relname`,
      [PROBE_SCHEMA],
    );
    expect(forced.map((r) => r.relname)).toEqual(['notes']);
    const [roles] = await admin<{ super: boolean; bypass: boolean }>(
      `SELECT bool_or(rolsuper) AS super, bool_or(rolbypassrls) AS bypass FROM pg_roles WHERE rolname = ANY($1)`,
      [[PROBE_ROLES.app, PROBE_ROLES.relay]],
    );
    expect(roles).toEqual({ super: false, bypass: false });
  });


  it('the relay role cannot touch tenant tables', async () => {
    await expect(sqlOnce(db.url, PROBE_ROLES.relay, `SELECT * FROM probe.notes`)).rejects.toThrow(/permission denied for table notes/);
    await expect(sqlOnce(db.url, PROBE_ROLES.relay, `INSERT INTO probe.notes (id, tenant_id) VALUES ($1, $2)`, [randomUUID(), tenantA])).rejects.toThrow(/permission denied/);
  });
});

describe('read-only use cases in one round trip a statement (UnitOfWork.read)', () => {
  it('scopes every statement to the tenant by RLS, like a transaction, with parameters inlined', async () => {
    const seen = await uow.read({ tenantId: tenantA }, async (tx) => ({
      all: ((await tx.query(`SELECT body FROM probe.notes ORDER BY body`)) as Note[]).map((n) => n.body),
      explicitB: await tx.query(`SELECT * FROM probe.notes WHERE tenant_id = $1`, [tenantB]),
      some: ((await tx.query(`SELECT body FROM probe.notes WHERE body = ANY($1::text[]) ORDER BY body`, [['a2', 'b1']])) as Note[]).map((n) => n.body),
      scope: tx.scope,
    }));
    expect(seen).toEqual({ all: ['a1', 'a2'], explicitB: [], some: ['a2'], scope: { tenantId: tenantA, partnerId: null } });
  });

  it('refuses a write, and leaves neither the tenant nor read-only behind on the pooled connection', async () => {
    const ds = createDataSource({ url: db.url, schema: PROBE_SCHEMA, role: PROBE_ROLES.app, poolMax: 1 });
    await ds.initialize();
    try {
      const one = new UnitOfWork(ds);
      await expect(one.read({ tenantId: tenantA }, (tx) => tx.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'x')`, [randomUUID(), tenantA]))).rejects.toThrow(/read-only transaction/);
      const [after] = (await ds.query(`SELECT current_setting('app.tenant_id', true) AS t, current_setting('transaction_read_only') AS ro`)) as Array<{ t: string | null; ro: string }>;
      expect([after.t || null, after.ro]).toEqual([null, 'off']);
      expect(await one.forTenant(tenantA, (em) => em.query(`SELECT count(*)::int AS n FROM probe.notes`))).toEqual([{ n: 2 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('sends statements issued together in one round trip (one implicit transaction), each answered with its own rows; one failing fails its batch', async () => {
    const at = (rows: unknown) => (rows as Array<{ t: Date }>)[0].t.getTime();
    const { together, apart, failed } = await uow.read({ tenantId: tenantA }, async (tx) => {
      const [a, b, n] = await Promise.all([tx.query(`SELECT now() AS t`), tx.query(`SELECT now() AS t`), tx.query(`SELECT count(*)::int AS n FROM probe.notes`)]);
      const first = await tx.query(`SELECT now() AS t`);
      await new Promise((r) => setTimeout(r, 5));
      const second = await tx.query(`SELECT now() AS t`);
      const failed = await Promise.allSettled([tx.query(`SELECT 1 AS one`), tx.query(`SELECT 1/0`)]);
      return { together: [at(a) === at(b), n], apart: at(first) !== at(second), failed: failed.map((r) => r.status) };
    });
    expect({ together, apart, failed }).toEqual({ together: [true, [{ n: 2 }]], apart: true, failed: ['rejected', 'rejected'] });
  });

  it('sends any string parameter to PostgreSQL exactly (quotes, backslashes, unicode, dollar signs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 }), async (values) => {
        const rows = (await uow.read({ tenantId: tenantA }, (tx) => tx.query(`SELECT $1::text AS v, $2::text[] AS a`, [values[0], values]))) as Array<{ v: string; a: string[] }>;
        expect(rows).toEqual([{ v: values[0], a: values }]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('migrations', () => {
  const options = (url: string) => ({ url, service: PROBE_SERVICE, schema: PROBE_SCHEMA, migrations: probeMigrations });
  const snapshot = (url: string) =>
    sqlOnce(
      url,
      null,
      `SELECT (SELECT count(*)::int FROM pg_policies WHERE schemaname = 'probe') AS policies,
              (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'probe') AS tables,
              (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'probe') AS indexes,
              (SELECT array_agg(name ORDER BY id) FROM probe.migrations) AS applied`,
    );

  it('run twice is a no-op', async () => {
    const before = await snapshot(db.url);
    expect(before[0]).toMatchObject({ policies: 1, tables: 2, applied: ['ProbeNotes1700000000000'] });
    await expect(runMigrations(options(db.url))).resolves.toEqual({ applied: [] });
    await expect(runMigrations(options(db.url))).resolves.toEqual({ applied: [] });
    expect(await snapshot(db.url)).toEqual(before);
    // The data survived too.
    expect(await admin(`SELECT count(*)::int AS n FROM probe.notes`)).toEqual([{ n: 5 }]);
  });

  it('several runMigrations in parallel on one fresh database all succeed and apply each migration once', async () => {
    const fresh = await createTestDatabase('probe_rls_par');
    try {
      const results = await Promise.allSettled([runMigrations(options(fresh.url)), runMigrations(options(fresh.url)), runMigrations(options(fresh.url))]);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
      expect(failures).toEqual([]);
      const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied : []));
      expect(applied).toEqual(['ProbeNotes1700000000000']);
      const [snap] = await snapshot(fresh.url);
      expect(snap).toMatchObject({ policies: 1, tables: 2, applied: ['ProbeNotes1700000000000'] });
      // And the result is usable by the runtime role.
      const ds: DataSource = createDataSource({ url: fresh.url, schema: PROBE_SCHEMA, role: PROBE_ROLES.app, poolMax: 1 });
      await ds.initialize();
      try {
        await expect(new UnitOfWork(ds).forTenant(tenantA, (em) => em.query(`SELECT * FROM probe.notes`))).resolves.toEqual([]);
      } finally {
        await ds.destroy();
      }
    } finally {
      await fresh.drop();
    }
  });
});
