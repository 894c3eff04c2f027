import type { NatsConnection } from 'nats';
import type { ContextSigner, RpcClient } from '@steward/messaging';
import { createDataSource, UnitOfWork, useCursorKey } from '@steward/persistence';
import { logger } from '@steward/telemetry';
import type { DataSource } from 'typeorm';
import { DeliveryWorker } from './delivery-worker';
import { WebhookFanout } from './fanout';
import type { OutboundPolicy } from './outbound';
import { SecretBox } from './secret-box';
import { WebhookMetrics } from './webhooks.metrics';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import type { WebhookSettings } from './webhooks.settings';

export interface WebhooksDeps {
  settings: WebhookSettings;
  databaseUrl: string;
  /** Whether the scheduler's pool prepares repeated statements (the gateway's `DB_PREPARED_STATEMENTS`). */
  preparedStatements?: boolean;
  /** The gateway's runtime DataSource (its role is the tenant-scoped one). */
  dataSource: DataSource;
  nats: NatsConnection;
  prefix: string;
  rpc: RpcClient;
  context: ContextSigner;
  /** The platform's context key: the default key of the secrets' encryption. */
  contextKey: string;
  /** Tests: a resolver that simulates DNS. */
  policy?: Partial<OutboundPolicy>;
}

export interface WebhooksRuntime {
  service: WebhooksService;
  fanout: WebhookFanout;
  worker: DeliveryWorker;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the gateway's webhooks (docs/adr/0020-webhooks.md): the use cases behind
 * `/v1/webhooks`, the fan-out from every event stream, and the delivery worker with its own
 * small pool on the relay role (it schedules every tenant's deliveries).
 */
export async function createWebhooks(d: WebhooksDeps): Promise<WebhooksRuntime> {
  const s = d.settings;
  // The gateway's own lists (endpoints, deliveries) sign their cursors like every service's.
  if (s.cursorKey !== undefined) useCursorKey(s.cursorKey);
  const scheduler = createDataSource({ url: d.databaseUrl, schema: 'gateway', role: s.relayRole, poolMax: 2, applicationName: 'steward-gateway-webhooks', preparedStatements: d.preparedStatements });
  await scheduler.initialize();
  const uow = new UnitOfWork(d.dataSource, s.partnerRole);
  const repo = new WebhooksRepository();
  const box = new SecretBox(s.secretKeys, d.contextKey);
  const policy: OutboundPolicy = { allowance: s.allowPrivate, ...d.policy };
  const worker = new DeliveryWorker(uow, scheduler, repo, box, s, policy);
  const fanout = new WebhookFanout(d.nats.jetstream(), await d.nats.jetstreamManager({ checkAPI: false }), uow, repo, d.context, d.rpc, { prefix: d.prefix, onDeliveries: worker.nudge });
  const service = new WebhooksService(uow, repo, box, s, policy, worker.nudge);
  if (s.allowPrivate.kind !== 'none') logger().warn({ allow: s.allowPrivate.kind === 'any' ? 'any' : s.allowPrivate.text }, 'webhooks: STEWARD_WEBHOOKS_ALLOW_PRIVATE lets endpoints use http and non-public addresses');
  let stopping: Promise<void> | undefined;
  return {
    service,
    fanout,
    worker,
    start() {
      // The series the alerts watch exist from the start (at 0), so a rate over them is defined.
      WebhookMetrics.deliveries().inc({ outcome: 'failed' }, 0);
      WebhookMetrics.disabled().inc(0);
      worker.start();
      fanout.start();
    },
    stop: () =>
      (stopping ??= (async () => {
        await fanout.stop();
        await worker.stop();
        await scheduler.destroy().catch(() => undefined);
      })()),
  };
}
