import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@steward/contracts';

/** What every log line, SQL transaction and outgoing message needs to know about the current unit of work. */
export interface RequestContext {
  tenantId?: string;
  actor: Actor;
  correlationId: string;
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
