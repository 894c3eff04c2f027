/**
 * Steward's Grafana dashboards, typed against Grafana's published schema (`@grafana/schema`,
 * generated from Grafana's own CUE schema): a wrong field or type does not compile.
 * `node dist/tools/deploy/dashboards.js` writes them to deploy/grafana/dashboards/*.json
 * (compose provisions them; import them into any Grafana with a Prometheus data source).
 * tools/deploy/dashboards.spec.ts fails when the JSON and this file disagree.
 *
 * - Services: request rate, errors, latency, outbox lag and publishing, redeliveries, DB pool,
 *   process resources, per service (the `service` label every Steward process sets).
 * - Tenants: request rate, error rate, latency and SLO attainment per tenant, from the gateway's
 *   bounded per-tenant histogram (docs/observability.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Dashboard, DataSourceRef, Panel, VariableModel } from '@grafana/schema';
import { findRepoRoot } from '../stack/config';

export const DASHBOARDS_DIR = 'deploy/grafana/dashboards';

const DS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

interface Query {
  expr: string;
  legend: string;
}

let nextId = 1;
function panel(o: { title: string; description: string; queries: Query[]; unit: string; x: number; y: number; w?: number; h?: number; type?: 'timeseries' | 'table' | 'stat'; min?: number; max?: number }): Panel {
  return {
    id: nextId++,
    type: o.type ?? 'timeseries',
    title: o.title,
    description: o.description,
    datasource: DS,
    gridPos: { x: o.x, y: o.y, w: o.w ?? 12, h: o.h ?? 8 },
    fieldConfig: { defaults: { unit: o.unit, ...(o.min !== undefined ? { min: o.min } : {}), ...(o.max !== undefined ? { max: o.max } : {}) }, overrides: [] },
    options: o.type === 'table' ? { showHeader: true } : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: o.queries.map((q, i) => ({ refId: String.fromCharCode(65 + i), datasource: DS, expr: q.expr, legendFormat: q.legend, ...(o.type === 'table' ? { format: 'table', instant: true } : { range: true }) })),
  };
}

const datasourceVariable: VariableModel = { type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', hide: 0, refresh: 1, options: [] };
const labelVariable = (name: string, label: string, query: string): VariableModel => ({
  type: 'query',
  name,
  label,
  datasource: DS,
  query: { query, refId: name },
  includeAll: true,
  multi: true,
  allValue: '.*',
  refresh: 2,
  sort: 1,
  hide: 0,
  options: [],
});

function dashboard(uid: string, title: string, description: string, variables: VariableModel[], panels: Panel[]): Dashboard {
  return {
    uid,
    title,
    description,
    tags: ['steward'],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    timezone: 'browser',
    templating: { list: [datasourceVariable, ...variables] },
    annotations: { list: [] },
    links: [{ title: 'Steward dashboards', type: 'dashboards', tags: ['steward'], asDropdown: false, icon: 'external link', includeVars: true, keepTime: true, targetBlank: false, tooltip: '', url: '' }],
    panels,
  };
}

const S = 'service=~"$service"';
const RATE = '$__rate_interval';
const SERVER_ERRORS = 'outcome=~"INTERNAL|SERVICE_UNAVAILABLE|TIMEOUT"';

export function servicesDashboard(): Dashboard {
  nextId = 1;
  return dashboard(
    'steward-services',
    'Steward · services',
    'Per service: request rate, errors, latency, outbox lag, redeliveries, database pool and process resources. The gateway is measured at HTTP, the other services at NATS request/reply.',
    [labelVariable('service', 'Service', 'label_values(process_cpu_seconds_total, service)')],
    [
      panel({ title: 'Request rate', description: 'HTTP requests at the gateway; NATS requests handled by each service.', unit: 'reqps', x: 0, y: 0, queries: [
        { expr: `sum by (service) (rate(steward_http_request_duration_seconds_count{${S}}[${RATE}]))`, legend: '{{service}} HTTP' },
        { expr: `sum by (service) (rate(steward_rpc_server_duration_seconds_count{${S}}[${RATE}]))`, legend: '{{service}} NATS' },
      ] }),
      panel({ title: 'Error ratio', description: 'Gateway: 5xx answers. Services: INTERNAL, SERVICE_UNAVAILABLE and TIMEOUT answers (domain errors such as VALIDATION_FAILED are not errors here). Alert above 2%.', unit: 'percentunit', min: 0, x: 12, y: 0, queries: [
        { expr: `sum by (service) (rate(steward_http_request_duration_seconds_count{${S},status=~"5.."}[${RATE}])) / sum by (service) (rate(steward_http_request_duration_seconds_count{${S}}[${RATE}]))`, legend: '{{service}} HTTP 5xx' },
        { expr: `sum by (service) (rate(steward_rpc_server_duration_seconds_count{${S},${SERVER_ERRORS}}[${RATE}])) / sum by (service) (rate(steward_rpc_server_duration_seconds_count{${S}}[${RATE}]))`, legend: '{{service}} NATS errors' },
      ] }),
      panel({ title: 'Latency p50 / p99', description: 'Request handling time. Alert when p99 stays above 1 s.', unit: 's', x: 0, y: 8, queries: [
        { expr: `histogram_quantile(0.99, sum by (service, le) (rate(steward_http_request_duration_seconds_bucket{${S}}[${RATE}])))`, legend: '{{service}} HTTP p99' },
        { expr: `histogram_quantile(0.5, sum by (service, le) (rate(steward_http_request_duration_seconds_bucket{${S}}[${RATE}])))`, legend: '{{service}} HTTP p50' },
        { expr: `histogram_quantile(0.99, sum by (service, le) (rate(steward_rpc_server_duration_seconds_bucket{${S}}[${RATE}])))`, legend: '{{service}} NATS p99' },
        { expr: `histogram_quantile(0.5, sum by (service, le) (rate(steward_rpc_server_duration_seconds_bucket{${S}}[${RATE}])))`, legend: '{{service}} NATS p50' },
      ] }),
      panel({ title: 'Calls to other services (p99)', description: 'Round trips of NATS requests this process sends (the gateway to every service; services that call others).', unit: 's', x: 12, y: 8, queries: [
        { expr: `histogram_quantile(0.99, sum by (service, le) (rate(steward_rpc_client_duration_seconds_bucket{${S}}[${RATE}])))`, legend: '{{service}} p99' },
      ] }),
      panel({ title: 'Outbox lag', description: 'Age of the oldest event not yet published to JetStream, and how many wait. Alert above 60 s for 5 minutes.', unit: 's', min: 0, x: 0, y: 16, queries: [
        { expr: `max by (service) (steward_outbox_lag_seconds{${S}})`, legend: '{{service}} lag' },
      ] }),
      panel({ title: 'Outbox: pending, published, publishing', description: 'Pending events; events published per second; 1 while the relay can publish (0: see /readyz/publishing).', unit: 'short', min: 0, x: 12, y: 16, queries: [
        { expr: `max by (service) (steward_outbox_pending{${S}})`, legend: '{{service}} pending' },
        { expr: `sum by (service) (rate(steward_outbox_published_total{${S}}[${RATE}]))`, legend: '{{service}} published/s' },
        { expr: `min by (service) (steward_outbox_publishing{${S}})`, legend: '{{service}} publishing' },
        { expr: `sum by (service) (rate(steward_outbox_publish_failures_total{${S}}[${RATE}]))`, legend: '{{service}} failed rounds/s' },
      ] }),
      panel({ title: 'Consumer redeliveries', description: 'Events delivered again to a durable consumer (a handler failed or was too slow). Alert above 1/s for 10 minutes.', unit: 'short', min: 0, x: 0, y: 24, queries: [
        { expr: `sum by (service, consumer) (rate(steward_consumer_redeliveries_total{${S}}[${RATE}]))`, legend: '{{service}} {{consumer}}' },
      ] }),
      panel({ title: 'Consumed events by outcome', description: 'handled, duplicate (dropped by the inbox), invalid, rejected (bad signature), terminated, failed.', unit: 'short', min: 0, x: 12, y: 24, queries: [
        { expr: `sum by (service, outcome) (rate(steward_consumer_messages_total{${S}}[${RATE}]))`, legend: '{{service}} {{outcome}}' },
      ] }),
      panel({ title: 'Database pool', description: 'Open and idle connections of each pool (app, relay, jobs) and requests waiting for a connection: waiting > 0 for long means DB_POOL_MAX or PostgreSQL is the bottleneck.', unit: 'short', min: 0, x: 0, y: 32, queries: [
        { expr: `sum by (service, pool) (steward_db_pool_connections{${S},state="total"})`, legend: '{{service}} {{pool}} open' },
        { expr: `sum by (service, pool) (steward_db_pool_connections{${S},state="idle"})`, legend: '{{service}} {{pool}} idle' },
        { expr: `sum by (service, pool) (steward_db_pool_connections{${S},state="waiting"})`, legend: '{{service}} {{pool}} waiting' },
      ] }),
      panel({ title: 'CPU and event loop', description: 'CPU seconds per second of each process and its event-loop delay p99.', unit: 's', min: 0, x: 12, y: 32, queries: [
        { expr: `sum by (service) (rate(process_cpu_seconds_total{${S}}[${RATE}]))`, legend: '{{service}} CPU' },
        { expr: `max by (service) (nodejs_eventloop_lag_p99_seconds{${S}})`, legend: '{{service}} loop p99' },
      ] }),
      panel({ title: 'Memory', description: 'Resident memory and V8 heap used, per process.', unit: 'bytes', min: 0, x: 0, y: 40, w: 24, queries: [
        { expr: `max by (service) (process_resident_memory_bytes{${S}})`, legend: '{{service}} RSS' },
        { expr: `max by (service) (nodejs_heap_size_used_bytes{${S}})`, legend: '{{service}} heap used' },
      ] }),
    ],
  );
}

const T = 'tenant=~"$tenant"';
const TM = 'steward_tenant_request_duration_seconds';

export function tenantsDashboard(): Dashboard {
  nextId = 1;
  return dashboard(
    'steward-tenants',
    'Steward · tenants',
    'Per tenant, at the gateway: request rate, error rate, latency and SLO attainment. The tenant label is bounded: tenants listed in METRICS_TENANTS and the first METRICS_TENANT_LIMIT others seen by each gateway replica have their own series; the rest are "other".',
    [labelVariable('tenant', 'Tenant', `label_values(${TM}_count, tenant)`)],
    [
      panel({ title: 'Request rate per tenant', description: 'Authenticated requests per second.', unit: 'reqps', x: 0, y: 0, queries: [{ expr: `sum by (tenant) (rate(${TM}_count{${T}}[${RATE}]))`, legend: '{{tenant}}' }] }),
      panel({ title: 'Error ratio per tenant', description: 'Share of requests answered with a 5xx (server_error); 4xx are the client\'s and count as served.', unit: 'percentunit', min: 0, x: 12, y: 0, queries: [
        { expr: `sum by (tenant) (rate(${TM}_count{${T},outcome="server_error"}[${RATE}])) / sum by (tenant) (rate(${TM}_count{${T}}[${RATE}]))`, legend: '{{tenant}}' },
      ] }),
      panel({ title: 'Latency p99 per tenant', description: 'The 99th percentile of request time (buckets 50 ms … 5 s).', unit: 's', x: 0, y: 8, queries: [
        { expr: `histogram_quantile(0.99, sum by (tenant, le) (rate(${TM}_bucket{${T}}[${RATE}])))`, legend: '{{tenant}}' },
      ] }),
      panel({ title: 'Client errors per tenant', description: '4xx per second: a tenant\'s integration sending bad requests, or hitting its rate limits.', unit: 'reqps', min: 0, x: 12, y: 8, queries: [
        { expr: `sum by (tenant) (rate(${TM}_count{${T},outcome="client_error"}[${RATE}]))`, legend: '{{tenant}}' },
      ] }),
      panel({ title: 'SLO attainment over the time range', description: 'Availability: share of requests not answered 5xx. Latency: share answered within 500 ms. Compare with each tenant\'s objective (e.g. 99.9% and 99%).', unit: 'percentunit', type: 'table', min: 0, max: 1, x: 0, y: 16, w: 24, h: 10, queries: [
        { expr: `1 - sum by (tenant) (increase(${TM}_count{${T},outcome="server_error"}[$__range])) / sum by (tenant) (increase(${TM}_count{${T}}[$__range]))`, legend: 'availability' },
        { expr: `sum by (tenant) (increase(${TM}_bucket{${T},le="0.5"}[$__range])) / sum by (tenant) (increase(${TM}_count{${T}}[$__range]))`, legend: 'within 500 ms' },
        { expr: `sum by (tenant) (increase(${TM}_count{${T}}[$__range]))`, legend: 'requests' },
      ] }),
    ],
  );
}

/** Every metric name a PromQL expression reads (functions, keywords and label names excluded). */
export function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]');
  const words = [...withoutLabels.matchAll(/\b([a-z_:][a-z0-9_:]*)\b\s*(?=\{|\[|\)|$|\s)/g)].map((m) => m[1]!);
  const notMetrics = new Set(['sum', 'by', 'max', 'min', 'rate', 'increase', 'histogram_quantile', 'le', 'service', 'tenant', 'pool', 'consumer', 'outcome', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless']);
  return [...new Set(words.filter((w) => !notMetrics.has(w) && /_/.test(w)))];
}

export const DASHBOARDS: Record<string, () => Dashboard> = { 'steward-services.json': servicesDashboard, 'steward-tenants.json': tenantsDashboard };
export const dashboardText = (make: () => Dashboard): string => `${JSON.stringify(make(), null, 2)}\n`;

if (require.main === module) {
  const dir = path.join(findRepoRoot(__dirname), DASHBOARDS_DIR);
  mkdirSync(dir, { recursive: true });
  for (const [file, make] of Object.entries(DASHBOARDS)) writeFileSync(path.join(dir, file), dashboardText(make));
  console.log(`dashboards: wrote ${Object.keys(DASHBOARDS).join(', ')} to ${DASHBOARDS_DIR}`);
}
