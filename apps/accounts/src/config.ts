import { z } from 'zod';

const Schema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/steward'),
  /** Assumed by every runtime connection; empty to use the login role as is (it must not own the tables). */
  ACCOUNTS_DB_ROLE: z.string().default('steward_accounts'),
  ACCOUNTS_DB_RELAY_ROLE: z.string().default('steward_accounts_relay'),
  /** Partner API keys' transactions switch to this role; the login role must be a member. */
  ACCOUNTS_DB_PARTNER_ROLE: z.string().default('steward_accounts_partner'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  STEWARD_NATS_PREFIX: z.string().default(''),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9101),
  OPS_HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** argon2id memory cost in KiB (OWASP minimum 19 MiB); tests lower it. */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  REFRESH_TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  /** Quiet time after the last revenue change before a tenant is re-tiered. */
  TIERING_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
});

export type AccountsConfig = {
  databaseUrl: string;
  dbRole: string | null;
  dbRelayRole: string | null;
  dbPartnerRole: string;
  dbPoolMax: number;
  natsUrl: string;
  natsPrefix: string;
  opsPort: number;
  opsHost: string;
  logLevel: string;
  passwordMemoryKib: number;
  refreshTokenTtlHours: number;
  tieringDebounceMs: number;
  /** The service clock (tests pin it). */
  clock: () => Date;
};

/** Reads and validates the environment once at boot; a bad value stops the service with its name. */
export function loadAccountsConfig(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  const parsed = Schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid accounts configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    dbRole: c.ACCOUNTS_DB_ROLE || null,
    dbRelayRole: c.ACCOUNTS_DB_RELAY_ROLE || null,
    dbPartnerRole: c.ACCOUNTS_DB_PARTNER_ROLE,
    dbPoolMax: c.DB_POOL_MAX,
    natsUrl: c.NATS_URL,
    natsPrefix: c.STEWARD_NATS_PREFIX,
    opsPort: c.OPS_PORT,
    opsHost: c.OPS_HOST,
    logLevel: c.LOG_LEVEL,
    passwordMemoryKib: c.PASSWORD_HASH_MEMORY_KIB,
    refreshTokenTtlHours: c.REFRESH_TOKEN_TTL_HOURS,
    tieringDebounceMs: c.TIERING_DEBOUNCE_MS,
    clock: () => new Date(),
  };
}
