// Write-path benchmark (the foundation issue's): POST /v1/partners through
//   HTTP → gateway → NATS request → accounts → PostgreSQL (RLS, audit log, outbox) → reply
// under autocannon, against a raw baseline in plain Node doing the same statements in one
// transaction (set_config, business insert, audit insert, outbox insert) behind one NATS
// round trip, with the same process topology (HTTP process + NATS responder process).
// Both run in the same invocation on the same database, tables and tenant.
//
// Protocol, platform first, then baseline (the platform is stopped before the baseline
// runs, so its outbox relay does not compete with it): warm-up 3 s at -c 20; peak 10 s at
// -c 20; then half that side's peak rate for 10 s at -c 20 with autocannon `overallRate`;
// then the same half rate, evenly paced (open loop), for 8 s. See docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ratioOf, type BenchResult, type Figure } from './bench';
import { runAutocannon, runPaced, type LoadFigures } from './load';
import { adminQuery, childEnv, cpuSeconds, createDatabase, deleteStreams, NATS_URL, postJson, ProcessGroup, randomTag, ROOT_DIR, startPlatform, type BenchDatabase } from './stack';
import type { ManagedProcess } from '../stack/processes';
import { freePort } from '../stack/net';

const CONNECTIONS = 20;
const WARMUP_S = 3;
const PEAK_S = 10;
const HALF_S = 10;
const PACED_S = 8;
const BODY = JSON.stringify({ name: 'Partner', kind: 'reseller', region: 'EMEA' });
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 25;

interface SideFigures {
  peak: LoadFigures;
  half: LoadFigures;
  paced: LoadFigures;
  halfRate: number;
  /** CPU milliseconds per request spent in the two app processes during the peak phase */
  cpuMsPerReq: number;
}

const log = (msg: string) => console.log(`  write-path: ${msg}`);

function assertClean(side: string, phase: string, f: LoadFigures): void {
  if (f.failures > 0) throw new Error(`${side} ${phase}: ${f.failureDetail} (expected only 2xx)`);
}

async function measure(side: string, url: string, headers: Record<string, string>, pids: number[]): Promise<SideFigures> {
  const allHeaders = { 'content-type': 'application/json', ...headers };
  const ac = (duration: number, overallRate?: number) => runAutocannon({ url, method: 'POST', headers: allHeaders, body: BODY, connections: CONNECTIONS, duration, ...(overallRate ? { overallRate } : {}) });

  assertClean(side, 'warm-up', await ac(WARMUP_S));
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const peak = await ac(PEAK_S);
  const cpuMsPerReq = Math.round(((cpu() - cpuBefore) * 1000 * 100) / Math.max(1, peak.total)) / 100;
  assertClean(side, 'peak', peak);
  log(`${side} peak: ${peak.rps} req/s, p50 ${peak.p50} ms, p99 ${peak.p99} ms, ${cpuMsPerReq} ms CPU/request in its two processes`);
  const halfRate = Math.max(1, Math.round(peak.rps / 2));
  const half = await ac(HALF_S, halfRate);
  assertClean(side, 'half rate', half);
  log(`${side} at ${halfRate} req/s (autocannon overallRate): ${half.rps} req/s, p50 ${half.p50} ms, p99 ${half.p99} ms`);
  const paced = await runPaced({ url, headers: allHeaders, body: BODY, rate: halfRate, durationSec: PACED_S, sockets: CONNECTIONS });
  assertClean(side, 'paced half rate', paced);
  log(`${side} at ${halfRate} req/s (paced): p50 ${paced.p50} ms, p99 ${paced.p99} ms`);
  return { peak, half, paced, halfRate, cpuMsPerReq };
}

async function waitForLine(proc: ManagedProcess, needle: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.recent.last(40).some((l) => l.includes(needle))) return;
    if (proc.exitInfo) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${proc.name} did not report "${needle}"; last output:\n${proc.recent.last(15).join('\n')}`);
}

async function startBaseline(group: ProcessGroup, env: { databaseUrl: string; natsPrefix: string; tenantId: string }): Promise<{ url: string; procs: ManagedProcess[] }> {
  const script = path.join(ROOT_DIR, 'dist', 'tools', 'bench', 'raw-baseline.js');
  const common = { DATABASE_URL: env.databaseUrl, NATS_URL, STEWARD_NATS_PREFIX: env.natsPrefix, BENCH_TENANT_ID: env.tenantId };
  const responder = group.spawnNode('raw-responder', script, ['responder'], childEnv({ ...common, DB_POOL_MAX: '10' }));
  await waitForLine(responder, 'raw responder ready');
  const port = await freePort();
  const http = group.spawnNode('raw-http', script, ['http'], childEnv({ ...common, PORT: String(port) }));
  await group.ready(http, `http://127.0.0.1:${port}/readyz`, 15_000);
  return { url: `http://127.0.0.1:${port}/v1/partners`, procs: [responder, http] };
}

const detail = (f: LoadFigures, extra: Record<string, number | string>, cpuMsPerReq: number) => ({ ...extra, p50_ms: f.p50, p99_ms: f.p99, ...(Number.isFinite(cpuMsPerReq) ? { app_cpu_ms_per_req: cpuMsPerReq } : {}) });

export default async function writePath(): Promise<BenchResult[]> {
  const tag = randomTag();
  const natsPrefix = `bench${tag}.`;
  const group = new ProcessGroup();
  let db: BenchDatabase | undefined;
  try {
    db = await createDatabase(`steward_bench_${tag}`);
    log(`database ${db.name}, NATS prefix ${natsPrefix}`);
    const operatorToken = randomBytes(24).toString('hex');
    const platform = await startPlatform(group, { databaseUrl: db.url, natsPrefix, jwtSecret: randomBytes(32).toString('hex'), operatorToken });

    const slug = `bench-${tag}`;
    const email = `bench-${tag}@example.test`;
    const password = 'bench password 1';
    const created = await postJson(`${platform.gatewayUrl}/v1/tenants`, { name: 'Bench', slug, admin: { email, password, name: 'Bench' } }, { authorization: `Bearer ${operatorToken}` });
    if (created.status !== 201) throw new Error(`POST /v1/tenants answered ${created.status}: ${created.text.slice(0, 300)}`);
    const login = await postJson(`${platform.gatewayUrl}/v1/auth/login`, { email, password });
    const token = login.body.accessToken;
    if (login.status !== 200 || typeof token !== 'string') throw new Error(`POST /v1/auth/login answered ${login.status}: ${login.text.slice(0, 300)}`);
    const [tenant] = await adminQuery<{ id: string }>(db.url, 'SELECT id FROM accounts.tenants WHERE slug = $1', [slug]);
    if (!tenant) throw new Error(`tenant ${slug} not found after creation`);

    const platformUrl = `${platform.gatewayUrl}/v1/partners`;
    const auth = { authorization: `Bearer ${token}` };
    const probe = await postJson(platformUrl, JSON.parse(BODY), auth);
    if (probe.status !== 201) throw new Error(`POST /v1/partners answered ${probe.status}: ${probe.text.slice(0, 300)}`);

    log('measuring the platform');
    const p = await measure('platform', platformUrl, auth, [platform.gateway.pid, platform.accounts.pid]);
    const [pending] = await adminQuery<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM accounts.outbox WHERE sent_at IS NULL');
    await group.stop([platform.gateway, platform.accounts]);

    log('measuring the raw baseline');
    const baseline = await startBaseline(group, { databaseUrl: db.url, natsPrefix, tenantId: tenant.id });
    const b = await measure('baseline', baseline.url, {}, baseline.procs.map((x) => x.pid));
    await group.stop(baseline.procs);

    const [rows] = await adminQuery<{ platform: number; total: number }>(
      db.url,
      `SELECT count(*) FILTER (WHERE a.actor <> 'user:bench')::int AS platform, count(*)::int AS total FROM accounts.partners p JOIN accounts.audit_log a ON a.entity_id = p.id`,
    );

    const platformPeak: Figure = { unit: 'req/s', value: p.peak.rps, detail: detail(p.peak, {}, p.cpuMsPerReq) };
    const baselinePeak: Figure = { unit: 'req/s', value: b.peak.rps, detail: detail(b.peak, {}, b.cpuMsPerReq) };
    const throughputRatio = ratioOf(platformPeak, baselinePeak, true);
    const topology =
      `app_cpu_ms_per_req = CPU time of the side's two Node processes per request at peak (platform ${p.cpuMsPerReq} ms vs baseline ${b.cpuMsPerReq} ms; less sensitive to other load on the machine than req/s); ` +
      'autocannon -c 20 in the runner process; 2 cores shared by load generator, gateway, accounts, PostgreSQL and NATS';
    const throughputNotes = [
      throughputRatio >= TARGET_RATIO
        ? `target met: platform at ${throughputRatio}x the raw baseline`
        : `TARGET MISSED: platform reaches ${throughputRatio}x the raw baseline's throughput (target ≥ ${TARGET_RATIO})`,
      `platform does per request: JWT verify, rate limit, zod validation, NATS RPC, one transaction (START TRANSACTION + set_config in one round trip, INSERT … RETURNING, audit insert, outbox insert, COMMIT); its outbox relay publishes to JetStream in the background of accounts (${pending?.n ?? '?'} rows still unsent when the peak phases ended); the baseline's outbox rows are never published`,
      `${rows?.total ?? '?'} partners written (${rows?.platform ?? '?'} by the platform)`,
      topology,
    ].join('; ');

    const platformHalf: Figure = { unit: 'ms', value: p.half.p99, detail: { rate: p.halfRate, p50_ms: p.half.p50, paced_p50_ms: p.paced.p50, paced_p99_ms: p.paced.p99 } };
    const baselineHalf: Figure = { unit: 'ms', value: b.half.p99, detail: { rate: b.halfRate, p50_ms: b.half.p50, paced_p50_ms: b.paced.p50, paced_p99_ms: b.paced.p99 } };
    const latencyNotes = [
      p.half.p99 < TARGET_P99_MS
        ? `target met: platform p99 ${p.half.p99} ms at ${p.halfRate} req/s`
        : `TARGET MISSED: platform p99 ${p.half.p99} ms at ${p.halfRate} req/s (target < ${TARGET_P99_MS} ms)`,
      `value = autocannon overallRate p99 (bursty: each connection sends its per-second quota back to back, then idles); paced_* = the same rate evenly spaced, open loop, measured from the scheduled send time (platform paced p99 ${p.paced.p99} ms ${p.paced.p99 < TARGET_P99_MS ? 'meets' : 'misses'} the target)`,
      'each side runs at half of its own peak',
    ].join('; ');

    return [
      {
        name: 'write path peak throughput (POST /v1/partners)',
        platform: platformPeak,
        baseline: baselinePeak,
        ratio: throughputRatio,
        target: `≥ ${TARGET_RATIO}`,
        notes: throughputNotes,
      },
      {
        name: 'write path p99 at half peak rate',
        platform: platformHalf,
        baseline: baselineHalf,
        ratio: ratioOf(platformHalf, baselineHalf, false),
        target: `platform p99 < ${TARGET_P99_MS} ms`,
        notes: latencyNotes,
      },
    ];
  } finally {
    await group.stop().catch((err: unknown) => console.error(`  write-path: stopping processes: ${String(err)}`));
    await deleteStreams(natsPrefix).catch((err: unknown) => console.error(`  write-path: deleting JetStream streams: ${String(err)}`));
    await db?.drop().catch((err: unknown) => console.error(`  write-path: dropping ${db?.name}: ${String(err)}`));
  }
}
