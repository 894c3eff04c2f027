import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, StewardError } from '@steward/contracts';
import { Metrics } from '@steward/telemetry';
import type { GatewayConfig } from '../config';
import type { Caller } from '../http/request-context';
import { COUNTERS, GATEWAY_CONFIG } from '../tokens';
import type { SharedCounters } from './shared-counters';

/** A rate-limit bucket a request counts against: its scope names it in the 429. */
interface Budget {
  scope: 'tenant' | 'partner' | 'ip' | 'anonymous-ip';
  bucket: string;
  limit: number;
}

/**
 * Rate limits across all routes, shared by every gateway replica (SharedCounters): each
 * request counts against its client address (`RATE_LIMIT_PER_IP`; public routes also
 * against `RATE_LIMIT_ANONYMOUS`), a user's against their tenant (`RATE_LIMIT_PER_TENANT`),
 * a partner key's against its partner, whichever key it uses (`RATE_LIMIT_PER_PARTNER`).
 * The route is in no bucket's name, so rotating routes or keys gains nothing, and the
 * client address is the TCP peer unless the request came through a trusted proxy
 * (`TRUSTED_PROXIES`). A request is counted only if every bucket has room; otherwise 429
 * with Retry-After, naming the bucket that is full. Runs after AuthGuard (which binds the caller).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windowMs: number;

  constructor(
    @Inject(COUNTERS) private readonly counters: SharedCounters,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const budgets = this.budgets(req.caller, req.ip);
    for (const b of budgets) {
      const v = this.counters.peek(b.bucket, b.limit, this.windowMs);
      if (!v.allowed) throw this.refuse(context.switchToHttp().getResponse<FastifyReply>(), b, v.retryAfterSeconds);
    }
    for (const b of budgets) this.counters.take(b.bucket, b.limit, this.windowMs);
    return true;
  }

  private budgets(caller: Caller | undefined, ip: string): Budget[] {
    const rl = this.config.rateLimit;
    const budgets: Budget[] = [{ scope: 'ip', bucket: `ip:${ip}`, limit: rl.perIp }];
    if (!caller || caller.kind === 'anonymous') budgets.push({ scope: 'anonymous-ip', bucket: `anon:${ip}`, limit: rl.anonymous });
    else if (caller.kind === 'api-key' && caller.actor.kind === 'api-key') budgets.push({ scope: 'partner', bucket: `partner:${caller.tenantId}:${caller.actor.partnerId}`, limit: rl.perPartner });
    else if (caller.kind === 'user') budgets.push({ scope: 'tenant', bucket: `tenant:${caller.tenantId}`, limit: rl.perTenant });
    else if (caller.kind === 'operator') budgets.push({ scope: 'tenant', bucket: 'operator', limit: rl.perTenant });
    return budgets;
  }

  private refuse(reply: FastifyReply, b: Budget, retryAfterSeconds: number): StewardError {
    Metrics.rateLimited().inc({ scope: b.scope });
    void reply.header('retry-after', String(retryAfterSeconds));
    const who = { tenant: 'this tenant', partner: 'this partner (all its API keys)', ip: 'this client address', 'anonymous-ip': 'unauthenticated requests from this client address' }[b.scope];
    const rule = `at most ${b.limit} requests per ${this.config.rateLimit.windowSeconds} s`;
    return new StewardError(ErrorCode.RateLimited, `Too many requests for ${who} (${rule}): retry after ${retryAfterSeconds} s`, {
      errors: [{ field: b.scope, rule: 'rate-limit', message: rule }],
      retryAfterSeconds,
    });
  }
}
