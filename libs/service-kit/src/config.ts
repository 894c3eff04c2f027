import { z } from 'zod';
import { ContextKeys, MIN_CONTEXT_KEY_BYTES, NatsAuth } from '@steward/messaging';
import { serviceRoles } from '@steward/persistence';
import { DEFAULT_JOB_SETTINGS, type JobRunnerSettings } from './jobs/job';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every Steward process reads (services and the gateway). */
export const BaseEnv = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/steward'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Prepended to every subject and stream; isolates test runs on a shared NATS. Empty in production. */
  STEWARD_NATS_PREFIX: z.string().default(''),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** `off` behind a connection pooler in transaction mode (PgBouncer < 1.21): no prepared statements (docs/adr/0031-prepared-statements.md). */
  DB_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  /**
   * Signs the tenant/actor context of every message this process sends and verifies what
   * it receives (docs/adr/0010-signed-message-context.md). The same key everywhere; required.
   */
  STEWARD_CONTEXT_KEY: contextKey(),
  /** The key before the current one, still accepted while a rotation rolls out. */
  STEWARD_CONTEXT_KEY_PREVIOUS: contextKey().optional(),
  /** A request signed longer ago than this (or this far in the future) is refused as a replay. */
  STEWARD_CONTEXT_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** This process's own NATS credentials (each service has its own, with least-privilege permissions). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_TOKEN: z.string().min(1).optional(),
  /** A `.creds` file (servers in operator/JWT mode). */
  NATS_CREDS: z.string().min(1).optional(),
  /** TLS to NATS: the CA that signed the server certificate, and a client certificate if the server asks for one. */
  NATS_TLS_CA: z.string().min(1).optional(),
  NATS_TLS_CERT: z.string().min(1).optional(),
  NATS_TLS_KEY: z.string().min(1).optional(),
});

function contextKey() {
  return z.string().refine((k) => Buffer.byteLength(k, 'utf8') >= MIN_CONTEXT_KEY_BYTES, `must be at least ${MIN_CONTEXT_KEY_BYTES} bytes`);
}

/** What every process knows about the platform's trust boundary: its NATS credentials and the context keys. */
export interface PlatformSecurity {
  natsAuth: NatsAuth;
  contextKeys: ContextKeys;
  contextMaxAgeMs: number;
}

/** Maps the base variables to {@link PlatformSecurity} (the gateway's config uses it too). */
export function platformSecurity(base: z.output<typeof BaseEnv>): PlatformSecurity {
  const tls = { caFile: base.NATS_TLS_CA, certFile: base.NATS_TLS_CERT, keyFile: base.NATS_TLS_KEY };
  return {
    natsAuth: {
      user: base.NATS_USER,
      pass: base.NATS_PASSWORD,
      token: base.NATS_TOKEN,
      credsFile: base.NATS_CREDS,
      ...(Object.values(tls).some(Boolean) ? { tls } : {}),
    },
    contextKeys: { current: base.STEWARD_CONTEXT_KEY, previous: base.STEWARD_CONTEXT_KEY_PREVIOUS },
    contextMaxAgeMs: base.STEWARD_CONTEXT_MAX_AGE_SECONDS * 1000,
  };
}

/** What every NATS service is configured with. `app` holds the service's own settings. */
export interface ServiceConfig<App = unknown> {
  service: string;
  databaseUrl: string;
  /** Roles assumed by the runtime, relay and partner connections (null: the login role as is). */
  dbRoles: { app: string | null; relay: string | null; partner: string };
  dbPoolMax: number;
  /** Repeated statements run prepared (`DB_PREPARED_STATEMENTS`, ADR 31). */
  dbPreparedStatements: boolean;
  natsUrl: string;
  natsPrefix: string;
  /** NATS credentials and TLS (none against an unauthenticated server). */
  natsAuth: NatsAuth;
  /** Sign every outgoing request and event; verify every incoming one. */
  contextKeys: ContextKeys;
  contextMaxAgeMs: number;
  opsPort: number;
  opsHost: string;
  logLevel: string;
  /** Check every reply against its response schema (tests). */
  checkResponses: boolean;
  /** Copies of each JetStream stream (`STEWARD_STREAM_REPLICAS`). */
  streamReplicas: number;
  /** How the durable job runner schedules (JOBS_*); defaults where absent. */
  jobs?: Partial<JobRunnerSettings>;
  /** Signs list cursors (STEWARD_CURSOR_KEY); absent: a random key per process, with a warning. */
  cursorKey?: string;
  app: App;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** `support` → `SUPPORT`: the prefix of a service's own variables. */
export const envPrefix = (service: string): string => service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** The base schema of one service: the common variables, its ops endpoint and its database roles. */
export function serviceEnvSchema(service: string, defaultOpsPort = 9101) {
  const p = envPrefix(service);
  const roles = serviceRoles(service);
  return BaseEnv.extend({
    OPS_PORT: z.coerce.number().int().min(0).max(65535).default(defaultOpsPort),
    OPS_HOST: z.string().default('0.0.0.0'),
    /** Assumed by every runtime connection; empty to use the login role as is (it must not own the tables). */
    [`${p}_DB_ROLE`]: z.string().default(roles.app),
    [`${p}_DB_RELAY_ROLE`]: z.string().default(roles.relay),
    /** Partner API keys' transactions switch to this role; the login role must be a member. */
    [`${p}_DB_PARTNER_ROLE`]: z.string().min(1).default(roles.partner),
    /** Copies of each JetStream stream: 1 on a single NATS server, 3 on a cluster (applied to existing streams too). */
    STEWARD_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    /** Check every reply against its response schema (end-to-end tests); off in production. */
    STEWARD_CHECK_RESPONSES: z.enum(['true', 'false']).default('false'),
    /** Durable jobs (docs/adr/0014-durable-jobs.md): attempts run at once per process, poll, lease, retry backoff. */
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULT_JOB_SETTINGS.concurrency),
    JOBS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(DEFAULT_JOB_SETTINGS.pollMs),
    JOBS_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(DEFAULT_JOB_SETTINGS.leaseMs),
    JOBS_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(DEFAULT_JOB_SETTINGS.retryBaseMs),
    /** HMAC key of list cursors: the same on every replica, so a cursor works on any of them. */
    STEWARD_CURSOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  });
}

/** Parses an environment against a schema; a bad value stops the process naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env, what: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid ${what} configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Reads and validates a service's configuration once at boot: the base variables and the
 * service's own (`appEnv`, a zod schema over the environment that maps it to typed settings).
 * The only place a service reads `process.env`.
 */
export function loadServiceConfig<App>(service: string, appEnv: z.ZodType<App, unknown> | undefined, env: Env = process.env, defaultOpsPort?: number): ServiceConfig<App> {
  const base = parseEnv(serviceEnvSchema(service, defaultOpsPort), env, service) as z.output<typeof BaseEnv> & Record<string, string | number>;
  const p = envPrefix(service);
  const app = appEnv ? parseEnv(appEnv, env, service) : (undefined as App);
  return {
    service,
    databaseUrl: base.DATABASE_URL,
    dbRoles: {
      app: String(base[`${p}_DB_ROLE`]) || null,
      relay: String(base[`${p}_DB_RELAY_ROLE`]) || null,
      partner: String(base[`${p}_DB_PARTNER_ROLE`]),
    },
    dbPoolMax: base.DB_POOL_MAX,
    dbPreparedStatements: base.DB_PREPARED_STATEMENTS === 'on',
    natsUrl: base.NATS_URL,
    natsPrefix: base.STEWARD_NATS_PREFIX,
    ...platformSecurity(base),
    opsPort: Number(base.OPS_PORT),
    opsHost: String(base.OPS_HOST),
    logLevel: base.LOG_LEVEL,
    checkResponses: base.STEWARD_CHECK_RESPONSES === 'true',
    streamReplicas: Number(base.STEWARD_STREAM_REPLICAS),
    jobs: {
      concurrency: Number(base.JOBS_CONCURRENCY),
      pollMs: Number(base.JOBS_POLL_MS),
      leaseMs: Number(base.JOBS_LEASE_MS),
      retryBaseMs: Number(base.JOBS_RETRY_BASE_MS),
    },
    cursorKey: base.STEWARD_CURSOR_KEY === undefined ? undefined : String(base.STEWARD_CURSOR_KEY),
    app,
  };
}

/** Migrations need only the database URL, not the settings the full config demands. */
export function readMigrationUrl(env: Env = process.env): string {
  return parseEnv(BaseEnv.pick({ DATABASE_URL: true }), env, 'migration').DATABASE_URL;
}
