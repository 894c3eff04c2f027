import path from 'node:path';
import { z } from 'zod';
import { BaseEnv, Env, parseEnv, platformSecurity, PlatformSecurity } from '@steward/service-kit';
import { findRepoRoot } from './repo-root';
import { loadWebhookSettings, type WebhookSettings } from './webhooks/webhooks.settings';

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
  /** Requests per window of one tenant's users, across all routes. */
  RATE_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(6000),
  /** Requests per window of one partner, across all its API keys and routes. */
  RATE_LIMIT_PER_PARTNER: z.coerce.number().int().min(1).optional(),
  /** The former name of RATE_LIMIT_PER_PARTNER (still read when that is unset). */
  RATE_LIMIT_PER_API_KEY: z.coerce.number().int().min(1).optional(),
  /** Requests per window from one client address, whoever sends them. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(6000),
  /** Unauthenticated requests (public routes: login, refresh, …) per window from one client address. */
  RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(1).default(300),
  /** How often each replica adds its hits to the shared counters and reads the others' (docs/adr/0012-shared-rate-limit-counters.md). */
  RATE_LIMIT_SYNC_MS: z.coerce.number().int().min(10).max(10_000).default(100),
  /**
   * Proxies whose X-Forwarded-For is believed, comma-separated: addresses, CIDR ranges or
   * `loopback`, `linklocal`, `uniquelocal`. Empty (the default): the client address is the
   * TCP peer and X-Forwarded-For is ignored, so it cannot dodge the per-IP limits.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .refine((list) => list.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(p)), 'must be addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated'),
  /** Failed authentications (password, refresh token, API key, access token, operator token) allowed per window… */
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** …from one client address, */
  AUTH_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  /** …and against one credential (an e-mail, an API key, a refresh token); then 429 until the window passes. */
  AUTH_FAILURES_PER_CREDENTIAL: z.coerce.number().int().min(1).default(10),
  /** How long a verified API key is trusted without asking accounts (revocations arrive sooner as events); 0 disables. */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Tenants whose id always labels the per-tenant metrics (those with per-tenant SLOs), comma-separated. */
  METRICS_TENANTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean)),
  /** Other tenants labelled by id per process, first seen first; the rest are `other` (bounded cardinality, docs/observability.md). */
  METRICS_TENANT_LIMIT: z.coerce.number().int().min(0).max(1000).default(100),
  RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Revenue batches of 10,000 rows and CSV imports need more than ordinary bodies. */
  IMPORT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(32 * 1_048_576),
  /** How long a CSV import request waits for its job before answering 202 with a Location to poll (0: at once). */
  IMPORT_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Where /healthz, /readyz and /metrics are served, apart from the API (Prometheus scrapes here; /metrics is not on PORT). */
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9100),
  OPS_HOST: z.string().default('0.0.0.0'),
  /**
   * Browser origins allowed to call the API (CORS), comma-separated and exact (`https://portal.example.com`),
   * or `*` for any; empty (the default): no CORS headers, browsers on other origins are refused.
   */
  STEWARD_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), 'must be origins (scheme://host[:port]) or *, comma-separated'),
  /** How long a browser may cache a CORS preflight answer. */
  STEWARD_CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** The API's public base URL, as the OpenAPI document's `servers` shows it (e.g. https://api.example.com). */
  STEWARD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The portal's build (index.html, assets/) served at `/` (docs/adr/0029-portal-served-by-the-gateway.md).
   * Unset: `<repository root>/dist/portal` in a checkout (`npm run build` makes it), none elsewhere;
   * empty: no portal.
   */
  STEWARD_PORTAL_DIR: z.string().optional(),
  /** Check every response against the OpenAPI document and log each mismatch (the tests turn it on). */
  STEWARD_CHECK_OPENAPI: z.enum(['true', 'false']).default('false'),
});

export interface GatewayConfig extends PlatformSecurity {
  port: number;
  host: string;
  databaseUrl: string;
  dbRole: string | null;
  dbPoolMax: number;
  /** Repeated statements run prepared (`DB_PREPARED_STATEMENTS`, ADR 31). */
  dbPreparedStatements: boolean;
  natsUrl: string;
  natsPrefix: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  operatorToken: string | null;
  rateLimit: { windowSeconds: number; perTenant: number; perPartner: number; perIp: number; anonymous: number; syncMs: number };
  /** Client addresses (or ranges) whose X-Forwarded-For is believed; empty: none. */
  trustedProxies: string[];
  authFailures: { windowSeconds: number; perIp: number; perCredential: number };
  apiKeyCacheSeconds: number;
  /** Per-tenant metrics: tenants always labelled by id, and how many others may be. */
  metricsTenants: { always: string[]; limit: number };
  rpcTimeoutMs: number;
  bodyLimitBytes: number;
  importBodyLimitBytes: number;
  importWaitMs: number;
  /** The ops listener: /healthz, /readyz, /metrics. */
  opsPort: number;
  opsHost: string;
  /** CORS: exact origins allowed (or `*`); empty: none. */
  cors: { origins: string[]; maxAgeSeconds: number };
  publicUrl?: string;
  /** The portal's build directory served at `/`; null: no portal. */
  portalDir: string | null;
  checkOpenApi: boolean;
  /** Webhooks: outbound policy, timeouts, retry schedule, auto-disable, secrets (webhooks/webhooks.settings.ts). */
  webhooks: WebhookSettings;
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
    dbPreparedStatements: c.DB_PREPARED_STATEMENTS === 'on',
    natsUrl: c.NATS_URL,
    natsPrefix: c.STEWARD_NATS_PREFIX,
    ...platformSecurity(c),
    jwtSecret: c.STEWARD_JWT_SECRET,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
    operatorToken: c.STEWARD_OPERATOR_TOKEN ?? null,
    rateLimit: {
      windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS,
      perTenant: c.RATE_LIMIT_PER_TENANT,
      perPartner: c.RATE_LIMIT_PER_PARTNER ?? c.RATE_LIMIT_PER_API_KEY ?? 1200,
      perIp: c.RATE_LIMIT_PER_IP,
      anonymous: c.RATE_LIMIT_ANONYMOUS,
      syncMs: c.RATE_LIMIT_SYNC_MS,
    },
    trustedProxies: c.TRUSTED_PROXIES,
    authFailures: { windowSeconds: c.AUTH_FAILURE_WINDOW_SECONDS, perIp: c.AUTH_FAILURES_PER_IP, perCredential: c.AUTH_FAILURES_PER_CREDENTIAL },
    apiKeyCacheSeconds: c.API_KEY_CACHE_SECONDS,
    metricsTenants: { always: c.METRICS_TENANTS, limit: c.METRICS_TENANT_LIMIT },
    rpcTimeoutMs: c.RPC_TIMEOUT_MS,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    importBodyLimitBytes: c.IMPORT_BODY_LIMIT_BYTES,
    importWaitMs: c.IMPORT_WAIT_MS,
    opsPort: c.OPS_PORT,
    opsHost: c.OPS_HOST,
    cors: { origins: c.STEWARD_CORS_ORIGINS, maxAgeSeconds: c.STEWARD_CORS_MAX_AGE_SECONDS },
    publicUrl: c.STEWARD_PUBLIC_URL?.replace(/\/+$/, ''),
    portalDir: portalDirOf(c.STEWARD_PORTAL_DIR),
    checkOpenApi: c.STEWARD_CHECK_OPENAPI === 'true',
    webhooks: loadWebhookSettings(env),
    logLevel: c.LOG_LEVEL,
  };
}

/**
 * Fastify's `trustProxy` for the configured proxies: X-Forwarded-For is believed only when
 * the TCP peer is one of them; none configured (the default): never.
 */
export function trustProxyOf(config: Pick<GatewayConfig, 'trustedProxies'>): string[] | false {
  return config.trustedProxies.length > 0 ? config.trustedProxies : false;
}

/** STEWARD_PORTAL_DIR as given (empty: none), or the checkout's dist/portal whether built yet or not. */
function portalDirOf(value: string | undefined): string | null {
  if (value !== undefined) return value.trim() === '' ? null : path.resolve(value.trim());
  const root = findRepoRoot();
  return root === null ? null : path.join(root, 'dist', 'portal');
}
