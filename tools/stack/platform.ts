/**
 * Starts the built platform as processes, the one way: migrations of every service first,
 * then every service (NATS services, then the gateway) as its own Node process, each
 * waited for on /readyz. Used by `npm start` (start.ts), the end-to-end tests (apps/e2e)
 * and the benchmarks, so all three run the services exactly as they ship.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from './net';
import { MigrationError, missingEntrypoints, runMigrations } from './migrations';
import { spawnManaged, stopAll, waitForReady, type ManagedProcess } from './processes';
import { commonServiceEnv, mainEntrypoint, natsServices, opsUrl, SERVICES, serviceEnv, type ServiceSpec, type StackContext } from './services';

export interface PlatformOptions {
  rootDir: string;
  ctx: StackContext;
  /** Environment every process starts from (the stack's own variables go on top). */
  baseEnv: Record<string, string>;
  /** Extra variables per service name (e.g. settings under test), on top of everything else. */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Node flags for every service process (e.g. `--cpu-prof`). */
  execArgv?: string[];
  /** The services to run (default: all of SERVICES). */
  services?: readonly ServiceSpec[];
  readyTimeoutMs?: number;
  /** Every output line of every process (migrations are named `<service>:migrate`). */
  onLine?: (process: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Told about each process as it starts, so a caller can stop or watch it. */
  onSpawn?: (proc: ManagedProcess) => void;
  /** Stop the started services when one is not ready in time (default true; the launcher stops them itself). */
  stopOnFailure?: boolean;
}

export interface RunningPlatform {
  gatewayUrl: string;
  ctx: StackContext;
  procs: Record<string, ManagedProcess>;
  /** SIGTERM every service by PID, SIGKILL after `graceMs`. Returns the names that had to be killed. */
  stop(graceMs?: number): Promise<string[]>;
}

/** A context with free ports for the gateway and every NATS service (tests run stacks side by side). */
export async function freePortsContext(base: Omit<StackContext, 'gateway' | 'opsPorts'>, services: readonly ServiceSpec[] = SERVICES): Promise<StackContext> {
  const opsPorts: Record<string, number> = {};
  for (const s of natsServices(services)) opsPorts[s.name] = await freePort();
  return { ...base, gateway: { host: '127.0.0.1', port: await freePort(), opsPort: await freePort() }, opsPorts };
}

export async function startPlatform(o: PlatformOptions): Promise<RunningPlatform> {
  const services = o.services ?? SERVICES;
  // Every process signs and verifies with one context key; a caller that brings none gets one for this run.
  o = { ...o, ctx: { ...o.ctx, contextKey: o.ctx.contextKey ?? randomBytes(32).toString('base64url'), cursorKey: o.ctx.cursorKey ?? randomBytes(32).toString('base64url') } };
  const missing = missingEntrypoints(o.rootDir, services.map((s) => mainEntrypoint(o.rootDir, s.name)));
  if (missing.length > 0) throw new Error(`missing service entrypoint(s): ${missing.join(', ')}. Run \`npm run build\` (npm start does); do the apps exist yet?`);
  const env = (spec?: ServiceSpec) => ({ ...o.baseEnv, ...commonServiceEnv(o.ctx), ...(spec ? serviceEnv(spec, o.ctx) : {}), ...(spec ? o.serviceEnv?.[spec.name] : {}) });

  await runMigrations(
    services.filter((s) => s.migrations),
    { rootDir: o.rootDir, env: env(), onLine: (svc, line) => o.onLine?.(svc, line, 'stdout'), onStart: (proc) => o.onSpawn?.(proc) },
  );

  const procs: Record<string, ManagedProcess> = {};
  for (const spec of services) {
    const proc = spawnManaged(spec.name, process.execPath, [...(o.execArgv ?? []), mainEntrypoint(o.rootDir, spec.name)], {
      cwd: o.rootDir,
      env: env(spec),
      onLine: (line, stream) => o.onLine?.(spec.name, line, stream),
    });
    procs[spec.name] = proc;
    o.onSpawn?.(proc);
  }
  const stop = (graceMs = 10_000) => stopAll(Object.values(procs), graceMs);
  try {
    await Promise.all(services.map((spec) => waitForReady(procs[spec.name]!, `${opsUrl(spec, o.ctx)}/readyz`, o.readyTimeoutMs ?? 60_000, 100)));
  } catch (err) {
    if (o.stopOnFailure !== false) await stop(2_000);
    throw err;
  }
  return { gatewayUrl: `http://${o.ctx.gateway.host}:${o.ctx.gateway.port}`, ctx: o.ctx, procs, stop };
}

export { MigrationError };
