import { registry } from '@steward/telemetry';
import { Counter, Histogram } from 'prom-client';

const metric = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();

/** Prometheus metrics of webhooks (on the gateway's /metrics). */
export const WebhookMetrics = {
  /** Attempts by outcome: succeeded, http-error, timeout, network-error, refused-address. */
  attempts: () =>
    metric('steward_webhook_attempts_total', () => new Counter({ name: 'steward_webhook_attempts_total', help: 'Webhook HTTP attempts by outcome', labelNames: ['outcome'], registers: [registry] })),
  /** Deliveries settled: succeeded, retried (a failed attempt with another to come), failed (for good). */
  deliveries: () =>
    metric(
      'steward_webhook_deliveries_total',
      () => new Counter({ name: 'steward_webhook_deliveries_total', help: 'Webhook deliveries by outcome after each attempt (succeeded, retried, failed)', labelNames: ['outcome'], registers: [registry] }),
    ),
  latency: () =>
    metric(
      'steward_webhook_attempt_duration_seconds',
      () =>
        new Histogram({
          name: 'steward_webhook_attempt_duration_seconds',
          help: 'Time per webhook attempt (DNS, connect, response)',
          labelNames: ['outcome'],
          buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        }),
    ),
  /** Endpoints disabled automatically after sustained failure. */
  disabled: () =>
    metric('steward_webhook_endpoints_disabled_total', () => new Counter({ name: 'steward_webhook_endpoints_disabled_total', help: 'Webhook endpoints disabled after sustained failure', registers: [registry] })),
  /** Deliveries created from events (pending, or skipped for a disabled endpoint). */
  fannedOut: () =>
    metric('steward_webhook_fanout_total', () => new Counter({ name: 'steward_webhook_fanout_total', help: 'Webhook deliveries created from events', labelNames: ['status'], registers: [registry] })),
};
