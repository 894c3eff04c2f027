import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@steward/contracts';
import { RequestContext, runWithContext } from '@steward/telemetry';

/** What the auth guard learns about the caller, kept on the request. */
export interface Caller {
  kind: 'anonymous' | 'user' | 'api-key' | 'operator';
  tenantId?: string;
  actor: Actor;
  /** rate-limit bucket */
  tracker: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    stewardContext: RequestContext;
    caller?: Caller;
  }
}

const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Every request runs inside its own mutable RequestContext (AsyncLocalStorage), so the
 * auth guard can fill in tenant and actor later and everything downstream (NATS headers,
 * logs) sees them.
 */
export function installRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const given = req.headers[CORRELATION_HEADER];
    const correlationId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
    const ctx: RequestContext = { actor: { kind: 'system', id: 'anonymous' }, correlationId };
    req.stewardContext = ctx;
    void reply.header(CORRELATION_HEADER, correlationId);
    runWithContext(ctx, done);
  });
}

/** Binds the caller to the request context. */
export function bindCaller(req: FastifyRequest, caller: Caller): void {
  req.caller = caller;
  req.stewardContext.tenantId = caller.tenantId;
  req.stewardContext.actor = caller.actor;
}

/** Injects the authenticated caller into a controller method. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!req.caller) throw new Error('no caller bound: is the route missing an @Access decorator?');
  return req.caller;
});
