import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { RpcClient } from '@steward/messaging';
import type { ReadinessCheck } from '@steward/telemetry';
import type { GatewayConfig } from './config';
import type { ApiKeyVerifier } from './auth/api-keys';
import { AuthFailures } from './auth/auth-failures';
import { AuthGuard } from './auth/auth.guard';
import type { IdentityFeed } from './auth/identity-feed';
import { AccessTokens } from './auth/jwt';
import { RateLimitGuard } from './limits/rate-limit.guard';
import type { SharedCounters } from './limits/shared-counters';
import { ProblemFilter } from './http/problem.filter';
import { ZodPipe } from './http/zod.pipe';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { ROUTE_CONTROLLERS } from './routes';
import { API_KEYS, COUNTERS, GATEWAY_CONFIG, IDENTITY, READINESS, RPC, TOKENS } from './tokens';

export interface GatewayDeps {
  config: GatewayConfig;
  rpc: RpcClient;
  readiness: Record<string, ReadinessCheck>;
  counters: SharedCounters;
  identity: IdentityFeed;
  apiKeys: ApiKeyVerifier;
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
        { provide: READINESS, useValue: deps.readiness },
        { provide: TOKENS, useValue: new AccessTokens(deps.config.jwtSecret, deps.config.accessTokenTtlSeconds) },
        { provide: COUNTERS, useValue: deps.counters },
        { provide: IDENTITY, useValue: deps.identity },
        { provide: API_KEYS, useValue: deps.apiKeys },
        AuthFailures,
      ],
      exports: [GATEWAY_CONFIG, RPC, READINESS, TOKENS, COUNTERS, IDENTITY, API_KEYS, AuthFailures],
    };
  }
}

/**
 * Guards run in order: authenticate first (throttling failed attempts), then rate-limit
 * the caller's buckets (tenant or partner, and client address; shared by every replica),
 * then claim (or replay) the Idempotency-Key.
 */
@Module({})
export class GatewayModule {
  static with(deps: GatewayDeps): DynamicModule {
    return {
      module: GatewayModule,
      imports: [InfrastructureModule.with(deps)],
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
