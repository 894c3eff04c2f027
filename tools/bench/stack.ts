/**
 * Infrastructure of the end-to-end benchmarks: a throw-away database, the built services
 * spawned as separate processes (reusing the local-stack launcher's process handling,
 * without changing it), readiness, and cleanup by PID.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';
import { MigrationError } from '../stack/migrations';
import { freePortsContext, startPlatform as startPlatform_ } from '../stack/platform';
import { spawnManaged, stopAll, waitForReady, type ManagedProcess } from '../stack/processes';
import { SERVICES } from '../stack/services';

/** dist/tools/bench/x.js → repository root. */
export const ROOT_DIR = path.resolve(__dirname, '..', '..', '..');

export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';

export const randomTag = (bytes = 4): string => randomBytes(bytes).toString('hex');

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createDatabase(name: string): Promise<BenchDatabase> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(ADMIN_URL, name),
    async drop() {
      // BENCH_KEEP_DB=1 leaves the database in place to inspect (EXPLAIN, the stored rows).
      if (process.env.BENCH_KEEP_DB === '1') return console.log(`  kept database ${name} (BENCH_KEEP_DB=1)`);
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** One query as the superuser (bench bookkeeping only, never in a measured path). */
export async function adminQuery<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Only what a service needs from the runner's environment, plus `extra`. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

/** Every process a bench starts, so `finally` can stop them all by PID. */
export class ProcessGroup {
  readonly procs: ManagedProcess[] = [];

  spawnNode(name: string, script: string, args: string[], env: Record<string, string>, execArgv: string[] = []): ManagedProcess {
    const proc = spawnManaged(name, process.execPath, [...execArgv, script, ...args], {
      cwd: ROOT_DIR,
      env,
      onLine: (line, stream) => {
        // Services log at warn: anything that reaches us is worth seeing.
        if (stream === 'stderr' || /"level":(4|5|6)0/.test(line)) console.error(`  [${name}] ${line.slice(0, 400)}`);
      },
    });
    this.procs.push(proc);
    return proc;
  }

  async ready(proc: ManagedProcess, url: string, timeoutMs = 60_000): Promise<void> {
    try {
      await waitForReady(proc, url, timeoutMs, 100);
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n  last output of ${proc.name}:\n${proc.recent.last(15).map((l) => `    ${l}`).join('\n')}`);
    }
  }

  /** SIGTERM by PID, then SIGKILL after `graceMs`. */
  async stop(procs: readonly ManagedProcess[] = this.procs, graceMs = 5_000): Promise<void> {
    // stopAll's timers are unref'd: a child that closed its output but lingers would let
    // the runner exit mid-cleanup (database and streams left behind). Hold the loop open.
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      await stopAll(procs, graceMs);
    } finally {
      clearInterval(keepAlive);
    }
  }
}

export interface PlatformEnv {
  databaseUrl: string;
  natsPrefix: string;
  jwtSecret: string;
  operatorToken: string;
}

export interface Platform {
  gatewayUrl: string;
  accounts: ManagedProcess;
  gateway: ManagedProcess;
  /** Every service process (the benches measure the CPU of gateway and accounts). */
  procs: Record<string, ManagedProcess>;
}

/**
 * Every service of the stack, started as `npm start` starts them (tools/stack/platform.ts)
 * on free ports, with bench settings: warn-level logs, no tracing, pool size 10, rate limits
 * out of the way. `extraEnv`/`execArgv` are for experiments (e.g. `--cpu-prof`); `BENCH_CPU_PROF=1` adds
 * `--cpu-prof` to every service, writing a `.cpuprofile` per process to `tmp/prof` when it stops.
 */
export async function startPlatform(group: ProcessGroup, p: PlatformEnv, extraEnv: Record<string, string> = {}, execArgv: string[] = []): Promise<Platform> {
  const ctx = await freePortsContext({ databaseUrl: p.databaseUrl, natsUrl: NATS_URL, logLevel: 'warn', jwtSecret: p.jwtSecret, operatorToken: p.operatorToken, natsPrefix: p.natsPrefix, userConfiguredOtel: false });
  const bench = { DB_POOL_MAX: '10', ...extraEnv };
  const serviceEnv = Object.fromEntries(SERVICES.map((s) => [s.name, s.name === 'gateway' ? { RATE_LIMIT_PER_TENANT: '100000000', RATE_LIMIT_PER_IP: '100000000', ...bench } : bench]));
  try {
    const running = await startPlatform_({
      rootDir: ROOT_DIR,
      ctx,
      baseEnv: childEnv({}),
      serviceEnv,
      execArgv: process.env.BENCH_CPU_PROF ? [...execArgv, '--cpu-prof', `--cpu-prof-dir=${path.join(ROOT_DIR, 'tmp', 'prof')}`] : execArgv,
      onSpawn: (proc) => group.procs.push(proc),
      onLine: (name, line, stream) => {
        // Services log at warn: anything that reaches us is worth seeing.
        if (stream === 'stderr' || /"level":"?(warn|error|fatal|4|5|6)/.test(line)) console.error(`  [${name}] ${line.slice(0, 400)}`);
      },
    });
    return { gatewayUrl: running.gatewayUrl, accounts: running.procs.accounts!, gateway: running.procs.gateway!, procs: running.procs };
  } catch (err) {
    if (err instanceof MigrationError) throw new Error(`${err.message}; last output:\n${err.lastLines.map((l) => `    ${l}`).join('\n')}`);
    throw err;
  }
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, text };
}

/** `STEWARD_<PREFIX>_<SERVICE>` as in libs/messaging/src/streams.ts: deletes this run's streams. */
export async function deleteStreams(natsPrefix: string): Promise<string[]> {
  const stem = `STEWARD_${natsPrefix.replace(/[^A-Za-z0-9]+/g, '_')}`.toUpperCase();
  const nc = await connect({ servers: NATS_URL, name: 'bench-cleanup' });
  const deleted: string[] = [];
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const si of jsm.streams.list()) if (si.config.name.startsWith(stem)) names.push(si.config.name);
    for (const n of names) if (await jsm.streams.delete(n)) deleted.push(n);
  } finally {
    await nc.close();
  }
  return deleted;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
