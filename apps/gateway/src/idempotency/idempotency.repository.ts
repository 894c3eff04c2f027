import { createHash } from 'node:crypto';
import { ErrorCode, StewardError } from '@steward/contracts';
import type { UnitOfWork } from '@steward/persistence';

/** The scope id for operator requests, which have no tenant. */
export const OPERATOR_SCOPE = '00000000-0000-0000-0000-000000000000';
const RETENTION = '24 hours';
/** A pending claim older than this is taken to be from a crashed request and may be retried. */
const ABANDONED_AFTER = '60 seconds';
const PURGE_PROBABILITY = 0.01;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; statusCode: number; body: string };

/**
 * Stripe-style idempotency keys: the first request with a key claims it; a retry with
 * the same key and body gets the stored response; the same key with a different body is
 * refused (422); a retry while the first is still running is refused (409).
 */
export class IdempotencyStore {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly random: () => number = Math.random,
  ) {}

  static fingerprint(method: string, route: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${route}\n${JSON.stringify(body ?? null)}`).digest('hex');
  }

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    return this.uow.forTenant(scope, async (em) => {
      // Row-level security keeps a purge inside one tenant, so each tenant's claims clean up
      // after it: about one claim in a hundred deletes that tenant's expired keys.
      if (this.random() < PURGE_PROBABILITY) await em.query(`DELETE FROM gateway.idempotency_keys WHERE expires_at < now()`);
      const inserted: unknown[] = await em.query(
        `INSERT INTO gateway.idempotency_keys (tenant_id, key, request_hash, state, expires_at)
         VALUES ($1, $2, $3, 'pending', now() + interval '${RETENTION}')
         ON CONFLICT (tenant_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, state = 'pending', status_code = NULL, response_body = NULL,
               created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE gateway.idempotency_keys.expires_at < now()
              OR (gateway.idempotency_keys.state = 'pending' AND gateway.idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}')
         RETURNING key`,
        [scope, key, hash],
      );
      if (inserted.length > 0) return { kind: 'claimed' };
      const [row] = await em.query(`SELECT request_hash, state, status_code, response_body FROM gateway.idempotency_keys WHERE tenant_id = $1 AND key = $2`, [scope, key]);
      if (row.request_hash !== hash) {
        throw new StewardError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was already used with a different request', {
          errors: [{ field: 'Idempotency-Key', rule: 'same-request', message: 'was used before with a different method, path or body' }],
        });
      }
      if (row.state === 'pending') throw new StewardError(ErrorCode.IdempotencyRequestInProgress, 'A request with this Idempotency-Key is still being processed: retry shortly');
      return { kind: 'replay', statusCode: row.status_code, body: row.response_body };
    });
  }

  async complete(scope: string, key: string, statusCode: number, body: string): Promise<void> {
    await this.uow.forTenant(scope, (em) =>
      em.query(`UPDATE gateway.idempotency_keys SET state = 'done', status_code = $3, response_body = $4 WHERE tenant_id = $1 AND key = $2`, [scope, key, statusCode, body]),
    );
  }

  /** Server errors are not stored: the client may retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.uow.forTenant(scope, (em) => em.query(`DELETE FROM gateway.idempotency_keys WHERE tenant_id = $1 AND key = $2 AND state = 'pending'`, [scope, key]));
  }
}
