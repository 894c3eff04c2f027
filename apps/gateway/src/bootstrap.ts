import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NatsConnection } from 'nats';
import { ContextSigner, normalisePrefix, RpcClient } from '@steward/messaging';
import { UnitOfWork } from '@steward/persistence';
import { connectPlatform } from '@steward/service-kit';
import { logger, Metrics, NestPinoLogger, outcomeOfStatus, TenantLabels } from '@steward/telemetry';
import type { DataSource } from 'typeorm';
import { GatewayModule } from './app.module';
import { ApiKeyVerifier } from './auth/api-keys';
import { IdentityFeed } from './auth/identity-feed';
import { CountersRepository } from './limits/counters.repository';
import { SharedCounters } from './limits/shared-counters';
import { GatewayConfig, loadGatewayConfig, trustProxyOf } from './config';
import { installConventionHooks } from './http/conventions';
import { corsOptions } from './http/cors';
import { hardenedFastifyOptions, installInputGuards } from './http/input-guard';
import { installMethodNotAllowed } from './http/methods';
import { serveOps } from './http/ops';
import { routeLabelOf } from './http/route-label';
import { installRouteSpans } from './http/route-spans';
import { installRequestContext } from './http/request-context';
import { installSecurityHeaders } from './http/security-headers';
import { installReplayHeader } from './idempotency/idempotency.guard';
import { setupOpenApi } from './openapi';
import { createWebhooks, type WebhooksRuntime } from './webhooks/webhooks.runtime';
import { installConformanceCheck } from './openapi/conformance';
import { installPortal } from './portal/portal';
import { loadPortalFiles } from './portal/portal-files';

export const SERVICE = 'gateway';
/** Fastify route patterns (a literal ':' is written '::'). */
const BULK_ROUTES = new Set(['/v1/revenue-records::batch', '/v1/accounts::import']);

export interface GatewayRuntime {
  app: NestFastifyApplication;
  dataSource: DataSource;
  nats: NatsConnection;
  /** What /readyz checks (database, NATS, the identity feed). */
  readiness: Record<string, () => Promise<void>>;
  webhooks: WebhooksRuntime;
  close(): Promise<void>;
}

/** Builds the gateway (not listening yet: call `app.listen` or use `app.inject`/supertest). */
export async function createGateway(config: GatewayConfig): Promise<GatewayRuntime> {
  // The portal's build, read (and compressed) once: served at / (docs/adr/0029-portal-served-by-the-gateway.md).
  const portal = config.portalDir === null ? null : await loadPortalFiles(config.portalDir);
  if (config.portalDir !== null && portal === null) logger().warn({ portalDir: config.portalDir }, 'the portal is not built (npm run build): / says so');
  const { dataSource, nats, readiness } = await connectPlatform(SERVICE, config);
  // Every request carries the caller's tenant and actor, signed: services refuse unsigned ones.
  const context = new ContextSigner(config.contextKeys, { maxAgeMs: config.contextMaxAgeMs });
  const rpc = new RpcClient(nats, normalisePrefix(config.natsPrefix), config.rpcTimeoutMs, context);
  // Rate limits and failed-authentication counts shared by every replica, through PostgreSQL.
  const counters = new SharedCounters(new CountersRepository(new UnitOfWork(dataSource)), { syncMs: config.rateLimit.syncMs });
  counters.start();
  // Who was deactivated or given another role, and which keys were revoked, from accounts' events.
  const apiKeys = new ApiKeyVerifier(rpc, config.apiKeyCacheSeconds * 1000);
  const identity = new IdentityFeed(nats.jetstream(), context, apiKeys, { prefix: normalisePrefix(config.natsPrefix), accessTokenTtlMs: config.accessTokenTtlSeconds * 1000 });
  identity.start();
  readiness.identity = () => identity.readiness();
  // Webhooks: the /v1/webhooks use cases, the fan-out from every event stream, the delivery worker.
  const webhooks = await createWebhooks({
    settings: config.webhooks,
    databaseUrl: config.databaseUrl,
    preparedStatements: config.dbPreparedStatements,
    dataSource,
    nats,
    prefix: normalisePrefix(config.natsPrefix),
    rpc,
    context,
    contextKey: config.contextKeys.current,
  });

  // X-Forwarded-For is believed only from the proxies configured (none by default): otherwise
  // a client could pick its own address and dodge the per-address limits.
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: trustProxyOf(config), ...hardenedFastifyOptions() });
  const fastify = adapter.getInstance();
  installRequestContext(fastify);
  // Every input gets a problem+json answer naming the field, never a 500 (docs/adr/0015-no-500-on-any-input.md).
  installInputGuards(adapter);
  // HTTP conventions for every route (docs/adr/0023-http-conventions.md): 405 with Allow, ETag/304, Location; spans named after the route.
  installMethodNotAllowed(fastify);
  installConventionHooks(fastify);
  installRouteSpans(fastify);
  // CSP, nosniff, frame and referrer policies on every response, portal and API alike.
  await installSecurityHeaders(fastify, { publicUrl: config.publicUrl });
  if (config.portalDir !== null) installPortal(fastify, portal);
  // Bulk routes (10,000 revenue rows is ~1.6 MB of JSON) get the import body limit.
  fastify.addHook('onRoute', (route) => {
    if (BULK_ROUTES.has(route.url)) route.bodyLimit = config.importBodyLimitBytes;
  });
  // CSV uploads (account import) arrive as text, with the same larger limit.
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: config.importBodyLimitBytes }, (_req, body, done) => done(null, body));
  installReplayHeader(fastify);
  // Per-tenant SLO metrics with a bounded tenant label (docs/observability.md).
  const tenantLabels = new TenantLabels(config.metricsTenants.limit, config.metricsTenants.always);
  for (const metric of [Metrics.httpDuration, Metrics.tenantRequests, Metrics.rpcClientDuration]) metric();
  fastify.addHook('onResponse', (req, reply, done) => {
    Metrics.httpDuration().observe({ method: req.method, route: routeLabelOf(req), status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (req.caller) Metrics.tenantRequests().observe({ tenant: tenantLabels.label(req.caller.tenantId), outcome: outcomeOfStatus(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.with({ config, rpc, readiness, counters, identity, apiKeys, webhooks: webhooks.service }), adapter, {
    logger: new NestPinoLogger(),
    bufferLogs: false,
  });
  // Browsers on the configured origins (STEWARD_CORS_ORIGINS) may call the API.
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  const { document } = setupOpenApi(app, config.publicUrl);
  if (config.checkOpenApi) installConformanceCheck(fastify, document);
  await app.init();
  await fastify.ready();
  webhooks.start();

  let closing: Promise<void> | undefined;
  return {
    app,
    dataSource,
    nats,
    readiness,
    webhooks,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await webhooks.stop();
        await identity.stop();
        await counters.stop().catch(() => undefined);
        await nats.drain().catch(() => undefined);
        await dataSource.destroy();
      })()),
  };
}

/** The gateway process: reads its configuration and listens (main.ts). */
export async function listen(config: GatewayConfig = loadGatewayConfig()): Promise<GatewayRuntime> {
  const runtime = await createGateway(config);
  const ops = await serveOps(config, runtime.readiness);
  await runtime.app.listen(config.port, config.host);
  logger().info({ port: config.port, host: config.host, opsPort: config.opsPort }, 'gateway listening');
  return {
    ...runtime,
    close: async () => {
      await runtime.close();
      await ops.close();
    },
  };
}
