import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@steward/contracts';

/** What every log line, SQL transaction and outgoing message needs to know about the current unit of work. */
export interface RequestContext {
  tenantId?: string;
  actor: Actor;
  correlationId: string;
  /**
   * The Idempotency-Key of the request being served, if it has one. In the gateway `seq`
   * numbers the NATS requests the HTTP request makes (each gets `key#seq`); in a service
   * `replayed` says the reply is the stored outcome of an earlier request with that key.
   */
  idempotency?: { key: string; fingerprint: string; seq?: number; replayed?: boolean };
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs fn outside any request context (background loops must not inherit one). */
export function runWithoutContext<T>(fn: () => T): T {
  return storage.exit(fn);
}
