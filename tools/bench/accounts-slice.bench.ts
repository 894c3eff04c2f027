// Accounts-slice benchmark (the accounts business slice issue's three performance targets),
// end to end through the built services on a fresh database, each against a raw baseline
// in the same run on the same tables:
//
//   1. POST /v1/accounts:retier over 100,000 accounts × 24 months of revenue (2.4 M rows),
//      first run (every tier written) and second run (nothing changes); target < 5 s each.
//      Baseline: one set-based SQL statement (sums, window-function cumulative share,
//      tiers, UPDATE) in a transaction that is rolled back.
//   2. GET /v1/accounts with a mix of filters at autocannon -c 50 for 10 s; target
//      p99 < 50 ms. Baseline: node:http + pg doing the same SELECT (accounts-slice-raw.ts).
//      Then the same mix without the namePrefix query (it was a LIKE, which cannot use an
//      index under row-level security; both sides now use a range, see docs), and each
//      query's one-at-a-time latency and plan.
//   3. POST /v1/revenue-records:batch with 10,000 rows: fresh, the same again (no-op),
//      changed values; target < 2 s each. Baseline: the same INSERT … unnest … ON CONFLICT
//      through plain pg in one transaction. The platform runs with TIERING_DEBOUNCE_MS=600000
//      so the re-tier that a batch schedules does not run during the measurement.
//
// Data is bulk-loaded with plain SQL as the superuser (accounts-slice-sql.ts). See
// docs/benchmarks.md, "Accounts slice".
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';
import { ratioOf, type BenchResult, type Figure } from './bench';
import {
  ACCOUNTS,
  encodeCursor,
  INDUSTRIES,
  listQuery,
  LOAD_STATEMENTS,
  MONTHS,
  REGIONS,
  RETIER_BASELINE_SQL,
  RETIER_PLATFORM_READ_SQL,
  UPSERT_SQL,
} from './accounts-slice-sql';
import { adminQuery, childEnv, cpuSeconds, createDatabase, deleteStreams, NATS_URL, ProcessGroup, randomTag, ROOT_DIR, startPlatform, type BenchDatabase } from './stack';
import { freePort } from '../stack/net';

const RETIER_TARGET_S = 5;
const LIST_TARGET_P99_MS = 50;
const LIST_CONNECTIONS = 50;
const LIST_WARMUP_S = 3;
const LIST_S = 10;
const BATCH_ROWS = 10_000;
const BATCH_TARGET_MS = 2_000;
const CSMS = 10;
const APP_ROLE = 'steward_accounts';
/** Body limit of the gateway (BODY_LIMIT_BYTES default, apps/gateway/src/config.ts). */
const DEFAULT_BODY_LIMIT = 1_048_576;

const log = (msg: string) => console.log(`  accounts-slice: ${msg}`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const now = () => process.hrtime.bigint();
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

// ---- HTTP ----

interface HttpAnswer {
  status: number;
  ms: number;
  body: Record<string, unknown>;
  text: string;
}

async function http(method: string, url: string, body: unknown, headers: Record<string, string>, timeoutMs = 120_000): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const started = now();
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: payload,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const ms = msSince(started);
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  return { status: res.status, ms, body: parsed, text };
}

function expectStatus(what: string, a: HttpAnswer, status: number): HttpAnswer {
  if (a.status !== status) throw new Error(`${what} answered ${a.status} (expected ${status}): ${a.text.slice(0, 300)}`);
  return a;
}

// ---- autocannon with a request mix ----

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

interface MixFigures {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  cpuMsPerReq: number;
}

/** Closed loop, `connections` sockets, each cycling through `paths` in order. */
async function runMix(base: string, paths: readonly string[], headers: Record<string, string>, durationS: number, pids: number[]): Promise<MixFigures> {
  const cpu = () => pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const r = await autocannon({ url: base, connections: LIST_CONNECTIONS, duration: durationS, headers, requests: paths.map((p) => ({ method: 'GET', path: p })) });
  const failures = r.non2xx + r.errors + r.timeouts;
  if (failures > 0) throw new Error(`GET /v1/accounts mix against ${base}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts (expected only 2xx)`);
  const cpuMsPerReq = round(((cpu() - cpuBefore) * 1000) / Math.max(1, r['2xx']));
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, total: r['2xx'], cpuMsPerReq };
}

// ---- database helpers ----

/** A connection as the runtime role, so row-level security applies as for the platform. */
async function appClient(url: string): Promise<Client> {
  const c = new Client({ connectionString: url, options: `-c role=${APP_ROLE}`, application_name: 'bench-accounts-slice-baseline' });
  await c.connect();
  return c;
}

/** The last 12 full calendar months (UTC) before now: [from, to), as tiering.service.ts. */
function tieringWindow(d: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, 1));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

async function loadData(dbUrl: string, tenantId: string, csmIds: string[], ownerId: string): Promise<void> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const params = [tenantId, csmIds, ownerId];
    for (const sql of LOAD_STATEMENTS) {
      const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      await c.query(sql, used ? params.slice(0, used) : undefined);
    }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) as the runtime role in a transaction that is rolled back. */
async function explain(dbUrl: string, tenantId: string, sql: string, params: unknown[]): Promise<{ ms: number; plan: string }> {
  const c = await appClient(dbUrl);
  try {
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const rows = (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows;
    await c.query('ROLLBACK');
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const m = /Execution Time: ([\d.]+) ms/.exec(plan);
    return { ms: m ? Number(m[1]) : Number.NaN, plan };
  } finally {
    await c.end();
  }
}

async function waitForOutbox(dbUrl: string, timeoutMs: number): Promise<{ ms: number; pending: number }> {
  const started = now();
  for (;;) {
    const [row] = await adminQuery<{ n: number }>(dbUrl, 'SELECT count(*)::int AS n FROM accounts.outbox WHERE sent_at IS NULL');
    const pending = row?.n ?? 0;
    if (pending === 0 || msSince(started) > timeoutMs) return { ms: Math.round(msSince(started)), pending };
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- 1. retiering ----

interface RetierFigures {
  first: { platformMs: number; tookMs: number; changed: number; baselineMs: number; baselineRows: number };
  second: { platformMs: number; tookMs: number; changed: number; baselineMs: number; baselineRows: number };
  outboxDrainMs: number;
  outboxPendingAfterWait: number;
  readMs: number;
  accounts: number;
}

/** The baseline statement in a transaction that is rolled back; returns ms and updated rows. */
async function baselineRetier(dbUrl: string, tenantId: string, window: { from: string; to: string }): Promise<{ ms: number; rows: number }> {
  const c = await appClient(dbUrl);
  try {
    const started = now();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const r = await c.query(RETIER_BASELINE_SQL, [window.from, window.to]);
    const ms = msSince(started);
    await c.query('ROLLBACK');
    return { ms, rows: r.rowCount ?? 0 };
  } finally {
    await c.end();
  }
}

async function measureRetier(gatewayUrl: string, auth: Record<string, string>, dbUrl: string, tenantId: string): Promise<RetierFigures> {
  const window = tieringWindow(new Date());
  const retier = async (label: string) => {
    const a = expectStatus(`POST /v1/accounts:retier (${label})`, await http('POST', `${gatewayUrl}/v1/accounts:retier`, {}, auth), 200);
    const body = a.body as { accounts?: number; changed?: number; tookMs?: number; phasesMs?: Record<string, number> };
    log(`platform retier, ${label}: ${Math.round(a.ms)} ms over HTTP (service tookMs ${body.tookMs}, phases ${JSON.stringify(body.phasesMs)}), ${body.accounts} accounts, ${body.changed} tier changes`);
    return { ms: a.ms, tookMs: Number(body.tookMs), changed: Number(body.changed), accounts: Number(body.accounts) };
  };

  const b1 = await baselineRetier(dbUrl, tenantId, window);
  log(`baseline retier, first run: ${Math.round(b1.ms)} ms, ${b1.rows} rows updated (rolled back)`);
  await adminQuery(dbUrl, 'VACUUM accounts.accounts'); // the rolled-back row versions, so the platform starts from the same heap
  const p1 = await retier('first run');
  const drain = await waitForOutbox(dbUrl, 120_000);
  log(`outbox after the first run drained in ${drain.ms} ms (${drain.pending} still pending)`);
  const b2 = await baselineRetier(dbUrl, tenantId, window);
  log(`baseline retier, second run: ${Math.round(b2.ms)} ms, ${b2.rows} rows differ from the platform's result (rolled back)`);
  const p2 = await retier('second run');
  const read = await explain(dbUrl, tenantId, RETIER_PLATFORM_READ_SQL, [window.from, window.to]);
  log(`EXPLAIN ANALYZE of the platform's retier read: ${read.ms} ms`);
  return {
    first: { platformMs: p1.ms, tookMs: p1.tookMs, changed: p1.changed, baselineMs: b1.ms, baselineRows: b1.rows },
    second: { platformMs: p2.ms, tookMs: p2.tookMs, changed: p2.changed, baselineMs: b2.ms, baselineRows: b2.rows },
    outboxDrainMs: drain.ms,
    outboxPendingAfterWait: drain.pending,
    readMs: read.ms,
    accounts: p1.accounts,
  };
}

// ---- 2. list ----

interface ListFigures {
  platform: MixFigures;
  baseline: MixFigures;
  /** the same without the namePrefix query (kept for comparison with the runs before the range fix, see docs) */
  indexed: { platform: MixFigures; baseline: MixFigures; variants: string[] };
  /** per variant: platform and baseline p50 of 20 sequential requests, and the SQL execution time */
  variants: Array<{ name: string; path: string; platformMs: number; baselineMs: number; sqlMs: number }>;
  slowestPlan: { name: string; plan: string };
}

async function sequentialP50(url: string, headers: Record<string, string>, n = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(expectStatus(`GET ${url}`, await http('GET', url, undefined, headers), 200).ms);
  times.sort((a, b) => a - b);
  return round(times[Math.floor(n / 2)]!);
}

async function startRawList(group: ProcessGroup, dbUrl: string, tenantId: string): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = group.spawnNode(
    'raw-list',
    path.join(ROOT_DIR, 'dist', 'tools', 'bench', 'accounts-slice-raw.js'),
    [],
    childEnv({ DATABASE_URL: dbUrl, BENCH_TENANT_ID: tenantId, PORT: String(port), DB_POOL_MAX: '10' }),
  );
  await group.ready(proc, `http://127.0.0.1:${port}/readyz`, 15_000);
  return { base: `http://127.0.0.1:${port}`, pid: proc.pid, stop: () => group.stop([proc]) };
}

async function measureList(
  group: ProcessGroup,
  platform: { gatewayUrl: string; pids: number[] },
  auth: Record<string, string>,
  dbUrl: string,
  tenantId: string,
  csmId: string,
): Promise<ListFigures> {
  const first = expectStatus('GET /v1/accounts?sort=-revenue12m', await http('GET', `${platform.gatewayUrl}/v1/accounts?sort=-revenue12m`, undefined, auth), 200);
  const revenueCursor = first.body.nextCursor;
  if (typeof revenueCursor !== 'string') throw new Error('GET /v1/accounts?sort=-revenue12m gave no nextCursor');
  const [deep] = await adminQuery<{ name_key: string; id: string }>(dbUrl, 'SELECT name_key, id FROM accounts.accounts WHERE deleted_at IS NULL ORDER BY name_key, id OFFSET $1 LIMIT 1', [ACCOUNTS / 2]);
  if (!deep) throw new Error('no account for the deep cursor');
  const deepCursor = encodeCursor({ s: 'name', k: deep.name_key, id: deep.id });
  const variants = [
    { name: 'namePrefix', query: 'namePrefix=summit' },
    { name: 'industry+region', query: `industry=${encodeURIComponent(INDUSTRIES[0]!)}&region=${REGIONS[0]}` },
    { name: 'tier', query: 'tier=2' },
    { name: 'csmId', query: `csmId=${csmId}` },
    { name: 'sort=-revenue12m', query: 'sort=-revenue12m' },
    { name: 'sort=-revenue12m, page 2 (cursor)', query: `sort=-revenue12m&cursor=${revenueCursor}` },
    { name: 'name order, page at row 50,000 (cursor)', query: `cursor=${deepCursor}` },
  ].map((v) => ({ ...v, path: `/v1/accounts?${v.query}` }));

  const raw = await startRawList(group, dbUrl, tenantId);
  try {
    // Same answers on both sides (ids of the page and whether there is a next page).
    for (const v of variants) {
      const p = expectStatus(`platform GET ${v.path}`, await http('GET', platform.gatewayUrl + v.path, undefined, auth), 200).body;
      const b = expectStatus(`baseline GET ${v.path}`, await http('GET', raw.base + v.path, undefined, {}), 200).body;
      const ids = (x: Record<string, unknown>) => ((x.items as Array<{ id: string }> | undefined) ?? []).map((i) => i.id).join(',');
      if (ids(p) !== ids(b) || (p.nextCursor === null) !== (b.nextCursor === null)) throw new Error(`${v.name}: platform and baseline pages differ`);
      if (((p.items as unknown[] | undefined) ?? []).length === 0) throw new Error(`${v.name}: empty page`);
    }
    log(`list: ${variants.length} variants give the same pages on both sides; platform mix at -c ${LIST_CONNECTIONS}`);
    const both = async (label: string, paths: string[]) => {
      await runMix(platform.gatewayUrl, paths, auth, LIST_WARMUP_S, platform.pids);
      const p = await runMix(platform.gatewayUrl, paths, auth, LIST_S, platform.pids);
      log(`${label}, platform: ${p.rps} req/s, p50 ${p.p50} ms, p99 ${p.p99} ms, ${p.cpuMsPerReq} ms CPU/request (gateway + accounts)`);
      await runMix(raw.base, paths, {}, LIST_WARMUP_S, [raw.pid]);
      const b = await runMix(raw.base, paths, {}, LIST_S, [raw.pid]);
      log(`${label}, baseline: ${b.rps} req/s, p50 ${b.p50} ms, p99 ${b.p99} ms, ${b.cpuMsPerReq} ms CPU/request`);
      return { p, b };
    };
    const { p, b } = await both('full mix', variants.map((v) => v.path));
    const indexedVariants = variants.filter((v) => v.name !== 'namePrefix');
    const indexed = await both('mix without namePrefix', indexedVariants.map((v) => v.path));

    const perVariant: ListFigures['variants'] = [];
    let slowest = { name: '', plan: '', ms: -1 };
    for (const v of variants) {
      const q = listQuery(new URL(v.path, 'http://x').searchParams);
      const e = await explain(dbUrl, tenantId, q.sql, q.params);
      if (e.ms > slowest.ms) slowest = { name: v.name, plan: e.plan, ms: e.ms };
      if (e.ms > 5) log(`plan of ${v.name} (${e.ms} ms):\n${e.plan.replace(/^/gm, '      ')}`);
      perVariant.push({ name: v.name, path: v.path, platformMs: await sequentialP50(platform.gatewayUrl + v.path, auth), baselineMs: await sequentialP50(raw.base + v.path, {}), sqlMs: e.ms });
    }
    for (const v of perVariant) log(`  ${v.name}: one at a time p50 platform ${v.platformMs} ms, baseline ${v.baselineMs} ms; SQL execution ${v.sqlMs} ms`);
    log(`slowest list query: ${slowest.name}, ${slowest.ms} ms`);
    return {
      platform: p,
      baseline: b,
      indexed: { platform: indexed.p, baseline: indexed.b, variants: indexedVariants.map((v) => v.name) },
      variants: perVariant,
      slowestPlan: { name: slowest.name, plan: slowest.plan },
    };
  } finally {
    await raw.stop();
  }
}

// ---- 3. revenue batch ----

interface BatchRecord {
  accountId: string;
  month: string;
  productRevenue: number;
  serviceRevenue: number;
  grossMargin: number;
  currency: string;
}

interface BatchStep {
  ms: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

interface BatchFigures {
  mode: string;
  singleStatus: number;
  singleBytes: number;
  natsMaxPayload: number;
  platform: { fresh: BatchStep; noop: BatchStep; changed: BatchStep };
  baseline: { fresh: BatchStep; noop: BatchStep; changed: BatchStep };
}

const records = (ids: readonly string[], month: string, delta = 0): BatchRecord[] =>
  ids.map((accountId, i) => ({ accountId, month, productRevenue: 1_000_000 + i * 7 + delta, serviceRevenue: 400_000 + i * 3, grossMargin: 500_000 + i, currency: 'EUR' }));

async function natsMaxPayload(): Promise<number> {
  const nc = await connect({ servers: NATS_URL, name: 'bench-accounts-slice-info' });
  try {
    return nc.info?.max_payload ?? Number.NaN;
  } finally {
    await nc.close();
  }
}

async function baselineUpsert(c: Client, tenantId: string, rows: readonly BatchRecord[]): Promise<BatchStep> {
  const started = now();
  await c.query('BEGIN');
  try {
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const r = await c.query<{ inserted: boolean }>(UPSERT_SQL, [
      tenantId,
      rows.map((x) => x.accountId),
      rows.map((x) => `${x.month}-01`),
      rows.map((x) => x.productRevenue),
      rows.map((x) => x.serviceRevenue),
      rows.map((x) => x.grossMargin),
      rows.map((x) => x.currency),
    ]);
    await c.query('COMMIT');
    const inserted = r.rows.filter((x) => x.inserted).length;
    return { ms: msSince(started), inserted, updated: r.rows.length - inserted, unchanged: rows.length - r.rows.length };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function expectCounts(what: string, s: BatchStep, want: Partial<BatchStep>): void {
  for (const [k, v] of Object.entries(want)) if (s[k as keyof BatchStep] !== v) throw new Error(`${what}: ${k} = ${s[k as keyof BatchStep]}, expected ${v}`);
}

async function measureBatch(gatewayUrl: string, auth: Record<string, string>, dbUrl: string, tenantId: string): Promise<BatchFigures> {
  const ids = (await adminQuery<{ id: string }>(dbUrl, 'SELECT id FROM accounts.accounts ORDER BY id LIMIT $1', [2 * BATCH_ROWS + 2_000])).map((r) => r.id);
  const d = new Date();
  const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`; // the current month: not loaded yet
  const url = `${gatewayUrl}/v1/revenue-records:batch`;

  const post = async (what: string, rows: BatchRecord[]): Promise<BatchStep & { status: number; text: string }> => {
    const a = await http('POST', url, { records: rows }, auth);
    const b = a.body as { inserted?: number; updated?: number; unchanged?: number; rejected?: number };
    if (a.status === 200 && b.rejected) throw new Error(`${what}: ${b.rejected} rows rejected: ${a.text.slice(0, 300)}`);
    return { status: a.status, text: a.text, ms: a.ms, inserted: Number(b.inserted ?? 0), updated: Number(b.updated ?? 0), unchanged: Number(b.unchanged ?? 0) };
  };
  const chunked = async (what: string, rows: BatchRecord[], parts: number): Promise<BatchStep> => {
    const size = Math.ceil(rows.length / parts);
    const sum: BatchStep = { ms: 0, inserted: 0, updated: 0, unchanged: 0 };
    for (let i = 0; i < rows.length; i += size) {
      const r = await post(what, rows.slice(i, i + size));
      if (r.status !== 200) throw new Error(`${what}: POST /v1/revenue-records:batch with ${Math.min(size, rows.length - i)} rows answered ${r.status}: ${r.text.slice(0, 300)}`);
      sum.ms += r.ms;
      sum.inserted += r.inserted;
      sum.updated += r.updated;
      sum.unchanged += r.unchanged;
    }
    return sum;
  };

  // Warm-up, 1,000 fresh rows on each side (other accounts).
  await chunked('platform warm-up', records(ids.slice(2 * BATCH_ROWS, 2 * BATCH_ROWS + 1_000), month), 1);
  const c = await appClient(dbUrl);
  try {
    await baselineUpsert(c, tenantId, records(ids.slice(2 * BATCH_ROWS + 1_000), month));

    // Platform: the 10,000 rows in one request first; if that is refused, as two requests of 5,000.
    const mine = ids.slice(0, BATCH_ROWS);
    const fresh = records(mine, month);
    const singleBytes = Buffer.byteLength(JSON.stringify({ records: fresh }));
    const single = await post('platform, one request', fresh);
    log(`platform, ${BATCH_ROWS} rows in one request (${singleBytes} bytes): ${single.status} ${single.status === 200 ? '' : single.text.slice(0, 200)}`);
    const parts = single.status === 200 ? 1 : 2;
    const mode = parts === 1 ? 'one request' : `${parts} requests of ${BATCH_ROWS / parts}`;
    const send = (what: string, rows: BatchRecord[]) => chunked(what, rows, parts);
    const pFresh = parts === 1 ? single : await send('platform fresh', fresh);
    const pNoop = await send('platform no-op', fresh);
    const pChanged = await send('platform changed', records(mine, month, 100));
    expectCounts('platform fresh', pFresh, { inserted: BATCH_ROWS });
    expectCounts('platform no-op', pNoop, { unchanged: BATCH_ROWS });
    expectCounts('platform changed', pChanged, { updated: BATCH_ROWS });
    log(`platform (${mode}): fresh ${Math.round(pFresh.ms)} ms, no-op ${Math.round(pNoop.ms)} ms, changed ${Math.round(pChanged.ms)} ms`);

    const theirs = ids.slice(BATCH_ROWS, 2 * BATCH_ROWS);
    const bFresh = await baselineUpsert(c, tenantId, records(theirs, month));
    const bNoop = await baselineUpsert(c, tenantId, records(theirs, month));
    const bChanged = await baselineUpsert(c, tenantId, records(theirs, month, 100));
    expectCounts('baseline fresh', bFresh, { inserted: BATCH_ROWS });
    expectCounts('baseline no-op', bNoop, { unchanged: BATCH_ROWS });
    expectCounts('baseline changed', bChanged, { updated: BATCH_ROWS });
    log(`baseline (one statement): fresh ${Math.round(bFresh.ms)} ms, no-op ${Math.round(bNoop.ms)} ms, changed ${Math.round(bChanged.ms)} ms`);
    return {
      mode,
      singleStatus: single.status,
      singleBytes,
      natsMaxPayload: await natsMaxPayload(),
      platform: { fresh: pFresh, noop: pNoop, changed: pChanged },
      baseline: { fresh: bFresh, noop: bNoop, changed: bChanged },
    };
  } finally {
    await c.end();
  }
}

// ---- results ----

const missed = (ok: boolean, met: string, miss: string) => (ok ? `target met: ${met}` : `TARGET MISSED: ${miss}`);

function retierResults(r: RetierFigures): BenchResult[] {
  const one = (label: string, f: RetierFigures['first'], extra: string): BenchResult => {
    const platform: Figure = { unit: 's', value: round(f.platformMs / 1000), detail: { service_took_ms: f.tookMs, tier_changes: f.changed } };
    const baseline: Figure = { unit: 's', value: round(f.baselineMs / 1000, 3), detail: { rows_updated: f.baselineRows } };
    const s = platform.value;
    return {
      name: `retier ${ACCOUNTS.toLocaleString('en-US')} accounts × ${MONTHS} months, ${label} (POST /v1/accounts:retier)`,
      platform,
      baseline,
      ratio: ratioOf(platform, baseline, false),
      target: `< ${RETIER_TARGET_S} s`,
      notes: [
        missed(s < RETIER_TARGET_S, `${s} s`, `${s} s (target < ${RETIER_TARGET_S} s)`),
        extra,
        `the platform's read (12-month sums joined to accounts) alone executes in ${r.readMs} ms (EXPLAIN ANALYZE, runtime role); the rest is TypeORM row mapping, computeTiers, the unnest UPDATE and the tier-changed outbox rows`,
        'baseline: one set-based statement (sums, window-function cumulative share, tiers, UPDATE … WHERE … IS DISTINCT FROM) as steward_accounts, timed to the end of the statement, then rolled back; no events, no summary row',
      ].join('; '),
    };
  };
  return [
    one('first run (every tier written)', r.first, `${r.first.changed} tier changes → as many outbox events (relayed to JetStream in ${r.outboxDrainMs} ms afterwards${r.outboxPendingAfterWait ? `, ${r.outboxPendingAfterWait} still pending` : ''}); baseline updated ${r.first.baselineRows} rows`),
    one(
      'second run (nothing changes)',
      r.second,
      `platform reported ${r.second.changed} tier changes; the baseline statement run after the platform's first run found ${r.second.baselineRows} rows differing from the platform's result (cross-check: 0 = same tiers, reasons and revenue)`,
    ),
  ];
}

function listResults(l: ListFigures): BenchResult[] {
  const fig = (m: MixFigures): Figure => ({ unit: 'ms', value: m.p99, detail: { rps: m.rps, p50_ms: m.p50, p90_ms: m.p90, app_cpu_ms_per_req: m.cpuMsPerReq } });
  const verdict = (p: MixFigures, b: MixFigures) =>
    missed(p.p99 < LIST_TARGET_P99_MS, `p99 ${p.p99} ms`, `platform p99 ${p.p99} ms at -c ${LIST_CONNECTIONS} (target < ${LIST_TARGET_P99_MS} ms)`) +
    `; throughput ${p.rps} vs ${b.rps} req/s (${round(p.rps / b.rps, 3)}x the baseline)`;
  const common = `autocannon ${LIST_S} s after ${LIST_WARMUP_S} s warm-up, each connection cycling through the queries (limit 50); baseline: node:http + pg Pool(10) as steward_accounts, BEGIN; set_config; the same SELECT; COMMIT; same JSON page; no auth, no validation, no NATS`;
  const slow = l.variants.reduce((a, v) => (v.sqlMs > a.sqlMs ? v : a));
  return [
    {
      name: `GET /v1/accounts p99, filter mix over ${ACCOUNTS.toLocaleString('en-US')} accounts, -c ${LIST_CONNECTIONS}`,
      platform: fig(l.platform),
      baseline: fig(l.baseline),
      ratio: ratioOf(fig(l.platform), fig(l.baseline), false),
      target: `p99 < ${LIST_TARGET_P99_MS} ms`,
      notes: [
        verdict(l.platform, l.baseline),
        `${l.variants.length} queries: ${l.variants.map((v) => v.name).join('; ')}`,
        `one request at a time, p50 platform / baseline / SQL execution (EXPLAIN ANALYZE as steward_accounts): ${l.variants.map((v) => `${v.name} ${v.platformMs} / ${v.baselineMs} / ${v.sqlMs} ms`).join('; ')}`,
        `slowest SQL: ${slow.name} at ${slow.sqlMs} ms (plan in the bench log and docs/benchmarks.md)`,
        common,
      ].join('; '),
    },
    {
      name: `GET /v1/accounts p99, same mix without namePrefix, -c ${LIST_CONNECTIONS}`,
      platform: fig(l.indexed.platform),
      baseline: fig(l.indexed.baseline),
      ratio: ratioOf(fig(l.indexed.platform), fig(l.indexed.baseline), false),
      target: `p99 < ${LIST_TARGET_P99_MS} ms`,
      notes: [verdict(l.indexed.platform, l.indexed.baseline), `supplementary: the ${l.indexed.variants.length} queries whose SQL uses an index (${l.indexed.variants.join('; ')})`, common].join('; '),
    },
  ];
}

function batchResults(b: BatchFigures): BenchResult[] {
  const how =
    b.mode === 'one request'
      ? `platform: one request of ${BATCH_ROWS} rows (JSON body ${b.singleBytes.toLocaleString('en-US')} bytes)`
      : `the ${BATCH_ROWS}-row batch in ONE request was refused (HTTP ${b.singleStatus}; JSON body ${b.singleBytes.toLocaleString('en-US')} bytes, gateway BODY_LIMIT_BYTES default ${DEFAULT_BODY_LIMIT.toLocaleString('en-US')}, NATS max_payload ${b.natsMaxPayload.toLocaleString('en-US')}), so the platform figure is ${b.mode}, back to back, summed`;
  const step = (label: string, key: 'fresh' | 'noop' | 'changed', what: string): BenchResult => {
    const p = b.platform[key];
    const q = b.baseline[key];
    const platform: Figure = { unit: 'ms', value: Math.round(p.ms), detail: { inserted: p.inserted, updated: p.updated, unchanged: p.unchanged } };
    const baseline: Figure = { unit: 'ms', value: Math.round(q.ms), detail: { inserted: q.inserted, updated: q.updated, unchanged: q.unchanged } };
    const singleOk = b.mode === 'one request';
    return {
      name: `revenue batch ${BATCH_ROWS.toLocaleString('en-US')} rows, ${label} (POST /v1/revenue-records:batch)`,
      platform,
      baseline,
      ratio: ratioOf(platform, baseline, false),
      target: `< ${BATCH_TARGET_MS / 1000} s`,
      notes: [
        singleOk
          ? missed(p.ms < BATCH_TARGET_MS, `${Math.round(p.ms)} ms`, `${Math.round(p.ms)} ms (target < ${BATCH_TARGET_MS} ms)`)
          : `TARGET MISSED: a ${BATCH_ROWS}-row batch cannot be sent in one request; as ${b.mode} it takes ${Math.round(p.ms)} ms (${p.ms < BATCH_TARGET_MS ? 'within' : 'over'} ${BATCH_TARGET_MS} ms)`,
        what,
        how,
        'platform runs with TIERING_DEBOUNCE_MS=600000, so the re-tier a changed batch schedules does not run during the measurement',
        'baseline: the same INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE … WHERE … IS DISTINCT FROM … RETURNING as steward_accounts, BEGIN; set_config; statement; COMMIT, on 10,000 other accounts',
      ].join('; '),
    };
  };
  return [
    step('fresh rows', 'fresh', 'the current month, not yet loaded, for 10,000 accounts'),
    step('same batch again (no-op)', 'noop', 'identical values: nothing written, nothing emitted'),
    step('changed values', 'changed', 'productRevenue + 100 on every row'),
  ];
}

export default async function accountsSlice(): Promise<BenchResult[]> {
  const tag = randomTag();
  const natsPrefix = `bench${tag}.`;
  const group = new ProcessGroup();
  let db: BenchDatabase | undefined;
  try {
    db = await createDatabase(`steward_bench_${tag}`);
    log(`database ${db.name}, NATS prefix ${natsPrefix}`);
    const operatorToken = randomBytes(24).toString('hex');
    const platform = await startPlatform(group, { databaseUrl: db.url, natsPrefix, jwtSecret: randomBytes(32).toString('hex'), operatorToken }, { TIERING_DEBOUNCE_MS: '600000' });

    const slug = `bench-${tag}`;
    const email = `bench-${tag}@example.test`;
    const password = 'bench password 1';
    expectStatus('POST /v1/tenants', await http('POST', `${platform.gatewayUrl}/v1/tenants`, { name: 'Bench', slug, admin: { email, password, name: 'Bench' } }, { authorization: `Bearer ${operatorToken}` }), 201);
    const login = expectStatus('POST /v1/auth/login', await http('POST', `${platform.gatewayUrl}/v1/auth/login`, { email, password }, {}), 200);
    const token = login.body.accessToken;
    if (typeof token !== 'string') throw new Error('POST /v1/auth/login gave no accessToken');
    const auth = { authorization: `Bearer ${token}` };
    const [tenant] = await adminQuery<{ id: string; admin: string }>(db.url, 'SELECT t.id, u.id AS admin FROM accounts.tenants t JOIN accounts.users u ON u.tenant_id = t.id WHERE t.slug = $1 AND u.email = $2', [slug, email]);
    if (!tenant) throw new Error(`tenant ${slug} not found after creation`);
    const csmIds: string[] = [];
    for (let i = 0; i < CSMS; i++) {
      const u = expectStatus('POST /v1/users', await http('POST', `${platform.gatewayUrl}/v1/users`, { email: `csm${i}-${tag}@example.test`, name: `CSM ${i}`, role: 'csm', password }, auth), 201);
      csmIds.push(String(u.body.id));
    }

    let started = now();
    await loadData(db.url, tenant.id, csmIds, tenant.admin);
    const [counts] = await adminQuery<{ accounts: number; revenue: number }>(
      db.url,
      'SELECT (SELECT count(*)::int FROM accounts.accounts) AS accounts, (SELECT count(*)::int FROM accounts.revenue_records) AS revenue',
    );
    log(`loaded ${counts?.accounts} accounts and ${counts?.revenue} revenue rows with plain SQL in ${Math.round(msSince(started) / 100) / 10} s (ANALYZEd)`);

    started = now();
    const retier = await measureRetier(platform.gatewayUrl, auth, db.url, tenant.id);
    log(`retier phase took ${Math.round(msSince(started) / 1000)} s`);
    await adminQuery(db.url, 'VACUUM ANALYZE accounts.accounts'); // after 100,000 row updates, so autovacuum does not start mid-measurement

    started = now();
    const list = await measureList(group, { gatewayUrl: platform.gatewayUrl, pids: [platform.gateway.pid, platform.accounts.pid] }, auth, db.url, tenant.id, csmIds[3]!);
    log(`list phase took ${Math.round(msSince(started) / 1000)} s`);

    started = now();
    const batch = await measureBatch(platform.gatewayUrl, auth, db.url, tenant.id);
    log(`batch phase took ${Math.round(msSince(started) / 1000)} s`);

    return [...retierResults(retier), ...listResults(list), ...batchResults(batch)];
  } finally {
    await group.stop().catch((err: unknown) => console.error(`  accounts-slice: stopping processes: ${String(err)}`));
    await deleteStreams(natsPrefix).catch((err: unknown) => console.error(`  accounts-slice: deleting JetStream streams: ${String(err)}`));
    await db?.drop().catch((err: unknown) => console.error(`  accounts-slice: dropping ${db?.name}: ${String(err)}`));
  }
}
