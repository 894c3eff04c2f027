// Support benchmark (issue 8's three performance targets), through the built services on a
// fresh database, each against a raw baseline measured in the same run:
//
//   1. POST /v1/support/tickets at half of the platform's own peak, paced (open loop, evenly
//      spaced, latency from the scheduled send time); target p99 < 25 ms. Baseline: the raw
//      write path of raw-baseline.ts (node:http → NATS request → pg transaction with an
//      insert, an audit row and an outbox row → reply), at half of its own peak.
//   2. Breach detection lag with many open tickets: N open tickets (a ticket opened through
//      the API, copied N times with SQL, each with its SLA timer job due in 20–30 days) plus
//      K tickets opened through the API whose first response is due 3 s later; lag = when
//      the breach was recorded − its deadline (support.sla_events). Target p99 < 5 s.
//      Baseline: the same due-time index done raw (a table of N due times with an index, a
//      loop claiming due rows with FOR UPDATE SKIP LOCKED every JOBS_POLL_MS, as the job
//      runner does), K rows due 3 s later.
//   3. GET /v1/support/reports/compliance over 12 months, grouped by level and by level ×
//      priority × month, with rollups holding the counts of N tickets (8,760 rollup rows:
//      365 days × 6 level/queue pairs × 4 priorities). Target < 200 ms. Baseline: the same
//      sums as one SQL statement over support.rollups as the runtime role; for scale, the
//      scan the rollups avoid (GROUP BY level over the N ticket rows) is reported beside it.
//
// N defaults to 100,000 (the issue says 1,000,000: SUPPORT_BENCH_TICKETS=1000000). See
// docs/benchmarks.md, "Support".
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ratioOf, type BenchResult, type Figure } from './bench';
import { runAutocannon, runPaced, type LoadFigures } from './load';
import { adminQuery, childEnv, createDatabase, deleteStreams, NATS_URL, postJson, ProcessGroup, randomTag, ROOT_DIR, startPlatform, type BenchDatabase } from './stack';
import type { ManagedProcess } from '../stack/processes';
import { freePort } from '../stack/net';
import path from 'node:path';

const OPEN_TICKETS = Number(process.env.SUPPORT_BENCH_TICKETS ?? 100_000);
const BREACHING = 20;
const BREACH_IN_S = 3;
const CREATE_TARGET_P99_MS = 25;
const LAG_TARGET_MS = 5_000;
const REPORT_TARGET_MS = 200;
const CONNECTIONS = 10;
const WARMUP_S = 3;
const PEAK_S = 8;
const PACED_S = 8;
const POLL_MS = 1000; // the kit's default JOBS_POLL_MS, which the platform runs with
const APP_ROLE = 'steward_support';
const NIL = '00000000-0000-0000-0000-000000000000';

const log = (msg: string) => console.log(`  support: ${msg}`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toLocaleString('en-US');
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function call(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; ms: number; text: string }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ms, text };
}
function expect2xx<T extends { status: number; text: string }>(what: string, a: T): T {
  if (a.status < 200 || a.status >= 300) throw new Error(`${what} answered ${a.status}: ${a.text.slice(0, 300)}`);
  return a;
}

async function appClient(url: string, tenantId: string): Promise<Client> {
  const c = new Client({ connectionString: url, options: `-c role=${APP_ROLE}`, application_name: 'bench-support-baseline' });
  await c.connect();
  await c.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
  return c;
}

// ---- 1. ticket create ----

interface CreateSide {
  peak: LoadFigures;
  paced: LoadFigures;
  halfRate: number;
}

async function measureCreate(side: string, url: string, headers: Record<string, string>, body: string): Promise<CreateSide> {
  const all = { 'content-type': 'application/json', ...headers };
  // Failures (e.g. 504 when the machine is overloaded) are reported, not thrown: the figures say what happened.
  const warm = await runAutocannon({ url, method: 'POST', headers: all, body, connections: CONNECTIONS, duration: WARMUP_S });
  const peak = await runAutocannon({ url, method: 'POST', headers: all, body, connections: CONNECTIONS, duration: PEAK_S });
  const halfRate = Math.max(1, Math.round(peak.rps / 2));
  const paced = await runPaced({ url, headers: all, body, rate: halfRate, durationSec: PACED_S, sockets: CONNECTIONS });
  log(`${side}: warm-up ${warm.rps} req/s (${warm.failureDetail}); peak ${peak.rps} req/s (p99 ${peak.p99} ms, ${peak.failureDetail}); paced at ${halfRate} req/s: p50 ${paced.p50} ms, p99 ${paced.p99} ms (${paced.failureDetail})`);
  return { peak, paced, halfRate };
}

async function waitForLine(proc: ManagedProcess, needle: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.recent.last(40).some((l) => l.includes(needle))) return;
    if (proc.exitInfo) break;
    await sleep(50);
  }
  throw new Error(`${proc.name} did not report "${needle}"; last output:\n${proc.recent.last(15).join('\n')}`);
}

async function startRawWritePath(group: ProcessGroup, env: { databaseUrl: string; natsPrefix: string; tenantId: string }): Promise<{ url: string; procs: ManagedProcess[] }> {
  const script = path.join(ROOT_DIR, 'dist', 'tools', 'bench', 'raw-baseline.js');
  const common = { DATABASE_URL: env.databaseUrl, NATS_URL, STEWARD_NATS_PREFIX: env.natsPrefix, BENCH_TENANT_ID: env.tenantId };
  const responder = group.spawnNode('raw-responder', script, ['responder'], childEnv({ ...common, DB_POOL_MAX: '10' }));
  await waitForLine(responder, 'raw responder ready');
  const port = await freePort();
  const http = group.spawnNode('raw-http', script, ['http'], childEnv({ ...common, PORT: String(port) }));
  await group.ready(http, `http://127.0.0.1:${port}/readyz`, 15_000);
  return { url: `http://127.0.0.1:${port}/v1/partners`, procs: [responder, http] };
}

// ---- 2. breach detection ----

/** Copies a ticket N times (new ids, no external id or origin), each with its SLA timer job due in 20–30 days. */
async function cloneOpenTickets(dbUrl: string, templateId: string, n: number): Promise<void> {
  const cols = (await adminQuery<{ c: string }>(dbUrl, `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'support' AND table_name = 'tickets' ORDER BY ordinal_position`)).map((r) => r.c);
  const override: Record<string, string> = {
    id: 'g.id',
    external_id: 'NULL',
    origin_kind: 'NULL',
    origin_ref: 'NULL',
    timer_job_id: 'g.job_id',
    next_check_at: 'g.run_at',
  };
  const select = cols.map((c) => override[c] ?? `src.${c}`).join(', ');
  const chunk = 50_000;
  for (let done = 0; done < n; done += chunk) {
    const size = Math.min(chunk, n - done);
    await adminQuery(
      dbUrl,
      `WITH src AS (SELECT * FROM support.tickets WHERE id = $1),
       g AS (SELECT gen_random_uuid() AS id, gen_random_uuid() AS job_id, now() + interval '20 days' + random() * interval '10 days' AS run_at FROM generate_series(1, $2)),
       t AS (INSERT INTO support.tickets (${cols.join(', ')}) SELECT ${select} FROM src, g RETURNING tenant_id, id, timer_job_id, next_check_at)
       INSERT INTO support.jobs (id, tenant_id, kind, payload, run_at, max_attempts, actor, correlation_id)
       SELECT timer_job_id, tenant_id, 'support.sla-timer', jsonb_build_object('ticketId', id), next_check_at, 10, 'system:bench', 'bench' FROM t`,
      [templateId, size],
    );
  }
  await adminQuery(dbUrl, 'ANALYZE support.tickets');
  await adminQuery(dbUrl, 'ANALYZE support.jobs');
}

/** The raw due-time index: N far rows and K rows due in BREACH_IN_S, claimed by a loop every POLL_MS. */
async function rawBreachLag(dbUrl: string, n: number): Promise<number[]> {
  await adminQuery(dbUrl, 'CREATE TABLE bench_due (id bigserial PRIMARY KEY, due_at timestamptz NOT NULL, done_at timestamptz)');
  await adminQuery(dbUrl, `INSERT INTO bench_due (due_at) SELECT now() + interval '20 days' + random() * interval '10 days' FROM generate_series(1, $1)`, [n]);
  await adminQuery(dbUrl, 'CREATE INDEX bench_due_at ON bench_due (due_at) WHERE done_at IS NULL');
  await adminQuery(dbUrl, 'ANALYZE bench_due');
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const due = new Date(Date.now() + BREACH_IN_S * 1000);
    // Spread like the platform's tickets, which are created one after another.
    for (let i = 0; i < BREACHING; i++) await c.query('INSERT INTO bench_due (due_at) VALUES ($1)', [new Date(due.getTime() + i * 20)]);
    const deadline = Date.now() + BREACH_IN_S * 1000 + 30_000;
    let found = 0;
    while (found < BREACHING && Date.now() < deadline) {
      await c.query('BEGIN');
      const r = await c.query(`SELECT id FROM bench_due WHERE done_at IS NULL AND due_at <= now() ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED`);
      if (r.rows.length) await c.query('UPDATE bench_due SET done_at = clock_timestamp() WHERE id = ANY($1)', [r.rows.map((x: { id: string }) => x.id)]);
      await c.query('COMMIT');
      found += r.rows.length;
      if (!r.rows.length) await sleep(POLL_MS);
    }
    const rows = await c.query<{ lag: number }>(`SELECT extract(epoch FROM done_at - due_at) * 1000 AS lag FROM bench_due WHERE done_at IS NOT NULL`);
    return rows.rows.map((r) => Number(r.lag)).sort((a, b) => a - b);
  } finally {
    await c.end();
    await adminQuery(dbUrl, 'DROP TABLE bench_due');
  }
}

// ---- 3. compliance report ----

const PAIRS: Array<[string, string, number, number]> = [
  // level, queue, first-response compliance, resolution compliance
  ['L1', 'delivery-centre/Acme', 0.97, 0.94],
  ['L1', 'delivery-centre/Globex', 0.95, 0.9],
  ['L2', 'branch-technical/east', 0.9, 0.85],
  ['L2', 'call-centre', 0.88, 0.8],
  ['L3', 'call-centre', 0.82, 0.75],
  ['L3', 'technical-experts', 0.8, 0.7],
];

/** Rollup rows holding the counts of `n` tickets created over the last 365 days; returns the row count. */
async function loadRollups(dbUrl: string, tenantId: string, n: number): Promise<number> {
  const rows = 365 * PAIRS.length * 4;
  const per = Math.max(1, Math.round(n / rows));
  const values = PAIRS.map(([l, q, fr, res]) => `('${l}', '${q}', ${fr}, ${res})`).join(', ');
  await adminQuery(
    dbUrl,
    `INSERT INTO support.rollups (tenant_id, kind, day, level, step, queue, team_key, priority, tickets, fr_met, fr_breached, res_met, res_breached, resolved, fcr, complaints, escalated)
     SELECT $1::uuid, 'ticket', d::date, p.level, 0, p.queue, '${NIL}'::uuid, pr, k.n, round(k.n * p.fr), k.n - round(k.n * p.fr), round(k.n * p.res), k.n - round(k.n * p.res), k.n, round(k.n * 0.6), round(k.n * 0.02), round(k.n * 0.1)
     FROM (SELECT $2::bigint AS n) k, generate_series(current_date - 364, current_date, interval '1 day') d, (VALUES ${values}) p(level, queue, fr, res), unnest(ARRAY['urgent', 'high', 'normal', 'low']) pr
     ON CONFLICT (tenant_id, kind, day, level, step, queue, team_key, priority) DO NOTHING`,
    [tenantId, per],
  );
  await adminQuery(dbUrl, 'ANALYZE support.rollups');
  return rows;
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

// ---- the run ----

export default async function supportBench(): Promise<BenchResult[]> {
  const tag = randomTag();
  const natsPrefix = `bench${tag}.`;
  const group = new ProcessGroup();
  let db: BenchDatabase | undefined;
  try {
    db = await createDatabase(`steward_bench_${tag}`);
    log(`database ${db.name}, NATS prefix ${natsPrefix}, ${fmt(OPEN_TICKETS)} open tickets (SUPPORT_BENCH_TICKETS)`);
    const operatorToken = randomBytes(24).toString('hex');
    const platform = await startPlatform(group, { databaseUrl: db.url, natsPrefix, jwtSecret: randomBytes(32).toString('hex'), operatorToken });
    const gw = platform.gatewayUrl;
    const slug = `bench-${tag}`;
    const email = `bench-${tag}@example.test`;
    const password = 'bench password 1';
    expect2xx('POST /v1/tenants', await postJson(`${gw}/v1/tenants`, { name: 'Bench', slug, admin: { email, password, name: 'Bench' } }, { authorization: `Bearer ${operatorToken}` }));
    const login = expect2xx('POST /v1/auth/login', await postJson(`${gw}/v1/auth/login`, { email, password }));
    const auth = { authorization: `Bearer ${String(login.body.accessToken)}` };
    const [tenant] = await adminQuery<{ id: string }>(db.url, 'SELECT id FROM accounts.tenants WHERE slug = $1', [slug]);
    if (!tenant) throw new Error(`tenant ${slug} not found`);

    // A direct customer (level 3, call centre); every level on 24×7 and a 3-second first response for urgent L3.
    const account = expect2xx('POST /v1/accounts', await call('POST', `${gw}/v1/accounts`, { name: 'Bench Co', region: 'east' }, auth)).body;
    for (let i = 0; ; i++) {
      const st = expect2xx('GET /v1/support/read-models', await call('GET', `${gw}/v1/support/read-models`, undefined, auth)).body;
      if (Number(st.accounts) >= 1) break;
      if (i > 200) throw new Error('support never learnt of the account');
      await sleep(100);
    }
    const policy = expect2xx('GET /v1/support/policy', await call('GET', `${gw}/v1/support/policy`, undefined, auth)).body.policy as { levels: Record<string, { calendar?: string; targets: Record<string, Record<string, number>> }> };
    for (const l of ['L1', 'L2', 'L3']) policy.levels[l]!.calendar = '24x7';
    policy.levels.L3!.targets.urgent = { firstResponse: BREACH_IN_S / 60, resolution: 600 };
    expect2xx('PUT /v1/support/policy', await call('PUT', `${gw}/v1/support/policy`, { policy }, auth));

    // 1. ticket create
    const ticketBody = JSON.stringify({ accountId: account.id, category: 'question', priority: 'low', subject: 'Bench ticket', description: 'Load' });
    log('measuring ticket create through the gateway');
    const pCreate = await measureCreate('platform', `${gw}/v1/support/tickets`, auth, ticketBody);
    log('measuring the raw write path');
    const raw = await startRawWritePath(group, { databaseUrl: db.url, natsPrefix, tenantId: tenant.id });
    const bCreate = await measureCreate('baseline', raw.url, {}, JSON.stringify({ name: 'Partner', kind: 'reseller', region: 'EMEA' }));
    await group.stop(raw.procs);

    // 2. breach detection with N open tickets
    const template = expect2xx('POST /v1/support/tickets', await call('POST', `${gw}/v1/support/tickets`, JSON.parse(ticketBody), auth)).body;
    let started = Date.now();
    await cloneOpenTickets(db.url, String(template.id), OPEN_TICKETS);
    const [open] = await adminQuery<{ tickets: number; timers: number }>(
      db.url,
      `SELECT (SELECT count(*)::int FROM support.tickets WHERE is_open) AS tickets, (SELECT count(*)::int FROM support.jobs WHERE kind = 'support.sla-timer' AND status = 'queued') AS timers`,
    );
    log(`copied ${fmt(OPEN_TICKETS)} open tickets with their timers in ${round((Date.now() - started) / 1000, 1)} s: ${fmt(open!.tickets)} open tickets, ${fmt(open!.timers)} queued SLA timers`);
    const breaching: string[] = [];
    for (let i = 0; i < BREACHING; i++) {
      const t = expect2xx('POST /v1/support/tickets', await call('POST', `${gw}/v1/support/tickets`, { accountId: account.id, category: 'incident', priority: 'urgent', subject: `Outage ${i}` }, auth)).body;
      breaching.push(String(t.id));
    }
    const lagSql = `SELECT extract(epoch FROM recorded_at - at) * 1000 AS lag FROM support.sla_events WHERE kind = 'breach' AND clock = 'firstResponse' AND ticket_id = ANY($1)`;
    let lags: number[] = [];
    for (const until = Date.now() + BREACH_IN_S * 1000 + 60_000; Date.now() < until; ) {
      lags = (await adminQuery<{ lag: number }>(db.url, lagSql, [breaching])).map((r) => Number(r.lag)).sort((a, b) => a - b);
      if (lags.length >= BREACHING) break;
      await sleep(250);
    }
    if (lags.length < BREACHING) throw new Error(`only ${lags.length} of ${BREACHING} breaches recorded within 60 s of their deadline`);
    log(`platform breach lag over ${BREACHING} tickets: p50 ${round(percentile(lags, 50))} ms, p99 ${round(percentile(lags, 99))} ms, max ${round(lags[lags.length - 1]!)} ms`);
    const rawLags = await rawBreachLag(db.url, OPEN_TICKETS);
    log(`raw due-time index lag: p50 ${round(percentile(rawLags, 50))} ms, p99 ${round(percentile(rawLags, 99))} ms`);

    // 3. compliance report
    started = Date.now();
    const rollupRows = await loadRollups(db.url, tenant.id, OPEN_TICKETS);
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const [tot] = await adminQuery<{ n: number }>(db.url, `SELECT sum(tickets)::int AS n FROM support.rollups WHERE kind = 'ticket'`);
    log(`${fmt(rollupRows)} rollup rows holding ${fmt(tot!.n)} tickets in ${round((Date.now() - started) / 1000, 1)} s`);
    await sleep(2500); // let the fold job settle what the API tickets added
    const reports: Array<{ name: string; qs: string; groupBy: string[] }> = [
      { name: 'by level', qs: 'groupBy=level', groupBy: ['level'] },
      { name: 'by level × priority × month', qs: 'groupBy=level,priority,period&period=month', groupBy: ['level', 'priority', 'period'] },
    ];
    const c = await appClient(db.url, tenant.id);
    const results: BenchResult[] = [];
    try {
      const scan = await timed(5, () => c.query(`SELECT level, count(*), count(*) FILTER (WHERE sla_breached) FROM support.tickets GROUP BY level`));
      for (const r of reports) {
        const url = `${gw}/v1/support/reports/compliance?from=${from}&to=${today}&${r.qs}`;
        const first = expect2xx(`GET ${url}`, await call('GET', url, undefined, auth));
        const rows = (first.body.rows as unknown[]).length;
        const p = await timed(30, async () => expect2xx(`GET ${url}`, await call('GET', url, undefined, auth)));
        const dims = r.groupBy.map((d) => (d === 'period' ? `date_trunc('month', day)::date` : d)).join(', ');
        const sql = `SELECT ${dims}, sum(tickets), sum(fr_met), sum(fr_breached), sum(res_met), sum(res_breached), sum(resolved), sum(fcr), sum(complaints), sum(escalated)
          FROM (SELECT day, level, priority, tickets, fr_met, fr_breached, res_met, res_breached, resolved, fcr, complaints, escalated FROM support.rollups WHERE kind = 'ticket' AND day BETWEEN $1::date AND $2::date
                UNION ALL SELECT day, level, priority, tickets, fr_met, fr_breached, res_met, res_breached, resolved, fcr, complaints, escalated FROM support.rollup_deltas WHERE kind = 'ticket' AND day BETWEEN $1::date AND $2::date) x
          GROUP BY ${r.groupBy.map((_, i) => i + 1).join(', ')}`;
        const b = await timed(30, () => c.query(sql, [from, today]));
        const platformFig: Figure = { unit: 'ms', value: round(percentile(p, 99)), detail: { p50_ms: round(percentile(p, 50)), rows } };
        const baselineFig: Figure = { unit: 'ms', value: round(percentile(b, 99)), detail: { p50_ms: round(percentile(b, 50)), ticket_scan_p50_ms: round(percentile(scan, 50)) } };
        const ok = platformFig.value < REPORT_TARGET_MS;
        results.push({
          name: `compliance report ${r.name}, 12 months, ${fmt(tot!.n)} tickets in rollups (GET /v1/support/reports/compliance)`,
          platform: platformFig,
          baseline: baselineFig,
          ratio: ratioOf(platformFig, baselineFig, false),
          target: `< ${REPORT_TARGET_MS} ms`,
          notes: [
            ok ? `target met: p99 ${platformFig.value} ms` : `TARGET MISSED: p99 ${platformFig.value} ms (target < ${REPORT_TARGET_MS} ms)`,
            `30 sequential requests each side; ${fmt(rollupRows)} rollup rows (365 days × ${PAIRS.length} level/queue pairs × 4 priorities) loaded with SQL to hold the counts of ${fmt(tot!.n)} tickets: the report's cost follows rollup rows (days × groups), not tickets`,
            `baseline: the same sums over rollups + pending deltas as one statement, as ${APP_ROLE} with the tenant set (no HTTP, NATS, validation); ticket_scan_p50_ms = GROUP BY level over the ${fmt(open!.tickets)} ticket rows, what a report scanning tickets would cost`,
          ].join('; '),
        });
      }
    } finally {
      await c.end();
    }

    const createFig = (s: CreateSide): Figure => ({ unit: 'ms', value: s.paced.p99, detail: { rate: s.halfRate, peak_rps: s.peak.rps, p50_ms: s.paced.p50, peak_p99_ms: s.peak.p99, failures: s.peak.failures + s.paced.failures } });
    const lagFig = (l: number[]): Figure => ({ unit: 'ms', value: round(percentile(l, 99)), detail: { p50_ms: round(percentile(l, 50)), max_ms: round(l[l.length - 1]!), n: l.length } });
    return [
      {
        name: 'ticket create p99 at half peak, paced (POST /v1/support/tickets)',
        platform: createFig(pCreate),
        baseline: createFig(bCreate),
        ratio: ratioOf(createFig(pCreate), createFig(bCreate), false),
        target: `p99 < ${CREATE_TARGET_P99_MS} ms`,
        notes: [
          pCreate.paced.p99 < CREATE_TARGET_P99_MS ? `target met: p99 ${pCreate.paced.p99} ms at ${pCreate.halfRate} req/s` : `TARGET MISSED: p99 ${pCreate.paced.p99} ms at ${pCreate.halfRate} req/s (target < ${CREATE_TARGET_P99_MS} ms)`,
          `each side paced at half of its own autocannon -c ${CONNECTIONS} peak (platform ${pCreate.peak.rps}, baseline ${bCreate.peak.rps} req/s), ${PACED_S} s, latency from the scheduled send time`,
          'platform per ticket: JWT, validation, NATS RPC, read models, routing, policy version, assignment, SLA evaluation, timer job, rollup delta, ticket, history, feed and 2 outbox rows in one transaction; baseline: raw-baseline.ts (node:http → NATS → one pg transaction: insert, audit row, outbox row)',
        ].join('; '),
      },
      {
        name: `breach detection lag with ${fmt(open!.tickets)} open tickets (SLA timer jobs)`,
        platform: lagFig(lags),
        baseline: lagFig(rawLags),
        ratio: ratioOf(lagFig(lags), lagFig(rawLags), false),
        target: `p99 < ${LAG_TARGET_MS / 1000} s`,
        notes: [
          percentile(lags, 99) < LAG_TARGET_MS ? `target met: p99 ${round(percentile(lags, 99))} ms` : `TARGET MISSED: p99 ${round(percentile(lags, 99))} ms`,
          `${BREACHING} tickets opened through the API with a ${BREACH_IN_S} s first response beside ${fmt(OPEN_TICKETS)} copied open tickets whose timers are due in 20–30 days; lag = sla_events.recorded_at − at of the breach (the escalation and the events are in the same transaction)`,
          `baseline: ${fmt(OPEN_TICKETS)} + ${BREACHING} rows in a due-time table with a partial index, claimed by one loop (FOR UPDATE SKIP LOCKED, LIMIT 100) sleeping ${POLL_MS} ms when nothing is due, as the job runner polls (JOBS_POLL_MS ${POLL_MS}); both lags are dominated by that poll interval`,
          OPEN_TICKETS < 1_000_000 ? `scaled down: ${fmt(OPEN_TICKETS)} open tickets, not the issue's 1,000,000 (SUPPORT_BENCH_TICKETS=1000000)` : "the issue's size",
        ].join('; '),
      },
      ...results,
    ];
  } finally {
    await group.stop().catch((err: unknown) => console.error(`  support: stopping processes: ${String(err)}`));
    await deleteStreams(natsPrefix).catch((err: unknown) => console.error(`  support: deleting JetStream streams: ${String(err)}`));
    await db?.drop().catch((err: unknown) => console.error(`  support: dropping ${db?.name}: ${String(err)}`));
  }
}
