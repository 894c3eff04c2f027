import { Actor, ErrorCode, StewardError } from '@steward/contracts';
import { KeyedWriteMismatch, KeyedWriteReplay, runKeyedWrite, settleKeyedWrite } from '@steward/persistence';
import { currentContext } from '@steward/telemetry';

/** Whose Idempotency-Key it is: a user's, or a partner's (all its API keys together), as in every service (ADR 8). */
function principalOf(actor: Actor): string | null {
  if (actor.kind === 'user') return `user:${actor.id}`;
  if (actor.kind === 'api-key') return `partner:${actor.partnerId}`;
  return null;
}

/** How a reply is stored with its key and read back (a secret in a reply is stored sealed). */
export interface ReplyCodec<T> {
  store(reply: T): unknown;
  restore(stored: unknown): T;
}

/**
 * Runs a webhook write once per Idempotency-Key (docs/adr/0008-idempotency-in-the-service.md):
 * webhook data lives in the gateway's own schema, so the gateway decides the key in the
 * write's own transaction (`gateway.idempotency_keys`), exactly as a service does. A repeat
 * with the same key and request gets the stored reply (`Idempotent-Replayed: true`); the same
 * key with another request is a 422 naming the header. Without a key, `write` just runs.
 */
export async function keyedWrite<T>(tenantId: string, write: () => Promise<T>, codec?: ReplyCodec<T>): Promise<T> {
  const ctx = currentContext();
  const idem = ctx?.idempotency;
  const principal = ctx ? principalOf(ctx.actor) : null;
  if (!idem || !principal) return write();
  return runKeyedWrite({ schema: 'gateway', tenantId, principal, key: idem.key, fingerprint: idem.fingerprint }, async () => {
    let reply: T;
    try {
      reply = await write();
    } catch (err) {
      await settleKeyedWrite();
      if (err instanceof KeyedWriteReplay) {
        idem.replayed = true;
        return codec ? codec.restore(err.response) : (err.response as T);
      }
      if (err instanceof KeyedWriteMismatch) {
        throw new StewardError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was already used with a different request', {
          errors: [{ field: 'Idempotency-Key', rule: 'same-request', message: 'was used before with a different method, path or body' }],
        });
      }
      throw err;
    }
    await settleKeyedWrite({ data: codec ? codec.store(reply) : reply });
    return reply;
  });
}
