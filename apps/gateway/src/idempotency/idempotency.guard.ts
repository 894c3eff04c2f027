import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StewardError } from '@steward/contracts';
import { logger } from '@steward/telemetry';
import { IDEMPOTENCY } from '../tokens';
import { IdempotencyStore, OPERATOR_SCOPE } from './idempotency.repository';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{1,255}$/;
const STATE_CHANGING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

/**
 * The stored response of an earlier request with the same Idempotency-Key. Thrown by
 * {@link IdempotencyGuard} so that neither validation nor the handler runs; the problem
 * filter sends it as it was first answered.
 */
export class IdempotentReplay {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {}

  send(reply: FastifyReply): void {
    const body = JSON.parse(this.body) as { type?: string } | null;
    void reply.status(this.statusCode).header('idempotent-replayed', 'true');
    if (this.statusCode >= 400 && body?.type) void reply.header('content-type', 'application/problem+json');
    void reply.send(body);
  }
}

/**
 * Claims the Idempotency-Key of a state-changing request (the last guard: after auth, so
 * the key is scoped to the caller's tenant, and after the rate limit) or replays the stored
 * response. The response itself is stored by {@link installIdempotencyRecorder} once it is
 * serialised, errors included.
 *
 * A guard rather than an interceptor: one global interceptor puts every request of every
 * route through Nest's rxjs interceptor chain, most of them without a key
 * (docs/benchmarks.md, write path).
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(@Inject(IDEMPOTENCY) private readonly store: IdempotencyStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = req.headers[HEADER];
    if (raw === undefined || !STATE_CHANGING.has(req.method)) return true;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!KEY.test(key)) {
      throw StewardError.validation([{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1–255 characters of letters, digits and . _ : -' }]);
    }
    const caller = req.caller;
    // Login and refresh change nothing a retry could double; anonymous keys have no scope.
    if (!caller || caller.kind === 'anonymous') return true;
    const scope = caller.tenantId ?? OPERATOR_SCOPE;
    const route = req.routeOptions?.url ?? req.url;
    const hash = IdempotencyStore.fingerprint(req.method, `${route} ${req.url}`, req.body);
    const claim = await this.store.claim(scope, key, hash);
    if (claim.kind === 'replay') throw new IdempotentReplay(claim.statusCode, claim.body);
    req.idempotency = { scope, key };
    return true;
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
