import type { DataSource } from 'typeorm';
// Integration specs of platform libraries use the shared test database helper (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { createDataSource } from './data-source';
import { isStalePreparedStatement, MAX_PREPARED_PER_CONNECTION } from './preparing-client';

let db: TestDatabase;
const sources: DataSource[] = [];

beforeAll(async () => {
  db = await createTestDatabase('probe_prepare');
  const admin = createDataSource({ url: db.url, schema: 'public', role: null, poolMax: 1, preparedStatements: false });
  await admin.initialize();
  await admin.query(`CREATE TABLE public.things (id int PRIMARY KEY, name text NOT NULL)`);
  await admin.query(`INSERT INTO public.things VALUES (1, 'one'), (2, 'two')`);
  await admin.destroy();
});
afterAll(async () => {
  for (const ds of sources) await ds.destroy().catch(() => undefined);
  await db?.drop();
});

/** A pool of one connection, so every statement below runs on the same session. */
async function pool(preparedStatements?: boolean): Promise<DataSource> {
  const ds = createDataSource({ url: db.url, schema: 'public', role: null, poolMax: 1, preparedStatements });
  await ds.initialize();
  sources.push(ds);
  return ds;
}
const prepared = async (ds: DataSource) => (await ds.query(`SELECT statement FROM pg_prepared_statements ORDER BY statement`)).map((r: { statement: string }) => r.statement);

describe('prepared statements', () => {
  it('prepares a parameterized statement on its second use on a connection, and keeps answering the same', async () => {
    const ds = await pool(true);
    const q = 'SELECT name FROM public.things WHERE id = $1';
    expect(await ds.query(q, [1])).toEqual([{ name: 'one' }]);
    expect(await prepared(ds)).toEqual([]);
    expect(await ds.query(q, [2])).toEqual([{ name: 'two' }]);
    expect(await ds.query(q, [1])).toEqual([{ name: 'one' }]);
    expect(await prepared(ds)).toEqual([q]);
  });

  it(`prepares at most ${MAX_PREPARED_PER_CONNECTION} statements per connection; the rest run unnamed`, async () => {
    const ds = await pool(true);
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
      const q = `SELECT $1::int + ${i} AS n`;
      await ds.query(q, [1]);
      expect(await ds.query(q, [1])).toEqual([{ n: 1 + i }]);
    }
    expect((await prepared(ds)).length).toBe(MAX_PREPARED_PER_CONNECTION);
  });

  it('a statement a migration made stale fails once with an error the services answer as retryable, then is prepared afresh', async () => {
    const ds = await pool(true);
    const q = 'SELECT * FROM public.things WHERE id = $1';
    await ds.query(q, [1]);
    await ds.query(q, [1]);
    const other = await pool(false);
    await other.query(`ALTER TABLE public.things ADD COLUMN note text`);
    const err = await ds.query(q, [1]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStalePreparedStatement(err)).toBe(true);
    expect(await ds.query(q, [1])).toEqual([{ id: 1, name: 'one', note: null }]);
    expect(await ds.query(q, [2])).toEqual([{ id: 2, name: 'two', note: null }]);
  });

  it('prepares nothing when turned off (a pooler in transaction mode)', async () => {
    const ds = await pool(false);
    const q = 'SELECT name FROM public.things WHERE id = $1';
    for (let i = 0; i < 3; i++) await ds.query(q, [1]);
    expect(await prepared(ds)).toEqual([]);
  });
});
