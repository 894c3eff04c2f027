import { z } from 'zod';
import { BaseEnv, Env, parseEnv, platformSecurity, PlatformSecurity } from '@steward/service-kit';

/** The kit's base variables (DATABASE_URL, NATS_URL, STEWARD_NATS_PREFIX, LOG_LEVEL, DB_POOL_MAX) and the gateway's own. */
const Schema = BaseEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  GATEWAY_DB_ROLE: z.string().default('steward_gateway'),
  STEWARD_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(900),
  /** Enables `POST /v1/tenants` for the platform operator; unset disables it. */
  STEWARD_OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(6000),
  RATE_LIMIT_PER_API_KEY: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(1).default(300),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Revenue batches of 10,000 rows and CSV imports need more than ordinary bodies. */
  IMPORT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(32 * 1_048_576),
});

export interface GatewayConfig extends PlatformSecurity {
  port: number;
  host: string;
  databaseUrl: string;
  dbRole: string | null;
  dbPoolMax: number;
  natsUrl: string;
  natsPrefix: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  operatorToken: string | null;
  rateLimit: { windowSeconds: number; perTenant: number; perApiKey: number; anonymous: number };
  rpcTimeoutMs: number;
  bodyLimitBytes: number;
  importBodyLimitBytes: number;
  logLevel: string;
}

/** Reads and validates the environment once at boot; a bad value stops the gateway with its name. */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const c = parseEnv(Schema, env, 'gateway');
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dbRole: c.GATEWAY_DB_ROLE || null,
    dbPoolMax: c.DB_POOL_MAX,
    natsUrl: c.NATS_URL,
    natsPrefix: c.STEWARD_NATS_PREFIX,
    ...platformSecurity(c),
    jwtSecret: c.STEWARD_JWT_SECRET,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
    operatorToken: c.STEWARD_OPERATOR_TOKEN ?? null,
    rateLimit: { windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS, perTenant: c.RATE_LIMIT_PER_TENANT, perApiKey: c.RATE_LIMIT_PER_API_KEY, anonymous: c.RATE_LIMIT_ANONYMOUS },
    rpcTimeoutMs: c.RPC_TIMEOUT_MS,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    importBodyLimitBytes: c.IMPORT_BODY_LIMIT_BYTES,
    logLevel: c.LOG_LEVEL,
  };
}
