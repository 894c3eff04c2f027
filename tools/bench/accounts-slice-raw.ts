/**
 * Raw baseline of `GET /v1/accounts` for the accounts-slice benchmark: a plain `node:http`
 * server (no Nest, no NATS, no auth, no validation) doing the platform's list SELECT
 * through `pg` (Pool max 10, role steward_accounts so row-level security applies):
 * BEGIN; set_config('app.tenant_id', …, true); SELECT … LIMIT n+1; COMMIT; then the same
 * JSON page shape ({ items, nextCursor }) as the platform.
 *
 *   node dist/tools/bench/accounts-slice-raw.js
 *
 * Environment: DATABASE_URL, BENCH_TENANT_ID, PORT, DB_POOL_MAX (default 10),
 * DB_ROLE (default steward_accounts).
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { encodeCursor, listQuery } from './accounts-slice-sql';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`accounts-slice-raw: ${name} is required`);
  return v;
}

interface Row {
  id: string;
  nameKey?: string;
  revenue12m: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  [k: string]: unknown;
}

async function main(): Promise<void> {
  const tenantId = required('BENCH_TENANT_ID');
  const port = Number(required('PORT'));
  const role = process.env.DB_ROLE ?? 'steward_accounts';
  const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.DB_POOL_MAX ?? 10), options: `-c role=${role}` });

  const list = async (search: URLSearchParams): Promise<string> => {
    const q = listQuery(search);
    const client = await pool.connect();
    let rows: Row[];
    try {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        rows = (await client.query<Row>(q.sql, q.params)).rows;
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      client.release();
    }
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    const key = q.sort.replace('-', '');
    const nextCursor = more && last ? encodeCursor({ s: q.sort, k: key === 'name' ? (last.nameKey ?? null) : key === 'revenue12m' ? last.revenue12m : null, id: last.id }) : null;
    const items = page.map(({ nameKey: _nameKey, ...r }) => ({
      ...r,
      revenue12m: Number(r.revenue12m),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      deletedAt: r.deletedAt ? r.deletedAt.toISOString() : null,
    }));
    return JSON.stringify({ items, nextCursor });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/v1/accounts') {
      res.writeHead(404).end();
      return;
    }
    list(url.searchParams).then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: err instanceof Error ? err.message : String(err) })),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.log(JSON.stringify({ level: 30, msg: 'accounts-slice raw list server ready', port }));

  const shutdown = () => {
    server.close();
    pool.end().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
