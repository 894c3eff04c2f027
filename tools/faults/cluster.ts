/**
 * The platform under test for the fault suite: its own PostgreSQL and NATS (one node or a
 * 3-node cluster), the built services started as `npm start` starts them, and the means to
 * kill, pause, stop and restart any of them, or add a second replica.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { findRepoRoot } from '../stack/config';
import { freePort } from '../stack/net';
import { freePortsContext, startPlatform, type RunningPlatform } from '../stack/platform';
import { spawnManaged, stopAll, waitForReady, type ManagedProcess } from '../stack/processes';
import { commonServiceEnv, mainEntrypoint, opsUrl, SERVICES, serviceEnv, type ServiceSpec, type StackContext } from '../stack/services';
import { NatsNodes, Postgres, scratchDir } from './infra';

export const RPC_TIMEOUT_MS = 1_500;

export interface FaultPlatformOptions {
  natsNodes: 1 | 3;
  /** Two replicas of accounts and of the gateway (the cluster scenario). */
  replicas?: 1 | 2;
  log?: (msg: string) => void;
}

export class FaultPlatform {
  readonly root = findRepoRoot(__dirname);
  readonly procs = new Map<string, ManagedProcess>();
  readonly gateways: string[] = [];
  /** Log lines of the outbox relay and of background set-up, per process (a relay that cannot publish must not flood the log). */
  readonly relayLogLines = new Map<string, number>();
  private countLine = (name: string, line: string) => {
    if (/outbox relay|cannot set up|set up again/.test(line)) this.relayLogLines.set(name, (this.relayLogLines.get(name) ?? 0) + 1);
  };
  private platform?: RunningPlatform;
  private baseEnv: Record<string, string> = {};
  private extra: Record<string, Record<string, string>> = {};

  private constructor(
    readonly dir: string,
    readonly pg: Postgres,
    readonly nats: NatsNodes,
    readonly ctx: StackContext,
  ) {}

  static async start(o: FaultPlatformOptions): Promise<FaultPlatform> {
    const dir = scratchDir('run');
    const [pg, nats] = await Promise.all([Postgres.start(dir), NatsNodes.start(dir, o.natsNodes)]);
    const ctx = await freePortsContext({
      databaseUrl: pg.url,
      natsUrl: nats.url,
      logLevel: 'warn',
      jwtSecret: randomBytes(32).toString('hex'),
      operatorToken: randomBytes(16).toString('hex'),
      natsPrefix: '',
      userConfiguredOtel: false,
    });
    const p = new FaultPlatform(dir, pg, nats, ctx);
    p.baseEnv = { PATH: process.env.PATH ?? '', STEWARD_STREAM_REPLICAS: String(o.natsNodes), DB_POOL_MAX: '10' };
    p.extra = { accounts: { PASSWORD_HASH_MEMORY_KIB: '1024' }, gateway: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS), RATE_LIMIT_PER_TENANT: '100000000', RATE_LIMIT_PER_API_KEY: '100000000', RATE_LIMIT_ANONYMOUS: '100000000' } };
    p.platform = await startPlatform({
      rootDir: p.root,
      ctx,
      baseEnv: p.baseEnv,
      serviceEnv: p.extra,
      onSpawn: (proc) => !proc.name.endsWith(':migrate') && p.procs.set(proc.name, proc),
      onLine: (name, line) => p.countLine(name, line),
    });
    p.gateways.push(p.platform.gatewayUrl);
    if (o.replicas === 2) {
      await p.spawn('accounts', 'accounts-2', { OPS_PORT: String(await freePort()) });
      const port = await freePort();
      await p.spawn('gateway', 'gateway-2', { PORT: String(port) });
      p.gateways.push(`http://127.0.0.1:${port}`);
    }
    return p;
  }

  private spec(service: string): ServiceSpec {
    return SERVICES.find((s) => s.name === service)!;
  }

  /** The environment `startPlatform` gives a service, with `overrides` on top. */
  private env(service: string, overrides: Record<string, string> = {}): Record<string, string> {
    const ctx = this.platform!.ctx;
    return { ...this.baseEnv, ...commonServiceEnv(ctx), ...serviceEnv(this.spec(service), ctx), ...this.extra[service], ...overrides };
  }

  /** Starts (or starts again) one process of `service` as `name`, waiting for /readyz. */
  async spawn(service: string, name = service, overrides: Record<string, string> = {}): Promise<ManagedProcess> {
    const env = this.env(service, overrides);
    const proc = spawnManaged(name, process.execPath, [mainEntrypoint(this.root, service)], { cwd: this.root, env, onLine: (line) => this.countLine(name, line) });
    this.procs.set(name, proc);
    const url = env.OPS_PORT ? `http://127.0.0.1:${env.OPS_PORT}` : service === 'gateway' ? `http://127.0.0.1:${env.PORT}` : opsUrl(this.spec(service), this.platform!.ctx);
    await waitForReady(proc, `${url}/readyz`, 60_000, 100);
    return proc;
  }

  /** SIGKILL (crash), SIGTERM (graceful stop), SIGSTOP/SIGCONT (a process that hangs). */
  async signal(name: string, sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    const proc = this.procs.get(name);
    if (!proc || proc.exitInfo) return;
    process.kill(proc.pid, sig);
    if (sig === 'SIGKILL' || sig === 'SIGTERM') await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 15_000))]);
  }

  /** The service a process name belongs to (`accounts-2` → `accounts`). */
  serviceOf(name: string): string {
    return name.replace(/-\d+$/, '');
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.pg.url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  async stop(): Promise<void> {
    await stopAll([...this.procs.values()], 5_000);
    await this.nats.stop();
    await this.pg.down();
  }
}
