import { readFileSync } from 'node:fs';
import { connect, ConnectionOptions, credsAuthenticator, NatsConnection } from 'nats';
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

/**
 * How a process authenticates to NATS (all optional: an unauthenticated server needs
 * none). Each service has its own credentials with least-privilege permissions
 * (nats-permissions.ts); TLS is optional.
 */
export interface NatsAuth {
  user?: string;
  pass?: string;
  token?: string;
  /** A `.creds` file (JWT + NKey seed) for servers run in operator mode. */
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** `_INBOX_<client>`: each client's replies arrive under its own inbox prefix, the only inboxes its permissions let it read. */
export const inboxPrefixFor = (client: string): string => `_INBOX_${client.replace(/[^A-Za-z0-9_-]+/g, '_')}`;

/** The connection options for {@link NatsAuth}. */
export function natsAuthOptions(auth: NatsAuth | undefined): Partial<ConnectionOptions> {
  if (!auth) return {};
  const o: Partial<ConnectionOptions> = {};
  if (auth.user) o.user = auth.user;
  if (auth.pass) o.pass = auth.pass;
  if (auth.token) o.token = auth.token;
  if (auth.credsFile) o.authenticator = credsAuthenticator(readFileSync(auth.credsFile));
  if (auth.tls && Object.values(auth.tls).some(Boolean)) o.tls = { ...auth.tls };
  return o;
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
export async function connectNats(o: Pick<NatsOptions, 'url' | 'name'> & { auth?: NatsAuth; inboxPrefix?: string }): Promise<NatsConnection> {
  const nc = await connect({
    ...natsAuthOptions(o.auth),
    ...(o.inboxPrefix ? { inboxPrefix: o.inboxPrefix } : {}),
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
