import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, switchMap } from 'rxjs';
import { StewardError } from '@steward/contracts';
import { logger } from '@steward/telemetry';
import { IDEMPOTENCY } from '../tokens';
import { IdempotencyStore, OPERATOR_SCOPE } from './idempotency.store';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{1,255}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

/**
 * Claims the Idempotency-Key of a state-changing request (after auth, so the key is
 * scoped to the caller's tenant) or replays the stored response. The response itself is
 * stored by {@link installIdempotencyRecorder} once it is serialised, errors included.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const raw = req.headers[HEADER];
    if (raw === undefined || !['POST', 'PATCH', 'PUT', 'DELETE'].includes(req.method)) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY.test(key)) {
      throw StewardError.validation([{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1–255 characters of letters, digits and . _ : -' }]);
    }
    const caller = req.caller;
    // Login and refresh change nothing a retry could double; anonymous keys have no scope.
    if (!caller || caller.kind === 'anonymous') return next.handle();
    const scope = caller.tenantId ?? OPERATOR_SCOPE;
    const route = req.routeOptions?.url ?? req.url;
    const hash = IdempotencyStore.fingerprint(req.method, `${route} ${req.url}`, req.body);
    return from(this.store.claim(scope, key, hash)).pipe(
      switchMap((claim) => {
        if (claim.kind === 'claimed') {
          req.idempotency = { scope, key };
          return next.handle();
        }
        void reply.status(claim.statusCode).header('idempotent-replayed', 'true');
        const body = JSON.parse(claim.body) as { type?: string };
        if (claim.statusCode >= 400 && body?.type) void reply.header('content-type', 'application/problem+json');
        return of(body);
      }),
    );
  }
}

/** Stores the final response of a claimed request, whatever produced it (handler or error filter). */
export function installIdempotencyRecorder(fastify: FastifyInstance, store: () => IdempotencyStore): void {
  fastify.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = undefined;
    try {
      if (reply.statusCode >= 500) await store().release(claim.scope, claim.key);
      else await store().complete(claim.scope, claim.key, reply.statusCode, typeof payload === 'string' ? payload : JSON.stringify(payload ?? null));
    } catch (err) {
      logger().error({ err }, 'could not record the idempotent response');
    }
    return payload;
  });
}
