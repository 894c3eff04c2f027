/**
 * `npm start`: the whole platform on one machine, no Docker.
 * PostgreSQL and NATS are found or started (see postgres.ts, nats.ts), migrations
 * run, every service starts as its own process, the demo tenant is seeded through
 * the gateway, and the URLs are printed. Ctrl-C stops everything it started.
 *
 * This file talks to the apps only by spawning their built entrypoints and over HTTP.
 */
import path from 'node:path';
import { normalisePrefix } from '@steward/messaging';
import { loadStackConfig, type StackConfig } from './config';
import { formatLogLine, stackLine } from './log-format';
import { MigrationError } from './migrations';
import { NatsNotFoundError, resolveNats, type NatsHandle } from './nats';
import { tcpProbe } from './net';
import { resolvePostgres, type PostgresHandle } from './postgres';
import { freePort } from './net';
import { startPlatform } from './platform';
import { describeExit, ReadinessError, stopAll, type ManagedProcess } from './processes';
import { resolveContextKey, resolveCursorKey, resolveJwtSecret, resolveOperatorToken, type Resolved } from './secrets';
import { seedDemoTenant } from './seed';
import { natsServices, opsUrl, SERVICES, type StackContext } from './services';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

class Launcher {
  private postgres?: PostgresHandle;
  private nats?: NatsHandle;
  private readonly children: ManagedProcess[] = [];
  private stopping?: Promise<never>;
  private readonly nameWidth: number;

  constructor(private readonly config: StackConfig) {
    this.nameWidth = Math.max('stack'.length, ...SERVICES.map((s) => `${s.name}:migrate`.length));
  }

  say(msg: string): void {
    console.log(stackLine(msg, { color: this.config.color, nameWidth: this.nameWidth }));
  }

  shout(msg: string): void {
    console.error(stackLine(msg, { color: this.config.color, nameWidth: this.nameWidth, error: true }));
  }

  private printLine(service: string, line: string): void {
    const index = SERVICES.findIndex((s) => service === s.name || service.startsWith(`${s.name}:`));
    console.log(formatLogLine(service, line, { color: this.config.color, nameWidth: this.nameWidth, index: Math.max(index, 0) }));
  }

  /** A service's last output lines, formatted like its live log (no colour). */
  private lastLines(service: string, lines: readonly string[]): string {
    if (lines.length === 0) return '  (no output)';
    return lines.map((l) => `  ${formatLogLine(service, l, { color: false, nameWidth: service.length })}`).join('\n');
  }

  async run(): Promise<void> {
    const { config } = this;
    const svcNames = SERVICES.map((s) => s.name).join(', ');
    this.say(`starting Steward locally (${svcNames})`);

    this.postgres = await resolvePostgres({
      databaseUrl: config.databaseUrl,
      localUrl: config.localPostgresUrl,
      databaseName: config.databaseName,
      embedded: { dataDir: path.join(config.stateDir, 'postgres'), port: config.embeddedPostgresPort },
      log: (m) => this.say(m),
    });
    this.say(`PostgreSQL: ${this.postgres.description}`);

    this.nats = await resolveNats({
      natsUrl: config.natsUrl,
      host: config.localNats.host,
      port: config.localNats.port,
      storeDir: path.join(config.stateDir, 'nats'),
      searchPath: config.searchPath,
      log: (m) => this.say(m),
      // A server the launcher starts gets one user per service with least-privilege permissions.
      auth: { prefix: normalisePrefix(config.natsPrefix) },
    });
    if (this.nats.process) this.watchCrash(this.nats.process);
    this.say(`NATS: ${this.nats.description}`);

    const jwt = resolveJwtSecret(path.join(config.stateDir, 'secrets.json'), config.jwtSecret);
    const operator = resolveOperatorToken(config.operatorToken);
    const contextKey = resolveContextKey(path.join(config.stateDir, 'secrets.json'), config.contextKey);
    const cursorKey = resolveCursorKey(path.join(config.stateDir, 'secrets.json'), config.cursorKey);
    const where = (r: Resolved, variable: string) => (r.source === 'env' ? `from ${variable}` : `${r.source === 'generated' ? 'generated into' : 'read from'} ${path.join(config.stateDir, 'secrets.json')}`);
    this.say(`JWT secret: ${where(jwt, 'STEWARD_JWT_SECRET')}; context signing key: ${where(contextKey, 'STEWARD_CONTEXT_KEY')}`);

    const ctx: StackContext = {
      databaseUrl: this.postgres.url,
      natsUrl: this.nats.url,
      logLevel: config.logLevel,
      jwtSecret: jwt.value,
      operatorToken: operator.value,
      gateway: config.freeOpsPorts ? { ...config.gateway, opsPort: await freePort() } : config.gateway,
      opsPorts: config.freeOpsPorts ? Object.fromEntries(await Promise.all(natsServices().map(async (s) => [s.name, await freePort()] as const))) : config.opsPorts,
      natsPrefix: config.natsPrefix,
      userConfiguredOtel: config.userConfiguredOtel,
      contextKey: contextKey.value,
      cursorKey: cursorKey.value,
      natsCredentials: this.nats.credentials,
    };

    await this.checkPortsFree(ctx);

    this.say(`running migrations (${SERVICES.filter((s) => s.migrations).map((s) => s.name).join(', ')}), then starting ${svcNames}; ready within ${READY_TIMEOUT_MS / 1000} s`);
    await startPlatform({
      rootDir: config.rootDir,
      ctx,
      baseEnv: config.inheritedEnv,
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopOnFailure: false,
      onLine: (name, line) => this.printLine(name, line),
      onSpawn: (proc) => {
        this.children.push(proc);
        // Migrations exit on their own; a service that exits while the stack is up takes it down.
        if (!proc.name.endsWith(':migrate')) this.watchCrash(proc);
      },
    });

    const gatewayUrl = `http://${config.gateway.host}:${config.gateway.port}`;
    this.say('seeding the demo tenant through the gateway');
    const seeded = await seedDemoTenant(gatewayUrl, operator.value, config.demoPassword, { log: (m) => this.say(m) });
    this.say(seeded.created ? `demo tenant created (${seeded.email})` : `demo tenant already there (${seeded.email} can log in)`);
    if (this.stopping) return;
    this.printSummary(gatewayUrl, ctx, seeded.email, operator);
  }

  private async checkPortsFree(ctx: StackContext): Promise<void> {
    for (const spec of SERVICES) {
      const port = Number(new URL(opsUrl(spec, ctx)).port);
      if (await tcpProbe('127.0.0.1', port, 500)) {
        throw new Error(`port ${port} is already in use (another Steward still running?). Stop it first, or readiness checks would hit the wrong process.`);
      }
    }
  }

  /** A child that exits while the stack is up takes the stack down (exit 1). */
  private watchCrash(proc: ManagedProcess): void {
    void proc.exited.then(() => {
      if (this.stopping) return;
      const info = proc.exitInfo ?? { code: null, signal: null };
      this.shout(`${proc.name} (pid ${proc.pid}) stopped unexpectedly (${describeExit(info)}). Its last output:\n${this.lastLines(proc.name, proc.recent.last(15))}`);
      this.shout('stopping the rest of the stack');
      void this.shutdown(1);
    });
  }

  private printSummary(gatewayUrl: string, ctx: StackContext, email: string, operator: Resolved): void {
    const metrics = SERVICES.map((s) => `${s.name} ${opsUrl(s, ctx)}/metrics`);
    const rows: [string, string][] = [
      ['Portal', `${gatewayUrl}/`],
      ['API', `${gatewayUrl}/v1`],
      ['API docs', `${gatewayUrl}/docs`],
      ['OpenAPI', `${gatewayUrl}/openapi.json`],
      ['Demo login', `${email} / ${this.config.demoPassword}  (tenant "demo")`],
      ['Operator token', operator.source === 'env' ? '(from STEWARD_OPERATOR_TOKEN)' : `${operator.value}  (generated for this run; set STEWARD_OPERATOR_TOKEN to keep one)`],
      ['Metrics', metrics.join('\n                  ')],
      ['PostgreSQL', this.postgres?.description ?? ''],
      ['NATS', this.nats?.description ?? ''],
    ];
    const text = [
      '',
      'Steward is up.',
      ...rows.map(([k, v]) => `  ${k.padEnd(15)} ${v}`),
      '',
      `Stop with Ctrl-C (or: kill -TERM ${process.pid}).`,
      '',
    ].join('\n');
    console.log(this.config.color ? `\u001b[1m${text}\u001b[0m` : text);
  }

  /** Stops services (SIGTERM, 10 s, SIGKILL), then NATS and PostgreSQL if started here, then exits. */
  shutdown(code: number): Promise<never> {
    this.stopping ??= (async () => {
      const running = this.children.filter((c) => !c.exitInfo);
      if (running.length > 0) this.say(`stopping ${running.map((c) => `${c.name} (pid ${c.pid})`).join(', ')}`);
      const killed = await stopAll(this.children, STOP_GRACE_MS);
      if (killed.length > 0) this.shout(`${killed.join(', ')} did not stop within ${STOP_GRACE_MS / 1000} s: killed`);
      try {
        await this.nats?.stop();
      } catch (err) {
        this.shout(`stopping NATS: ${String(err)}`);
      }
      try {
        await this.postgres?.stop();
      } catch (err) {
        this.shout(`stopping PostgreSQL: ${String(err)}`);
      }
      this.say(code === 0 ? 'stopped' : 'stopped after an error');
      process.exit(code);
    })();
    return this.stopping;
  }

  onSignal(signal: NodeJS.Signals): void {
    if (this.stopping) {
      this.shout(`${signal} again: killing everything now`);
      for (const c of this.children) if (!c.exitInfo) process.kill(c.pid, 'SIGKILL');
      process.exit(130);
    }
    this.say(`${signal} received`);
    void this.shutdown(0);
  }

  fail(err: unknown): void {
    if (this.stopping) return;
    if (err instanceof MigrationError) {
      this.shout(`${err.message}. Last output:\n${this.lastLines(err.service, err.lastLines)}`);
    } else if (err instanceof ReadinessError) {
      const name = err.message.split(' ')[0];
      const proc = this.children.find((c) => c.name === name);
      this.shout(`${err.message}. Last output of ${name}:\n${this.lastLines(name, proc?.recent.last(15) ?? [])}`);
    } else if (err instanceof NatsNotFoundError) {
      this.shout(err.message);
    } else {
      this.shout(err instanceof Error ? err.message : String(err));
    }
    void this.shutdown(1);
  }
}

function main(): void {
  let config: StackConfig;
  try {
    config = loadStackConfig(process.env, { isTTY: process.stdout.isTTY });
  } catch (err) {
    console.error(`stack | ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const launcher = new Launcher(config);
  process.on('SIGINT', () => launcher.onSignal('SIGINT'));
  process.on('SIGTERM', () => launcher.onSignal('SIGTERM'));
  launcher.run().catch((err: unknown) => launcher.fail(err));
}

main();
