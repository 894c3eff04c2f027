import { z } from 'zod';
import { serviceRoles } from '@steward/persistence';
import { parseEnv, type Env } from '@steward/service-kit';
import { parseAllowance, type AddressAllowance } from './address-policy';
import type { RetrySchedule } from './retry-schedule';

const roles = serviceRoles('gateway');
const ms = (def: number, min = 1, max = 30 * 86_400_000) => z.coerce.number().int().min(min).max(max).default(def);

/** The gateway's webhook variables (docs/webhooks.md, root README's configuration table). */
const WebhookEnv = z.object({
  /**
   * `false` (default): endpoints must be https and resolve only to public addresses; `true`:
   * any address and http too (local development); or addresses and CIDR ranges allowed besides
   * public ones (`127.0.0.1/32,::1`), which also allows http (tests).
   */
  STEWARD_WEBHOOKS_ALLOW_PRIVATE: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      try {
        return parseAllowance(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Encrypts endpoints' signing secrets at rest (≥ 32 characters); unset: a key derived from STEWARD_CONTEXT_KEY. */
  STEWARD_WEBHOOKS_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The key before the current one, still decrypting during a rotation of the key. */
  STEWARD_WEBHOOKS_SECRET_KEY_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Connect + response time allowed to one attempt. */
  WEBHOOKS_TIMEOUT_MS: ms(10_000, 100, 120_000),
  /** At most this much of a response is read (the rest is dropped, the connection closed). */
  WEBHOOKS_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  /** Attempts in flight at once per gateway process. */
  WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Longest wait before due deliveries (another replica's, or retries) are looked for. */
  WEBHOOKS_POLL_MS: ms(1_000, 10, 60_000),
  /** A claimed delivery is another replica's to take after this (its process died mid-attempt); must exceed the timeout. */
  WEBHOOKS_LEASE_MS: ms(60_000, 200, 3_600_000),
  /** Retry schedule: first delay, doubling up to the cap (±20 % jitter), for at least the window after the first attempt. */
  WEBHOOKS_RETRY_BASE_MS: ms(30_000),
  WEBHOOKS_RETRY_MAX_DELAY_MS: ms(6 * 3_600_000),
  WEBHOOKS_RETRY_WINDOW_MS: ms(72 * 3_600_000),
  /** An endpoint is disabled when at least this many attempts in a row failed… */
  WEBHOOKS_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(100_000).default(20),
  /** …and no attempt has succeeded for this long. */
  WEBHOOKS_DISABLE_AFTER_MS: ms(72 * 3_600_000, 0),
  /** Default overlap of a secret rotation: the previous secret signs beside the new one this long. */
  WEBHOOKS_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(7 * 86_400).default(86_400),
  /** Deliveries, their attempts and events are kept this long. */
  WEBHOOKS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Roles the delivery scheduler (every tenant's deliveries, scheduling columns only) and partners' transactions assume. */
  GATEWAY_DB_RELAY_ROLE: z.string().default(roles.relay),
  GATEWAY_DB_PARTNER_ROLE: z.string().min(1).default(roles.partner),
  /** Signs the cursors of the webhook lists: the same on every replica (as for every service). */
  STEWARD_CURSOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
});

export interface WebhookSettings {
  allowPrivate: AddressAllowance;
  secretKeys: { current?: string; previous?: string };
  timeoutMs: number;
  maxResponseBytes: number;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  retry: RetrySchedule;
  disableAfterFailures: number;
  disableAfterMs: number;
  secretOverlapSeconds: number;
  retentionDays: number;
  relayRole: string | null;
  partnerRole: string;
  cursorKey?: string;
}

export function loadWebhookSettings(env: Env): WebhookSettings {
  const c = parseEnv(
    WebhookEnv.refine((v) => v.WEBHOOKS_LEASE_MS > v.WEBHOOKS_TIMEOUT_MS, { path: ['WEBHOOKS_LEASE_MS'], message: 'must be longer than WEBHOOKS_TIMEOUT_MS' }),
    env,
    'gateway',
  );
  return {
    allowPrivate: c.STEWARD_WEBHOOKS_ALLOW_PRIVATE,
    secretKeys: { current: c.STEWARD_WEBHOOKS_SECRET_KEY, previous: c.STEWARD_WEBHOOKS_SECRET_KEY_PREVIOUS },
    timeoutMs: c.WEBHOOKS_TIMEOUT_MS,
    maxResponseBytes: c.WEBHOOKS_MAX_RESPONSE_BYTES,
    concurrency: c.WEBHOOKS_CONCURRENCY,
    pollMs: c.WEBHOOKS_POLL_MS,
    leaseMs: c.WEBHOOKS_LEASE_MS,
    retry: { baseMs: c.WEBHOOKS_RETRY_BASE_MS, maxDelayMs: c.WEBHOOKS_RETRY_MAX_DELAY_MS, windowMs: c.WEBHOOKS_RETRY_WINDOW_MS },
    disableAfterFailures: c.WEBHOOKS_DISABLE_AFTER_FAILURES,
    disableAfterMs: c.WEBHOOKS_DISABLE_AFTER_MS,
    secretOverlapSeconds: c.WEBHOOKS_SECRET_OVERLAP_SECONDS,
    retentionDays: c.WEBHOOKS_RETENTION_DAYS,
    relayRole: c.GATEWAY_DB_RELAY_ROLE || null,
    partnerRole: c.GATEWAY_DB_PARTNER_ROLE,
    cursorKey: c.STEWARD_CURSOR_KEY,
  };
}
