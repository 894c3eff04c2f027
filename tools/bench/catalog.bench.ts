// Catalog benchmark (issue 10): settling N outcome contracts for one period, and entitlement
// lookups, through the running platform, each against a raw baseline in the same run.
//
// Set-up: every service as `npm start` runs it, a tenant, one outcome plan and one account and
// subscription made through the API; then N − 1 more accounts and subscriptions cloned from
// those rows and three KPI readings per contract in February 2026, with plain SQL (the API
// would take minutes to create 10,000 contracts on a 2-core machine and is not what is measured).
//
// 1. Settlement: POST /v1/catalog/settlement-runs for 2026-02, polled until completed (the
//    durable job: pages of 2,500 contracts, readings aggregated, catalog-domain's settlement
//    with bands and caps, each settlement stored with its inputs and lines, one
//    settlement.computed event per contract through the outbox, in one transaction per page).
//    Baseline: one raw SQL read of the same contracts with their mean reading, the same band
//    arithmetic in a plain loop, one INSERT … SELECT unnest(…) of the results (no inputs, no
//    lines, no events). Target: N = 10,000 in < 2 s.
// 2. Entitlement lookup: GET /v1/catalog/accounts/{id}/entitlements, one at a time, for random
//    seeded accounts (HTTP → gateway → NATS → catalog → PostgreSQL with RLS → merge). Baseline:
//    the catalog's own live-grants query on one raw pg connection. Target: p99 < 5 ms.
//
// CATALOG_BENCH_CONTRACTS (default 10,000) and CATALOG_BENCH_LOOKUPS (default 1,000) size it.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ratioOf, type BenchResult, type Figure } from './bench';
import { adminQuery, createDatabase, deleteStreams, ProcessGroup, randomTag, startPlatform, type BenchDatabase } from './stack';

const CONTRACTS = Number(process.env.CATALOG_BENCH_CONTRACTS ?? 10_000);
const LOOKUPS = Number(process.env.CATALOG_BENCH_LOOKUPS ?? 1_000);
const WARMUP_LOOKUPS = 100;
const PERIOD = { key: '2026-02', start: '2026-02-01T00:00:00Z', end: '2026-03-01T00:00:00Z' };
const TARGET_SETTLE_MS = 2_000;
const TARGET_P99_MS = 5;

// Complaint rate, lower is better, target 2 %, EUR 1,000 a month; bonus and malus bands, caps.
const PRICING = {
  kind: 'outcome',
  currency: 'EUR',
  billingPeriod: 'year',
  kpi: { key: 'complaint-rate', name: 'Complaint rate', unit: '%' },
  target: 2,
  direction: 'lowerIsBetter',
  settlementPeriod: 'month',
  aggregation: 'mean',
  baseFee: 100_000,
  bands: [
    { fromPct: -100, toPct: -10, amount: 10_000 },
    { fromPct: -10, toPct: 0, shareOfBaseFee: 0.05 },
    { fromPct: 0, toPct: 10, shareOfBaseFee: 0.05 },
    { fromPct: 10, toPct: 100, shareOfBaseFee: 0.15 },
  ],
  caps: { maxBonus: 12_000, maxMalus: 8_000 },
  floor: 0,
};

const log = (msg: string) => console.log(`  catalog: ${msg}`);
const now = () => process.hrtime.bigint();
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function http(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(url, { method, headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
async function expect2xx(what: string, p: ReturnType<typeof http>) {
  const a = await p;
  if (a.status >= 300) throw new Error(`${what} answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
  return a.body;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** N − 1 more accounts and contracts cloned from the template rows, and three February readings each. */
async function seed(dbUrl: string, tenantId: string, templateId: string): Promise<void> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const columns = (await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'catalog' AND table_name = 'subscriptions' ORDER BY ordinal_position`)).rows.map((r: { column_name: string }) => r.column_name);
    const select = columns.map((col) => (col === 'id' ? 'a.sub_id' : col === 'account_id' ? 'a.id' : `t.${col}`)).join(', ');
    await c.query('BEGIN');
    await c.query(`CREATE TEMP TABLE bench_accounts ON COMMIT DROP AS SELECT gen_random_uuid() AS id, gen_random_uuid() AS sub_id, i FROM generate_series(1, $1::int) i`, [CONTRACTS - 1]);
    await c.query(`INSERT INTO catalog.accounts (id, tenant_id, name, lead_channel, lead_partner_id, deleted, source_version) SELECT id, $1, 'Bench ' || i, 'direct', NULL, false, 1 FROM bench_accounts`, [tenantId]);
    await c.query(`INSERT INTO catalog.subscriptions (${columns.join(', ')}) SELECT ${select} FROM bench_accounts a, catalog.subscriptions t WHERE t.id = $1`, [templateId]);
    await c.query(`UPDATE catalog.subscriptions SET started_at = '2026-01-01T00:00:00Z', current_term_start = '2026-01-01T00:00:00Z', current_term_end = '2027-01-01T00:00:00Z' WHERE tenant_id = $1`, [tenantId]);
    // Readings around the 2 % target: from 1.2 % (bonus, capped) to 2.8 % (malus, capped).
    await c.query(
      `INSERT INTO catalog.kpi_readings (id, tenant_id, subscription_id, at, value, source, external_id, note, recorded_at, recorded_by)
       SELECT gen_random_uuid(), $1, s.id, timestamptz '2026-02-01T00:00:00Z' + (k * 7) * interval '1 day', round((1.2 + random() * 1.6)::numeric, 4), 'import', 'bench-' || k, NULL, now(), 'bench'
         FROM catalog.subscriptions s, generate_series(1, 3) k WHERE s.tenant_id = $1`,
      [tenantId],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE catalog.subscriptions; ANALYZE catalog.kpi_readings; ANALYZE catalog.accounts');
  } finally {
    await c.end();
  }
}

/** The same settlement arithmetic in a plain loop: mean, deviation, band, caps, floor. */
function settleRaw(actual: number): { bonus: number; malus: number; amount: number; deviation: number } {
  const deviation = ((PRICING.target - actual) / PRICING.target) * 100; // lower is better
  let bonus = 0;
  let malus = 0;
  for (const b of PRICING.bands) {
    // Bands are reached, not picked: a bonus band counts once the deviation is past its start, a malus band once below its end.
    const isBonus = b.fromPct >= 0;
    if (isBonus ? !(deviation > b.fromPct) : !(deviation < b.toPct)) continue;
    const v = b.amount ?? Math.round(PRICING.baseFee * (b.shareOfBaseFee ?? 0));
    if (isBonus) bonus += v;
    else malus += v;
  }
  bonus = Math.min(bonus, PRICING.caps.maxBonus);
  malus = Math.min(malus, PRICING.caps.maxMalus);
  return { bonus, malus, amount: Math.max(PRICING.floor, PRICING.baseFee + bonus - malus), deviation };
}

async function baselineSettle(dbUrl: string, tenantId: string): Promise<{ ms: number; rows: number }> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(`CREATE TABLE IF NOT EXISTS public.bench_settlements (subscription_id uuid PRIMARY KEY, period text, actual double precision, deviation double precision, base_fee bigint, bonus bigint, malus bigint, amount bigint)`);
    await c.query('TRUNCATE public.bench_settlements');
    const started = now();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await c.query(
      `SELECT s.id, avg(r.value) AS actual FROM catalog.subscriptions s JOIN catalog.kpi_readings r ON r.subscription_id = s.id AND r.at >= $1 AND r.at < $2
        WHERE s.tenant_id = $3 AND s.pricing_kind = 'outcome' AND s.pricing->>'settlementPeriod' = 'month' AND s.started_at < $2 AND (s.ended_at IS NULL OR s.ended_at > $1)
        GROUP BY s.id`,
      [PERIOD.start, PERIOD.end, tenantId],
    );
    const ids: string[] = [];
    const cols: number[][] = [[], [], [], [], [], []];
    for (const r of rows as Array<{ id: string; actual: number }>) {
      const x = settleRaw(Number(r.actual));
      ids.push(r.id);
      [Number(r.actual), x.deviation, PRICING.baseFee, x.bonus, x.malus, x.amount].forEach((v, i) => cols[i]!.push(v));
    }
    await c.query(
      `INSERT INTO public.bench_settlements SELECT id, $1, a, d, b, bo, m, am FROM unnest($2::uuid[], $3::float8[], $4::float8[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[]) AS t(id, a, d, b, bo, m, am)`,
      [PERIOD.key, ids, ...cols],
    );
    await c.query('COMMIT');
    return { ms: msSince(started), rows: ids.length };
  } finally {
    await c.end();
  }
}

async function platformSettle(gatewayUrl: string, auth: Record<string, string>): Promise<{ ms: number; serverMs: number; run: Record<string, unknown> }> {
  const started = now();
  const run = await expect2xx('POST /v1/catalog/settlement-runs', http('POST', `${gatewayUrl}/v1/catalog/settlement-runs`, { period: PERIOD.key, unit: 'month' }, auth));
  for (;;) {
    const got = await expect2xx('GET /v1/catalog/settlement-runs/{id}', http('GET', `${gatewayUrl}/v1/catalog/settlement-runs/${run.id}`, undefined, auth));
    if (got.status === 'completed' || got.status === 'failed') {
      const ms = msSince(started);
      if (got.status === 'failed') throw new Error(`settlement run failed: ${got.failureReason}`);
      return { ms, serverMs: Date.parse(got.finishedAt) - Date.parse(got.startedAt), run: got };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function lookups(fn: (accountId: string) => Promise<void>, accountIds: string[]): Promise<{ p50: number; p99: number; max: number; mean: number }> {
  for (let i = 0; i < WARMUP_LOOKUPS; i++) await fn(accountIds[i % accountIds.length]!);
  const ms: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const id = accountIds[(i * 7919) % accountIds.length]!;
    const t = now();
    await fn(id);
    ms.push(msSince(t));
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), max: round(ms[ms.length - 1]!), mean: round(ms.reduce((s, x) => s + x, 0) / ms.length) };
}

export default async function catalogBench(): Promise<BenchResult[]> {
  const tag = randomTag();
  const natsPrefix = `bench${tag}.`;
  const group = new ProcessGroup();
  let db: BenchDatabase | undefined;
  try {
    db = await createDatabase(`steward_bench_${tag}`);
    log(`database ${db.name}, NATS prefix ${natsPrefix}, ${CONTRACTS.toLocaleString('en-US')} contracts, ${LOOKUPS.toLocaleString('en-US')} lookups`);
    const operatorToken = randomBytes(24).toString('hex');
    const platform = await startPlatform(group, { databaseUrl: db.url, natsPrefix, jwtSecret: randomBytes(32).toString('hex'), operatorToken });
    const base = platform.gatewayUrl;
    const slug = `bench-${tag}`;
    const email = `bench-${tag}@example.test`;
    const password = 'bench password 1';
    await expect2xx('POST /v1/tenants', http('POST', `${base}/v1/tenants`, { name: 'Bench', slug, admin: { email, password, name: 'Bench' } }, { authorization: `Bearer ${operatorToken}` }));
    const login = await expect2xx('POST /v1/auth/login', http('POST', `${base}/v1/auth/login`, { email, password }, {}));
    const auth = { authorization: `Bearer ${login.accessToken as string}` };
    const [tenant] = await adminQuery<{ id: string }>(db.url, 'SELECT id FROM accounts.tenants WHERE slug = $1', [slug]);
    if (!tenant) throw new Error(`tenant ${slug} not found`);

    const text = (en: string) => ({ en, 'zh-CN': en });
    const product = await expect2xx('POST product', http('POST', `${base}/v1/catalog/products`, { code: 'managed-after-sales', kind: 'service', purpose: 'open-profit-space', name: text('Managed after-sales operations'), description: text('With a complaint-rate bet') }, auth));
    await expect2xx('publish product', http('POST', `${base}/v1/catalog/products/${product.id}/publish`, {}, auth));
    const plan = await expect2xx('POST plan', http('POST', `${base}/v1/catalog/products/${product.id}/plans`, { code: 'complaint-rate-bet', name: text('Complaint-rate bet'), pricing: PRICING, entitlements: { supportLevel: 'L2', slaTargets: { urgent: { firstResponse: 30 } }, includedHours: 8 } }, auth));
    await expect2xx('publish plan', http('POST', `${base}/v1/catalog/plans/${plan.id}/publish`, {}, auth));
    const account = await expect2xx('POST account', http('POST', `${base}/v1/accounts`, { name: 'Bench template' }, auth));
    for (let i = 0; ; i++) {
      if ((await http('GET', `${base}/v1/catalog/accounts/${account.id}/entitlements`, undefined, auth)).status === 200) break;
      if (i > 300) throw new Error('the catalog never heard of the template account');
      await new Promise((r) => setTimeout(r, 50));
    }
    const template = await expect2xx('POST subscription', http('POST', `${base}/v1/catalog/subscriptions`, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 90 }, auth));
    let t = now();
    await seed(db.url, tenant.id, template.id as string);
    log(`seeded ${CONTRACTS.toLocaleString('en-US')} contracts and ${(CONTRACTS * 3).toLocaleString('en-US')} readings with plain SQL in ${round(msSince(t) / 1000, 1)} s`);

    // 1. Settlement: baseline, platform, baseline again (the mean of both baselines).
    const b1 = await baselineSettle(db.url, tenant.id);
    const first = await platformSettle(base, auth);
    const b2 = await baselineSettle(db.url, tenant.id);
    if (first.run.settled !== CONTRACTS || b1.rows !== CONTRACTS) throw new Error(`settled ${String(first.run.settled)} (platform) and ${b1.rows} (baseline) of ${CONTRACTS}`);
    const again = await platformSettle(base, auth);
    const [check] = await adminQuery<{ n: number; differ: number }>(
      db.url,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE b.amount <> s.amount)::int AS differ FROM catalog.settlements s JOIN public.bench_settlements b USING (subscription_id) WHERE s.period = $1`,
      [PERIOD.key],
    );
    log(`settlement run: ${round(first.ms)} ms wall (${first.serverMs} ms started → finished in the job), again with nothing changed ${round(again.ms)} ms (unchanged ${String(again.run.unchanged)}); baseline ${round(b1.ms)} / ${round(b2.ms)} ms; amounts equal to the baseline's for ${check!.n - check!.differ} of ${check!.n}`);
    const settlePlatform: Figure = { unit: 'ms', value: round(first.ms), detail: { 'job started→finished ms': first.serverMs, 'unchanged re-run ms': round(again.ms), contracts: CONTRACTS } };
    const settleBaseline: Figure = { unit: 'ms', value: round((b1.ms + b2.ms) / 2), detail: { runs: `${round(b1.ms)} / ${round(b2.ms)}` } };

    // 2. Entitlement lookups.
    const ids = (await adminQuery<{ account_id: string }>(db.url, `SELECT account_id FROM catalog.subscriptions WHERE tenant_id = $1 ORDER BY id LIMIT 2000`, [tenant.id])).map((r) => r.account_id);
    t = now();
    const viaApi = await lookups(async (id) => {
      const res = await http('GET', `${base}/v1/catalog/accounts/${id}/entitlements`, undefined, auth);
      if (res.status !== 200 || res.body.supportLevel !== 'L2') throw new Error(`entitlements of ${id}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }, ids);
    log(`entitlement lookups through the gateway: p50 ${viaApi.p50} ms, p99 ${viaApi.p99} ms, max ${viaApi.max} ms (${round(msSince(t) / 1000, 1)} s)`);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    let raw;
    try {
      raw = await lookups(async (id) => {
        const { rows } = await c.query(
          `SELECT s.id, s.plan_version_id, s.seats, v.entitlements, s.current_term_start, s.current_term_end FROM catalog.subscriptions s JOIN catalog.plan_versions v ON v.id = s.plan_version_id
            WHERE s.tenant_id = $1 AND s.account_id = $2 AND s.status = 'active' AND s.started_at <= now()`,
          [tenant.id, id],
        );
        if (rows.length !== 1) throw new Error(`raw lookup of ${id}: ${rows.length} rows`);
      }, ids);
    } finally {
      await c.end();
    }
    log(`entitlement lookups, raw SQL: p50 ${raw.p50} ms, p99 ${raw.p99} ms`);

    const settleMet = first.ms < TARGET_SETTLE_MS;
    const lookupMet = viaApi.p99 < TARGET_P99_MS;
    return [
      {
        name: `catalog: settle ${CONTRACTS.toLocaleString('en-US')} outcome contracts for one period (settlement run via the API)`,
        platform: settlePlatform,
        baseline: settleBaseline,
        ratio: ratioOf(settlePlatform, settleBaseline, false),
        target: `< ${TARGET_SETTLE_MS} ms for 10,000`,
        notes: `${settleMet ? 'target met' : 'TARGET MISSED'}; baseline = one raw SQL read with the mean reading, the same band arithmetic in a loop, one unnest insert (no inputs, lines, events or paging)`,
      },
      {
        name: 'catalog: entitlement lookup, GET /v1/catalog/accounts/{id}/entitlements, one at a time',
        platform: { unit: 'ms p99', value: viaApi.p99, detail: { p50: viaApi.p50, mean: viaApi.mean, max: viaApi.max, lookups: LOOKUPS } },
        baseline: { unit: 'ms p99', value: raw.p99, detail: { p50: raw.p50, mean: raw.mean, max: raw.max } },
        ratio: ratioOf({ unit: 'ms', value: viaApi.p99 }, { unit: 'ms', value: raw.p99 }, false),
        target: `p99 < ${TARGET_P99_MS} ms`,
        notes: `${lookupMet ? 'target met' : 'TARGET MISSED'}; platform = HTTP → gateway (auth) → NATS → catalog (RLS transaction, merge) and back; baseline = the live-grants query on one raw pg connection`,
      },
    ];
  } finally {
    await group.stop().catch((err: unknown) => console.error(`  catalog: stopping processes: ${String(err)}`));
    await deleteStreams(natsPrefix).catch((err: unknown) => console.error(`  catalog: deleting JetStream streams: ${String(err)}`));
    await db?.drop().catch((err: unknown) => console.error(`  catalog: dropping ${db?.name}: ${String(err)}`));
  }
}
