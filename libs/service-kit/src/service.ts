import 'reflect-metadata';
import type { Server } from 'node:http';
import { DynamicModule, Global, INestApplicationContext, Module, Provider, Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import type { EventSubject, RequestSubject } from '@steward/contracts';
import { connectNats, ContextSigner, ensureStream, EventConsumer, EventReplay, streamName, EventHandlerFn, inboxPrefixFor, JetStreamPublisher, NatsAuth, normalisePrefix, Outbox, OutboxRelay, RpcClient, RpcHandlerFn, RpcServer } from '@steward/messaging';
import { createDataSource, poolStats, runMigrations, UnitOfWork, useCursorKey } from '@steward/persistence';
import { createLogger, enableDefaultMetrics, logger, Metrics, NestPinoLogger, observeDbPool, ReadinessCheck, startOpsServer } from '@steward/telemetry';
import type { DataSource } from 'typeorm';
import { Env, loadServiceConfig, readMigrationUrl, ServiceConfig } from './config';
import { ConsumeOptions, HandlerRegistry, NATS_HANDLERS_KEY, NatsAdapters } from './handlers';
import { BackgroundSetUp } from './background';
import { keyedHandler } from './keyed';
import { JobQueue, JobRunner } from './jobs';
import { Clock, CLOCK, EVENT_REPLAY, JOBS, OUTBOX, RPC_CLIENT, SERVICE_CONFIG, systemClock, UNIT_OF_WORK } from './tokens';

/** Everything that makes one NATS service, declared once in `apps/<service>/src/service.ts`. */
export interface ServiceDeclaration<App> {
  /** Lower-case name: schema, roles, queue group, stream and log `service` field. */
  name: string;
  /** Feature modules; every provider marked `@NatsHandlers()` in them is registered. */
  modules: Type[];
  /** The service's migrations, in order. Never edit one that has landed. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** The service's own settings: a zod schema over the environment mapping it to a typed object. */
  settings?: z.ZodType<App, unknown>;
  /** TypeORM entities, where a feature uses them (see docs/adr/0005-persistence.md). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  /** Default OPS_PORT (9101 unless set). */
  opsPort?: number;
}

export interface StartOptions {
  /** Serve /healthz, /readyz and /metrics (default true; in-process tests turn it off). */
  ops?: boolean;
  /** Run the outbox relay (default true). */
  relay?: boolean;
  /** The time source (default: the system clock). */
  clock?: Clock;
  /** Check every reply against its response schema (tests). */
  checkResponses?: boolean;
  /** Run the durable job runner (default true; a test may start a replica that only serves requests). */
  jobs?: boolean;
}

export interface ServiceRuntime<App = unknown> {
  config: ServiceConfig<App>;
  app: INestApplicationContext;
  dataSource: DataSource;
  nats: NatsConnection;
  relay: OutboxRelay;
  uow: UnitOfWork;
  /** The durable job runner (docs/adr/0014-durable-jobs.md). */
  jobs: JobRunner;
  ops?: Server;
  /**
   * Resolves once the event stream and every consumer are set up. The service serves
   * requests before that: when JetStream has no quorum they are retried in the background.
   */
  ready: Promise<void>;
  /** Stops in order: new requests, consumers, jobs (handed back to the queue), features, relay (after draining), NATS, database, ops. */
  close(): Promise<void>;
}

export interface ServiceDefinition<App> {
  readonly name: string;
  readonly declaration: ServiceDeclaration<App>;
  /** Reads the configuration from the environment (`process.env` by default). */
  loadConfig(env?: Env): ServiceConfig<App>;
  /** Starts the service with a configuration (main.ts passes `loadConfig()`; tests pass their own). */
  start(config?: ServiceConfig<App>, options?: StartOptions): Promise<ServiceRuntime<App>>;
  /** Runs pending migrations against `url` (the pre-upgrade step). */
  migrate(url?: string): Promise<{ applied: string[] }>;
}

export interface PlatformConnection {
  dataSource: DataSource;
  nats: NatsConnection;
  /** Database and NATS answer: what /readyz checks. */
  readiness: Record<string, ReadinessCheck>;
}

/**
 * What every Steward process opens first, the gateway included: its JSON logger and
 * default metrics, a DataSource on its own schema as its runtime role, and NATS.
 */
export async function connectPlatform(
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  o: { logLevel: string; databaseUrl: string; dbRole: string | null; dbPoolMax: number; dbPreparedStatements: boolean; natsUrl: string; natsAuth?: NatsAuth; entities?: Function[] },
): Promise<PlatformConnection> {
  createLogger(name, o.logLevel);
  enableDefaultMetrics(name);
  const dataSource = createDataSource({ url: o.databaseUrl, schema: name, role: o.dbRole, entities: o.entities, poolMax: o.dbPoolMax, preparedStatements: o.dbPreparedStatements });
  await dataSource.initialize();
  observeDbPool('app', () => poolStats(dataSource));
  const nats = await connectNats({ url: o.natsUrl, name: `steward-${name}`, auth: o.natsAuth, inboxPrefix: inboxPrefixFor(name) });
  const readiness: Record<string, ReadinessCheck> = {
    database: async () => void (await dataSource.query('SELECT 1')),
    nats: async () => {
      if (nats.isClosed()) throw new Error('NATS connection closed');
      await nats.flush();
    },
  };
  return { dataSource, nats, readiness };
}

/** Declares a NATS service. `apps/<name>/src/service.ts` exports the result; main.ts and migrate.ts run it. */
export function declareService<App = undefined>(declaration: ServiceDeclaration<App>): ServiceDefinition<App> {
  const def: ServiceDefinition<App> = {
    name: declaration.name,
    declaration,
    loadConfig: (env) => loadServiceConfig(declaration.name, declaration.settings, env, declaration.opsPort),
    start: (config, options) => startService(def, config ?? def.loadConfig(), options),
    migrate: (url) => runMigrations({ url: url ?? readMigrationUrl(), service: declaration.name, schema: declaration.name, migrations: declaration.migrations }),
  };
  return def;
}

interface PlatformDeps {
  config: ServiceConfig<unknown>;
  uow: UnitOfWork;
  outbox: Outbox;
  clock: Clock;
  jobs: JobQueue;
  rpc: RpcClient;
  replay: EventReplay;
}

/** The platform's providers, global to every feature module of the service. */
@Global()
@Module({})
class PlatformModule {
  static with(deps: PlatformDeps): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: deps.config },
      { provide: UNIT_OF_WORK, useValue: deps.uow },
      { provide: OUTBOX, useValue: deps.outbox },
      { provide: CLOCK, useValue: deps.clock },
      { provide: JOBS, useValue: deps.jobs },
      { provide: RPC_CLIENT, useValue: deps.rpc },
      { provide: EVENT_REPLAY, useValue: deps.replay },
    ];
    return { module: PlatformModule, imports: [DiscoveryModule], providers, exports: [SERVICE_CONFIG, UNIT_OF_WORK, OUTBOX, CLOCK, JOBS, RPC_CLIENT, EVENT_REPLAY] };
  }
}

@Module({})
class ServiceModule {
  static with(features: Type[], deps: PlatformDeps): DynamicModule {
    return { module: ServiceModule, imports: [PlatformModule.with(deps), ...features] };
  }
}

interface ConsumerSpec {
  subject: EventSubject;
  name: string;
  handler: EventHandlerFn<EventSubject>;
  options: ConsumeOptions;
}

/** Finds every `@NatsHandlers()` provider and lets it register its subjects. */
function registerAdapters(app: INestApplicationContext, rpc: RpcServer, schema: string, jobs: JobRunner): ConsumerSpec[] {
  const consumers: ConsumerSpec[] = [];
  const registry: HandlerRegistry = {
    handle: <S extends RequestSubject>(subject: S, handler: RpcHandlerFn<S>) => rpc.handle(subject, keyedHandler(schema, handler)),
    consume: <S extends EventSubject>(subject: S, name: string, handler: EventHandlerFn<S>, options: ConsumeOptions = {}) => {
      if (consumers.some((c) => c.name === name)) throw new Error(`two event consumers are named ${name}`);
      consumers.push({ subject, name, handler: handler as unknown as EventHandlerFn<EventSubject>, options });
    },
    job: (def, handler) => jobs.register(def, handler),
  };
  const wrappers = app.get(DiscoveryService).getProviders({ metadataKey: NATS_HANDLERS_KEY });
  for (const w of wrappers) {
    const adapters = w.instance as Partial<NatsAdapters> | undefined;
    if (typeof adapters?.register !== 'function') throw new Error(`${w.name} is marked @NatsHandlers() but has no register(registry) method`);
    adapters.register(registry);
  }
  return consumers;
}

/**
 * Starts one NATS service: logger and metrics, its DataSources (runtime and relay roles),
 * NATS and its JetStream stream, the outbox and relay, the feature modules, every
 * `@NatsHandlers()` adapter on the RPC server and the event consumers, and the ops server.
 */
export async function startService<App>(def: ServiceDefinition<App>, config: ServiceConfig<App>, options: StartOptions = {}): Promise<ServiceRuntime<App>> {
  const { name, declaration } = def;
  const { dataSource, nats, readiness } = await connectPlatform(name, { ...config, dbRole: config.dbRoles.app, entities: declaration.entities });
  const prefix = normalisePrefix(config.natsPrefix);
  const relaySource = createDataSource({
    url: config.databaseUrl,
    schema: name,
    role: config.dbRoles.relay,
    poolMax: 2,
    applicationName: `steward-${name}-relay`,
    preparedStatements: config.dbPreparedStatements,
  });
  await relaySource.initialize();
  observeDbPool('relay', () => poolStats(relaySource));
  // The series dashboards and alerts query exist from the start (zero until something happens).
  for (const metric of [Metrics.rpcServerDuration, Metrics.outboxPending, Metrics.outboxLag, Metrics.outboxPublishing, Metrics.outboxPublished, Metrics.outboxPublishFailures, Metrics.consumerHandled, Metrics.consumerRedeliveries]) metric();
  // No API check: a JetStream without quorum must not stop the service from starting.
  const jsm = await nats.jetstreamManager({ checkAPI: false });
  const stream = { replicas: config.streamReplicas };
  // A JetStream without quorum (a cluster losing its leader) must not stop the service from
  // serving requests: the stream is set up in the background, retried with back-off.
  const background = new BackgroundSetUp();
  const streamReady = background.retry(`the ${name} event stream`, () => ensureStream(jsm, prefix, name, stream));

  const uow = new UnitOfWork(dataSource, config.dbRoles.partner);
  const outbox = new Outbox(name);
  // Signs what the service sends (its events here) and verifies what it receives (requests, events).
  const context = new ContextSigner(config.contextKeys, { maxAgeMs: config.contextMaxAgeMs });
  const relay = new OutboxRelay(relaySource, new JetStreamPublisher(nats, { inboxPrefix: inboxPrefixFor(name) }), { schema: name, prefix, context, ensureStream: () => ensureStream(jsm, prefix, name, stream),
    streamCreated: async () => (await jsm.streams.info(streamName(prefix, name))).created,
  });
  outbox.onWrite(relay.nudge);
  if (options.relay !== false) relay.start();

  // Cursors are signed: one key on every replica (STEWARD_CURSOR_KEY).
  if (!useCursorKey(config.cursorKey)) logger().warn('STEWARD_CURSOR_KEY is not set: list cursors are signed with a random key and stop working after a restart or on another replica');
  const jobQueue = new JobQueue(name);
  const jobs = new JobRunner(uow, name, config.jobs);
  jobQueue.onEnqueue(jobs.nudge);
  // Requests to other services are signed like the gateway's.
  const deps: PlatformDeps = {
    config,
    uow,
    outbox,
    clock: options.clock ?? systemClock,
    jobs: jobQueue,
    rpc: new RpcClient(nats, prefix, 5000, context),
    replay: new EventReplay(nats.jetstream(), prefix, context),
  };
  const app = await NestFactory.createApplicationContext(ServiceModule.with(declaration.modules, deps), { logger: new NestPinoLogger(), abortOnError: false });
  const rpc = new RpcServer(nats, prefix, name, { checkResponses: options.checkResponses ?? config.checkResponses, context });
  const consumers = registerAdapters(app, rpc, name, jobs).map(
    (c) =>
      new EventConsumer(nats.jetstream(), jsm, uow, {
        name: `${name}.${c.name}`,
        subject: c.subject,
        schema: name,
        prefix,
        handler: c.handler,
        maxDeliver: c.options.maxDeliver,
        ackWaitMs: c.options.ackWaitMs,
        context,
        stream,
      }),
  );
  // Consumers need their source's stream: like the stream, they start in the background when JetStream is not ready.
  const consumersReady = Promise.all(consumers.map((c) => background.retry(`the consumer ${c.durableName}`, () => c.start())));
  // The job runner claims across tenants as the relay role, on its own small pool.
  const jobSource =
    jobs.kinds.length && options.jobs !== false ? createDataSource({ url: config.databaseUrl, schema: name, role: config.dbRoles.relay, poolMax: 2, applicationName: `steward-${name}-jobs`, preparedStatements: config.dbPreparedStatements }) : undefined;
  if (jobSource) {
    await jobSource.initialize();
    observeDbPool('jobs', () => poolStats(jobSource));
    jobs.start(jobSource);
  }

  const ops = options.ops === false ? undefined : await startOpsServer(config.opsPort, readiness, config.opsHost, { publishing: () => relay.health() });
  logger().info({ prefix, opsPort: config.opsPort, subjects: rpc.subjects.length, consumers: consumers.length }, `${name} service started`);

  let closing: Promise<void> | undefined;
  return {
    config,
    app,
    dataSource,
    nats,
    relay,
    uow,
    jobs,
    ops,
    ready: Promise.all([streamReady, consumersReady]).then(() => undefined),
    close: () =>
      (closing ??= (async () => {
        background.stop();
        await rpc.close();
        await Promise.all(consumers.map((c) => c.stop()));
        await jobs.stop(); // running jobs stop between steps and go back to the queue
        await app.close(); // features finish scheduled work before the relay drains its events
        await relay.stop();
        await relay.drain().catch(() => 0);
        await nats.drain().catch(() => undefined);
        await Promise.all([dataSource.destroy(), relaySource.destroy(), jobSource?.destroy()]);
        await new Promise<void>((r) => (ops ? ops.close(() => r()) : r()));
      })()),
  };
}
