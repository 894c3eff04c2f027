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
import { MediaTypeGuard, PreconditionGuard } from './http/conventions';
import { ProblemFilter } from './http/problem.filter';
import { ZodPipe } from './http/zod.pipe';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { ROUTE_CONTROLLERS } from './routes';
import { WebhooksModule } from './webhooks/webhooks.module';
import type { WebhooksService } from './webhooks/webhooks.service';
import { API_KEYS, COUNTERS, GATEWAY_CONFIG, IDENTITY, READINESS, RPC, TOKENS } from './tokens';

export interface GatewayDeps {
  config: GatewayConfig;
  rpc: RpcClient;
  readiness: Record<string, ReadinessCheck>;
  counters: SharedCounters;
  identity: IdentityFeed;
  apiKeys: ApiKeyVerifier;
  /** Absent only where no request is served (offline OpenAPI generation): the routes exist, their handlers are not usable. */
  webhooks?: WebhooksService;
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
 * Guards run in order: refuse a body the route does not accept (415), authenticate
 * (throttling failed attempts), rate-limit the caller's buckets (tenant or partner, and client
 * address; shared by every replica), evaluate If-Match (412), then claim (or replay) the
 * Idempotency-Key.
 */
@Module({})
export class GatewayModule {
  static with(deps: GatewayDeps): DynamicModule {
    return {
      module: GatewayModule,
      imports: [InfrastructureModule.with(deps), WebhooksModule.with(deps.webhooks)],
      controllers: ROUTE_CONTROLLERS,
      providers: [
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: PreconditionGuard },
        { provide: APP_GUARD, useClass: IdempotencyGuard },
        { provide: APP_PIPE, useClass: ZodPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
