// Start-up benchmark: for every service the local stack runs (tools/stack/services.ts,
// read at run time, so a new service is measured as soon as it is declared there), the
// time from spawning its built main.js to the first 200 on /readyz, and its resident
// memory after a few seconds idle; against a bare Node process that starts an HTTP server
// answering /readyz, measured the same way.
//
// Protocol: a fresh database, every service's migrations run first (not timed: the target
// is "ready in under 2 s after its migrations"); then each service alone, one after the
// other, with the environment the stack gives it (commonServiceEnv + serviceEnv: free
// ports, this run's NATS prefix, OTEL_TRACES_EXPORTER=none, LOG_LEVEL=warn); RUNS starts
// each, the median reported. See docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { ratioOf, type BenchResult, type Figure } from './bench';
import { childEnv, createDatabase, deleteStreams, NATS_URL, ProcessGroup, randomTag, ROOT_DIR, type BenchDatabase } from './stack';
import { MigrationError, runMigrations } from '../stack/migrations';
import { freePort } from '../stack/net';
import type { ManagedProcess } from '../stack/processes';
import { commonServiceEnv, mainEntrypoint, opsUrl, SERVICES, serviceEnv, type StackContext } from '../stack/services';

const RUNS = 3;
const IDLE_MS = 3_000;
const POLL_MS = 10;
const READY_TIMEOUT_MS = 30_000;
const TARGET_READY_MS = 2_000;
const TARGET_RSS_MB = 150;

/** The baseline: a bare Node process with an HTTP server answering /readyz. */
const BARE_SERVER = `require('node:http').createServer((req, res) => { res.writeHead(req.url === '/readyz' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ready"}'); }).listen(Number(process.env.PORT), '127.0.0.1');`;

interface StartFigures {
  readyMs: number;
  rssMb: number;
}

const log = (msg: string) => console.log(`  startup: ${msg}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The status of one GET, or 0 when nothing answers yet. */
function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Resident set size from /proc (Linux), in MB; NaN elsewhere. */
function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? round(Number(kb) / 1024, 1) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Spawns, times spawn → first 200 on /readyz, waits IDLE_MS, reads the RSS, stops the process. */
async function measureStart(group: ProcessGroup, name: string, script: string, args: string[], env: Record<string, string>, readyUrl: string): Promise<StartFigures> {
  const started = process.hrtime.bigint();
  const proc: ManagedProcess = group.spawnNode(name, script, args, env);
  try {
    for (;;) {
      if (proc.exitInfo) throw new Error(`${name} exited before it was ready; last output:\n${proc.recent.last(15).join('\n')}`);
      if ((await status(readyUrl)) === 200) break;
      if (Number(process.hrtime.bigint() - started) / 1e6 > READY_TIMEOUT_MS) throw new Error(`${name} was not ready after ${READY_TIMEOUT_MS / 1000} s; last output:\n${proc.recent.last(15).join('\n')}`);
      await sleep(POLL_MS);
    }
    const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
    await sleep(IDLE_MS);
    if (proc.exitInfo) throw new Error(`${name} exited while idle; last output:\n${proc.recent.last(15).join('\n')}`);
    return { readyMs, rssMb: rssMb(proc.pid) };
  } finally {
    await group.stop([proc]);
  }
}

async function repeat(what: string, run: () => Promise<StartFigures>): Promise<{ median: StartFigures; all: StartFigures[] }> {
  const all: StartFigures[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await run());
  const m = { readyMs: median(all.map((f) => f.readyMs)), rssMb: median(all.map((f) => f.rssMb)) };
  log(`${what}: ready ${all.map((f) => round(f.readyMs)).join(' / ')} ms, idle RSS ${all.map((f) => f.rssMb).join(' / ')} MB`);
  return { median: m, all };
}

export default async function startup(): Promise<BenchResult[]> {
  const tag = randomTag();
  const natsPrefix = `bench${tag}.`;
  const group = new ProcessGroup();
  let db: BenchDatabase | undefined;
  try {
    db = await createDatabase(`steward_bench_${tag}`);
    log(`database ${db.name}, NATS prefix ${natsPrefix}; services: ${SERVICES.map((s) => s.name).join(', ')}`);
    const opsPorts: Record<string, number> = {};
    for (const s of SERVICES) opsPorts[s.name] = await freePort();
    const ctx: StackContext = {
      databaseUrl: db.url,
      natsUrl: NATS_URL,
      logLevel: 'warn',
      jwtSecret: randomBytes(32).toString('hex'),
      operatorToken: randomBytes(24).toString('hex'),
      gateway: { host: '127.0.0.1', port: await freePort() },
      opsPorts,
      natsPrefix,
      userConfiguredOtel: false,
    };
    try {
      await runMigrations(
        SERVICES.filter((s) => s.migrations),
        { rootDir: ROOT_DIR, env: childEnv(commonServiceEnv(ctx)), onStart: (proc) => group.procs.push(proc) },
      );
    } catch (err) {
      if (err instanceof MigrationError) throw new Error(`${err.message}; last output:\n${err.lastLines.map((l) => `    ${l}`).join('\n')}`);
      throw err;
    }

    const basePort = await freePort();
    const bare = await repeat('bare node', () => measureStart(group, 'bare-node', '-e', [BARE_SERVER], childEnv({ PORT: String(basePort) }), `http://127.0.0.1:${basePort}/readyz`));
    const baselineReady: Figure = { unit: 'ms', value: round(bare.median.readyMs), detail: { runs: bare.all.map((f) => round(f.readyMs)).join(' / ') } };
    const baselineRss: Figure = { unit: 'MB', value: bare.median.rssMb, detail: { runs: bare.all.map((f) => f.rssMb).join(' / ') } };

    const results: BenchResult[] = [];
    for (const spec of SERVICES) {
      const env = childEnv({ ...commonServiceEnv(ctx), ...serviceEnv(spec, ctx) });
      const s = await repeat(spec.name, () => measureStart(group, spec.name, mainEntrypoint(ROOT_DIR, spec.name), [], env, `${opsUrl(spec, ctx)}/readyz`));
      const ready: Figure = { unit: 'ms', value: round(s.median.readyMs), detail: { runs: s.all.map((f) => round(f.readyMs)).join(' / ') } };
      const rss: Figure = { unit: 'MB', value: s.median.rssMb, detail: { runs: s.all.map((f) => f.rssMb).join(' / ') } };
      const how = `median of ${RUNS} starts, each alone on a migrated database, with the stack's environment (OTEL_TRACES_EXPORTER=none, LOG_LEVEL=warn)`;
      results.push(
        {
          name: `startup: ${spec.name} ready (spawn → first 200 on /readyz)`,
          platform: ready,
          baseline: baselineReady,
          ratio: ratioOf(ready, baselineReady, false),
          target: `ready < ${TARGET_READY_MS / 1000} s`,
          notes: [
            ready.value < TARGET_READY_MS ? `target met: ${spec.name} ready in ${ready.value} ms` : `TARGET MISSED: ${spec.name} ready in ${ready.value} ms (target < ${TARGET_READY_MS} ms)`,
            `${how}; includes connecting to PostgreSQL and NATS${spec.opsPort !== undefined ? ', its JetStream stream and consumers' : ''}; baseline = bare node -e with an http server answering /readyz`,
          ].join('; '),
        },
        {
          name: `startup: ${spec.name} idle RSS`,
          platform: rss,
          baseline: baselineRss,
          ratio: ratioOf(rss, baselineRss, false),
          target: `RSS < ${TARGET_RSS_MB} MB`,
          notes: [
            rss.value < TARGET_RSS_MB ? `target met: ${spec.name} at ${rss.value} MB` : `TARGET MISSED: ${spec.name} at ${rss.value} MB (target < ${TARGET_RSS_MB} MB)`,
            `VmRSS from /proc/<pid>/status ${IDLE_MS / 1000} s after /readyz first answered 200; ${how}`,
          ].join('; '),
        },
      );
    }
    return results;
  } finally {
    await group.stop().catch((err: unknown) => console.error(`  startup: stopping processes: ${String(err)}`));
    await deleteStreams(natsPrefix).catch((err: unknown) => console.error(`  startup: deleting JetStream streams: ${String(err)}`));
    await db?.drop().catch((err: unknown) => console.error(`  startup: dropping ${db?.name}: ${String(err)}`));
  }
}
