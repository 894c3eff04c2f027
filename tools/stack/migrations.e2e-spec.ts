// The stack's migrations (`npm start`, `npm run migrate`, the test platforms): every service's
// built migrate entrypoint loaded into one process and run in order against a real PostgreSQL.
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@steward/testing';
import { MigrationError, runMigrations } from './migrations';
import { SERVICES } from './services';

const rootDir = path.resolve(__dirname, '..', '..');
const specs = SERVICES.filter((s) => s.migrations);

describe('runMigrations (one process for every service)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('stackmigrate');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const run = async (url: string, only = specs) => {
    const lines: Array<[string, string]> = [];
    const names: string[] = [];
    await runMigrations(only, { rootDir, env: { PATH: process.env.PATH ?? '', DATABASE_URL: url }, onLine: (svc, line) => lines.push([svc, line]), onStart: (p) => names.push(p.name) });
    return { lines, names, applied: lines.filter(([, l]) => l.startsWith('{')).map(([, l]) => JSON.parse(l) as { service: string; applied: string[] }) };
  };

  it('migrates every service of a fresh database in order, in one process, and a second run applies nothing', async () => {
    const first = await run(db.url);
    expect(first.names).toEqual(['stack:migrate']);
    expect(first.applied.map((a) => a.service)).toEqual(specs.map((s) => s.name));
    for (const a of first.applied) expect(a.applied.length).toBeGreaterThan(0);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const schemas = (await c.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace`)).rows.map((r) => r.nspname);
      expect(schemas).toEqual(expect.arrayContaining(specs.map((s) => s.name)));
    } finally {
      await c.end();
    }
    const again = await run(db.url);
    expect(again.applied).toEqual(specs.map((s) => ({ service: s.name, applied: [] })));
  });

  it('runs only the services named, and a failure names the service whose migrations failed', async () => {
    const some = specs.filter((s) => s.name === 'catalog' || s.name === 'gateway');
    expect((await run(db.url, some)).applied.map((a) => a.service)).toEqual(['catalog', 'gateway']);
    const missing = new URL(db.url);
    missing.pathname = `/${db.name}_missing`;
    const failure = await run(missing.toString(), some).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toMatch(/^migrations of catalog failed \(exit code 1\)/);
    expect((failure as MigrationError).lastLines.join('\n')).toContain('does not exist');
  });
});
