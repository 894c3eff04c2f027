import { randomBytes, randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import type { Role } from '@steward/contracts';
import { ContextSigner, RpcClient } from '@steward/messaging';
import { serviceRoles } from '@steward/persistence';
import type { Clock, ServiceConfig, ServiceDefinition, ServiceRuntime } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { createTestDatabase, deleteTestStreams, testEnv, testPrefix, TestDatabase } from '@steward/testing';

export interface ServiceHarness<App> {
  db: TestDatabase;
  prefix: string;
  config: ServiceConfig<App>;
  runtime: ServiceRuntime<App>;
  /** A typed NATS client on the service's prefix, signing with the service's context key. */
  client: RpcClient;
  /** The context signer the service and {@link client} share (to sign hand-made messages in tests). */
  context: ContextSigner;
  nats: NatsConnection;
  /** Runs SQL as the service's runtime role, outside any tenant transaction unless the SQL sets one. */
  sqlAsRuntime<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A portal user's request context in a tenant. */
  as(tenantId: string, userId: string, role: Role): RequestContext;
  /** A partner API key's request context in a tenant. */
  asPartner(tenantId: string, partnerId: string, keyId?: string): RequestContext;
  close(): Promise<void>;
}

export interface HarnessOptions<App> {
  /** The service's own settings (what its settings schema would parse from the environment). */
  settings: App;
  clock?: Clock;
  /** Run the outbox relay (default true). */
  relay?: boolean;
  /** Another NATS than the machine's (e.g. one started by the test without JetStream). */
  natsUrl?: string;
  /** Serve /healthz, /readyz and /metrics on a free port (`runtime.ops`). */
  ops?: boolean;
  /** Durable job runner settings (short polls and leases in tests). */
  jobs?: ServiceConfig<App>['jobs'];
}

/**
 * The real service, in-process, on a fresh database (real migrations) and its own NATS
 * prefix, with every reply checked against its response schema.
 */
export async function startServiceHarness<App>(def: ServiceDefinition<App>, label: string, options: HarnessOptions<App>): Promise<ServiceHarness<App>> {
  const db = await createTestDatabase(label);
  await def.migrate(db.url);
  const prefix = testPrefix(label);
  const roles = serviceRoles(def.name);
  // A fresh context key per harness: the service verifies with it, the client signs with it.
  const contextKeys = { current: randomBytes(32).toString('base64url') };
  const config: ServiceConfig<App> = {
    service: def.name,
    databaseUrl: db.url,
    dbRoles: { app: roles.app, relay: roles.relay, partner: roles.partner },
    dbPoolMax: 5,
    dbPreparedStatements: true,
    natsUrl: options.natsUrl ?? testEnv.natsUrl,
    natsPrefix: prefix,
    natsAuth: {},
    contextKeys,
    contextMaxAgeMs: 60_000,
    opsPort: 0,
    opsHost: '127.0.0.1',
    logLevel: 'silent',
    checkResponses: true,
    streamReplicas: 1,
    jobs: options.jobs,
    app: options.settings,
  };
  const runtime = await def.start(config, { ops: options.ops ?? false, clock: options.clock, relay: options.relay, checkResponses: true });
  const nats = await connect({ servers: config.natsUrl });
  const context = new ContextSigner(contextKeys);
  const client = new RpcClient(nats, prefix, 5000, context);
  return {
    db,
    prefix,
    config,
    runtime,
    client,
    context,
    nats,
    as: (tenantId, userId, role) => ({ tenantId, actor: { kind: 'user', id: userId, role }, correlationId: randomUUID() }),
    asPartner: (tenantId, partnerId, keyId = randomUUID()) => ({ tenantId, actor: { kind: 'api-key', id: keyId, partnerId }, correlationId: randomUUID() }),
    async sqlAsRuntime(sql, params) {
      const c = new Client({ connectionString: db.url, options: `-c role=${roles.app}` });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async close() {
      await runtime.close();
      await nats.close();
      await db.drop();
      await deleteTestStreams(prefix, config.natsUrl).catch(() => undefined);
    },
  };
}
