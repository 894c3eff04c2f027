import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { RpcClient } from '@steward/messaging';
import type { ReadinessCheck } from '@steward/telemetry';
import type { GatewayConfig } from './config';
import { AuthGuard } from './auth/auth.guard';
import { AccessTokens } from './auth/jwt';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { RateLimitStorage } from './auth/rate-limit.storage';
import { ProblemFilter } from './http/problem.filter';
import { ZodPipe } from './http/zod.pipe';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import type { IdempotencyStore } from './idempotency/idempotency.repository';
import { ROUTE_CONTROLLERS } from './routes';
import { GATEWAY_CONFIG, IDEMPOTENCY, READINESS, RPC, TOKENS } from './tokens';

export interface GatewayDeps {
  config: GatewayConfig;
  rpc: RpcClient;
  idempotency: IdempotencyStore;
  readiness: Record<string, ReadinessCheck>;
}

@Global()
@Module({})
class InfrastructureModule {
  static with(deps: GatewayDeps): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: deps.config },
        { provide: RPC, useValue: deps.rpc },
        { provide: IDEMPOTENCY, useValue: deps.idempotency },
        { provide: READINESS, useValue: deps.readiness },
        { provide: TOKENS, useValue: new AccessTokens(deps.config.jwtSecret, deps.config.accessTokenTtlSeconds) },
      ],
      exports: [GATEWAY_CONFIG, RPC, IDEMPOTENCY, READINESS, TOKENS],
    };
  }
}

/**
 * Guards run in order: authenticate first, then rate-limit the caller's bucket, then claim
 * (or replay) the Idempotency-Key.
 */
@Module({})
export class GatewayModule {
  static with(deps: GatewayDeps): DynamicModule {
    const { rateLimit } = deps.config;
    return {
      module: GatewayModule,
      imports: [
        InfrastructureModule.with(deps),
        ThrottlerModule.forRoot({
          // The library's semantics in constant time per request (rate-limit.storage.ts).
          storage: new RateLimitStorage(),
          // The library's key without its sha256: the store is an in-process Map.
          generateKey: (ctx, tracker, name) => `${ctx.getClass().name}-${ctx.getHandler().name}-${name}-${tracker}`,
          throttlers: [
            {
              name: 'default',
              ttl: rateLimit.windowSeconds * 1000,
              limit: (ctx) => {
                const kind = ctx.switchToHttp().getRequest<FastifyRequest>().caller?.kind;
                return kind === 'api-key' ? rateLimit.perApiKey : kind === 'user' || kind === 'operator' ? rateLimit.perTenant : rateLimit.anonymous;
              },
            },
          ],
        }),
      ],
      controllers: ROUTE_CONTROLLERS,
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: IdempotencyGuard },
        { provide: APP_PIPE, useClass: ZodPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
