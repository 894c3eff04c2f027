import { KeyedWriteReplay, runKeyedWrite, settleKeyedWrite } from '@steward/persistence';
import { keyedWriteError, principalOf } from '@steward/service-kit';
import { currentContext } from '@steward/telemetry';

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
      throw keyedWriteError(err);
    }
    await settleKeyedWrite({ data: codec ? codec.store(reply) : reply });
    return reply;
  });
}
