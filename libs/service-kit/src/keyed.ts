import { Actor, ErrorCode, RequestSubject, ResponseOf, StewardError } from '@steward/contracts';
import type { RpcHandlerFn } from '@steward/messaging';
import { KeyedWriteInProgress, KeyedWriteMismatch, KeyedWriteReplay, runKeyedWrite, settleKeyedWrite, TWIN_WAIT_MS } from '@steward/persistence';

/** Whose key it is: a portal user's, or a partner's (all its API keys together). Keys never cross principals. */
export function principalOf(actor: Actor): string | null {
  if (actor.kind === 'user') return `user:${actor.id}`;
  if (actor.kind === 'api-key') return `partner:${actor.partnerId}`;
  return null;
}

/**
 * The answer to a keyed write refused by its key: another request under the same key (422), or a
 * twin still in flight after the wait (409, retry after a second). Any other error as it is.
 */
export function keyedWriteError(err: unknown): unknown {
  if (err instanceof KeyedWriteMismatch) {
    return new StewardError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was already used with a different request', {
      errors: [{ field: 'Idempotency-Key', rule: 'same-request', message: 'was used before with a different method, path or body' }],
    });
  }
  if (err instanceof KeyedWriteInProgress) {
    return new StewardError(ErrorCode.IdempotencyRequestInProgress, `A request with this Idempotency-Key is still being processed after ${TWIN_WAIT_MS / 1000} s: retry shortly to get its reply`, {
      errors: [{ field: 'Idempotency-Key', rule: 'in-progress', message: 'is held by a request still in progress' }],
      retryAfterSeconds: 1,
    });
  }
  return err;
}

/**
 * Wraps a handler so that a request carrying an Idempotency-Key is decided exactly once,
 * in the transaction of its write (libs/persistence/src/keyed-write.ts): the first run
 * commits the write with its reply; any repeat, however late and from whichever replica,
 * gets that reply back; the same key with another request is refused. Requests without a
 * key, without a tenant (operator bootstrap) or from a service run as they are.
 */
export function keyedHandler<S extends RequestSubject>(schema: string, handler: RpcHandlerFn<S>): RpcHandlerFn<S> {
  return async (request, ctx) => {
    const idem = ctx.idempotency;
    const principal = principalOf(ctx.actor);
    if (!idem || !ctx.tenantId || !principal) return handler(request, ctx);
    return runKeyedWrite({ schema, tenantId: ctx.tenantId, principal, key: idem.key, fingerprint: idem.fingerprint }, async () => {
      let data: ResponseOf<S>;
      try {
        data = await handler(request, ctx);
      } catch (err) {
        await settleKeyedWrite();
        if (err instanceof KeyedWriteReplay) {
          idem.replayed = true;
          return err.response as typeof data;
        }
        throw keyedWriteError(err);
      }
      await settleKeyedWrite({ data });
      return data;
    });
  };
}
