import { connect, NatsConnection } from 'nats';
import { ContextSigner, inboxPrefixFor, RpcClient } from '@steward/messaging';

/**
 * A NATS connection as one platform client (`gateway`, `accounts`, …) with its credentials
 * and inbox prefix, or with none at all: what an attacker with network access would try.
 */
export function connectAs(url: string, client?: { user: string; password: string }): Promise<NatsConnection> {
  return connect({
    servers: url,
    ...(client ? { user: client.user, pass: client.password, inboxPrefix: inboxPrefixFor(client.user) } : {}),
    // Fail fast: tests expect refusals, not retries.
    maxReconnectAttempts: 0,
    reconnect: false,
  });
}

/** A typed request client on a connection; it signs with `contextKey` when given (else it sends unsigned requests). */
export function rpcClient(nc: NatsConnection, prefix: string, contextKey?: string, timeoutMs = 3000): RpcClient {
  return new RpcClient(nc, prefix, timeoutMs, contextKey ? new ContextSigner({ current: contextKey }) : undefined);
}
