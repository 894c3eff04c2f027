import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StewardError } from '@steward/contracts';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{1,255}$/;
const STATE_CHANGING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Method, route, path and body: the same key with another request is refused (422). */
export function requestFingerprint(method: string, route: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${route} ${url}\n${JSON.stringify(body ?? null)}`).digest('base64url');
}

/**
 * Marks a state-changing request that carries an `Idempotency-Key` (after auth and the rate
 * limit). The gateway decides nothing and stores nothing: the key and the request's
 * fingerprint travel with each NATS request (`key#n`), and the service that does the write
 * records the outcome in the write's own transaction and replays it on a repeat
 * (docs/adr/0008-idempotency-in-the-service.md). So a gateway timeout, a killed gateway or a
 * second gateway replica can never run the write twice.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = req.headers[HEADER];
    if (raw === undefined || !STATE_CHANGING.has(req.method)) return true;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY.test(key)) {
      throw StewardError.validation([{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1–255 characters of letters, digits and . _ : -' }]);
    }
    // Login and refresh change nothing a retry could double; anonymous keys have no principal.
    if (!req.caller || req.caller.kind === 'anonymous') return true;
    req.stewardContext.idempotency = { key, fingerprint: requestFingerprint(req.method, req.routeOptions?.url ?? '', req.url, req.body) };
    return true;
  }
}

/** Tells the client its reply is the stored outcome of an earlier request with the same key. */
export function installReplayHeader(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (req.stewardContext?.idempotency?.replayed) void reply.header('idempotent-replayed', 'true');
    done(null, payload);
  });
}
