import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process; every metric is registered here. */
export const registry = new Registry();
let defaultsOn = false;

export function enableDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
}

const cache = new Map<string, unknown>();
function once<T>(name: string, make: () => T): T {
  if (!cache.has(name)) cache.set(name, make());
  return cache.get(name) as T;
}

/** A pg.Pool's counters, read at scrape time. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}
const pools = new Map<string, () => PoolStats | undefined>();

/** Reports a connection pool as `steward_db_pool_connections{pool, state}` (total, idle, waiting) on every scrape. */
export function observeDbPool(pool: string, read: () => PoolStats | undefined): void {
  pools.set(pool, read);
  Metrics.dbPool();
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Platform metrics, created lazily so a process only exposes what it uses. */
export const Metrics = {
  rpcServerDuration: () =>
    once('rpc_server', () => new Histogram({ name: 'steward_rpc_server_duration_seconds', help: 'NATS request handling time per subject', labelNames: ['subject', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry] })),
  rpcClientDuration: () =>
    once('rpc_client', () => new Histogram({ name: 'steward_rpc_client_duration_seconds', help: 'NATS request round trip per subject', labelNames: ['subject', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry] })),
  httpDuration: () =>
    once('http', () => new Histogram({ name: 'steward_http_request_duration_seconds', help: 'HTTP request time per route', labelNames: ['method', 'route', 'status'], buckets: LATENCY_BUCKETS, registers: [registry] })),
  outboxPending: () => once('outbox_pending', () => new Gauge({ name: 'steward_outbox_pending', help: 'Outbox events not yet published', registers: [registry] })),
  outboxLag: () => once('outbox_lag', () => new Gauge({ name: 'steward_outbox_lag_seconds', help: 'Age of the oldest unpublished outbox event', registers: [registry] })),
  outboxPublishFailures: () =>
    once('outbox_publish_failures', () => new Counter({ name: 'steward_outbox_publish_failures_total', help: 'Outbox relay rounds that failed to publish to JetStream', registers: [registry] })),
  outboxPublishing: () =>
    once('outbox_publishing', () => new Gauge({ name: 'steward_outbox_publishing', help: '1 while the outbox relay can publish to JetStream, 0 while it cannot', registers: [registry] })),
  outboxPublished: () => once('outbox_published', () => new Counter({ name: 'steward_outbox_published_total', help: 'Outbox events published to JetStream', registers: [registry] })),
  consumerHandled: () =>
    once('consumer_handled', () => new Counter({ name: 'steward_consumer_messages_total', help: 'Events handled by durable consumers', labelNames: ['consumer', 'outcome'], registers: [registry] })),
  contextRejected: () =>
    once('context_rejected', () => new Counter({ name: 'steward_context_rejected_total', help: 'Requests and events refused because their tenant/actor context was unsigned, badly signed or stale', labelNames: ['kind', 'reason'], registers: [registry] })),
  authFailures: () =>
    once('auth_failures', () => new Counter({ name: 'steward_auth_failures_total', help: 'Failed authentications at the gateway by credential kind and reason', labelNames: ['kind', 'reason'], registers: [registry] })),
  authThrottled: () =>
    once('auth_throttled', () => new Counter({ name: 'steward_auth_throttled_total', help: 'Authentication attempts refused (429) after too many failures, by credential kind and the bucket that was full', labelNames: ['kind', 'scope'], registers: [registry] })),
  rateLimited: () =>
    once('rate_limited', () => new Counter({ name: 'steward_rate_limited_total', help: 'Requests refused (429) by the gateway rate limits, by the bucket that was full', labelNames: ['scope'], registers: [registry] })),
  dbPool: () =>
    once('db_pool', () => {
      const gauge: Gauge<'pool' | 'state'> = new Gauge({
        name: 'steward_db_pool_connections',
        help: 'PostgreSQL connections of each pool of the process: total open, idle, and requests waiting for one',
        labelNames: ['pool', 'state'],
        registers: [registry],
        collect() {
          for (const [pool, read] of pools) {
            const s = read();
            if (!s) continue;
            gauge.set({ pool, state: 'total' }, s.total);
            gauge.set({ pool, state: 'idle' }, s.idle);
            gauge.set({ pool, state: 'waiting' }, s.waiting);
          }
        },
      });
      return gauge;
    }),
  /**
   * Per-tenant request time and outcome at the gateway, for per-tenant SLOs. The `tenant` label is
   * bounded by {@link TenantLabels}: never more than its limit of tenant ids per process, the
   * rest `other` (docs/observability.md).
   */
  tenantRequests: () =>
    once('tenant_requests', () => new Histogram({ name: 'steward_tenant_request_duration_seconds', help: 'HTTP request time per tenant (bounded: listed and first-seen tenants up to a limit, the rest "other") and outcome (ok, client_error, server_error)', labelNames: ['tenant', 'outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] })),
  consumerRedeliveries: () =>
    once('consumer_redeliveries', () => new Counter({ name: 'steward_consumer_redeliveries_total', help: 'Events delivered more than once to a durable consumer', labelNames: ['consumer'], registers: [registry] })),
};

/**
 * The `tenant` label value of a request, with bounded cardinality: tenants listed in
 * `always` (those with per-tenant SLOs) keep their id; other tenants keep theirs while fewer
 * than `limit` ids have been handed out by this process; every later tenant is `other`, and
 * unauthenticated requests `none`. Series per process ≤ (always + limit + 2) × outcomes × buckets.
 */
export class TenantLabels {
  private readonly named = new Set<string>();
  private readonly always: ReadonlySet<string>;

  constructor(
    private readonly limit: number,
    always: Iterable<string> = [],
  ) {
    this.always = new Set(always);
  }

  label(tenantId: string | undefined): string {
    if (!tenantId) return 'none';
    if (this.always.has(tenantId) || this.named.has(tenantId)) return tenantId;
    if (this.named.size < this.limit) {
      this.named.add(tenantId);
      return tenantId;
    }
    return 'other';
  }
}

/** `ok` (< 400), `client_error` (4xx), `server_error` (5xx): the outcome label of per-tenant metrics. */
export const outcomeOfStatus = (status: number): 'ok' | 'client_error' | 'server_error' => (status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'ok');
