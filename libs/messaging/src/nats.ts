import { connect, NatsConnection } from 'nats';
import { logger } from '@steward/telemetry';

export interface NatsOptions {
  url: string;
  /** Client name shown by the NATS server (`steward-accounts`). */
  name: string;
  /**
   * Prepended to every subject and stream so parallel test runs on one NATS server never
   * see each other's messages. Empty in production.
   */
  prefix: string;
}

/** Normalises a prefix to '' or 'something.' */
export function normalisePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(prefix)) throw new Error(`invalid NATS subject prefix: ${prefix}`);
  return prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/**
 * Connects with unlimited reconnects; `waitOnFirstConnect` lets a service start before
 * NATS is up instead of crashing in a loop.
 */
export async function connectNats(o: Pick<NatsOptions, 'url' | 'name'>): Promise<NatsConnection> {
  const nc = await connect({
    servers: o.url.split(','),
    name: o.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    // Otherwise every request captures two stack traces up front (for a timeout that rarely
    // comes); the RPC client turns timeouts into TIMEOUT errors naming the subject anyway.
    noAsyncTraces: true,
  });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') logger().warn({ nats: s.type, data: String(s.data) }, 'nats connection status');
    }
  })();
  return nc;
}
