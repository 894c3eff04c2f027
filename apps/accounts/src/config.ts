import { z } from 'zod';
import { MAX_ROTATION_OVERLAP_SECONDS } from '@steward/contracts';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The accounts service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, ACCOUNTS_DB_ROLE…). Parsed once at boot; a bad value stops the
 * service naming the variable.
 */
export const AccountsSettings = z
  .object({
    /** argon2id memory cost in KiB (OWASP minimum 19 MiB); tests lower it. */
    PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
    REFRESH_TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
    /** Quiet time after the last revenue change before a tenant is re-tiered. */
    TIERING_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
    /** A tenant whose revenue keeps changing is still re-tiered this long after the first change. */
    TIERING_MAX_DELAY_MS: z.coerce.number().int().min(0).max(24 * 3_600_000).default(30_000),
    /** Rows per import step (one transaction each). */
    IMPORT_CHUNK_ROWS: z.coerce.number().int().min(1).max(1000).default(500),
    /** An import whose rows are not all uploaded by then fails with a reason. */
    IMPORT_UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(1000).max(24 * 3_600_000).default(10 * 60_000),
    /** How long a rotated API key keeps working beside its successor when the rotation does not say. */
    API_KEY_ROTATION_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(MAX_ROTATION_OVERLAP_SECONDS).default(24 * 3600),
    /** The longest overlap a rotation may ask for. */
    API_KEY_ROTATION_MAX_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(MAX_ROTATION_OVERLAP_SECONDS).default(7 * 24 * 3600),
  })
  .refine((e) => e.API_KEY_ROTATION_OVERLAP_SECONDS <= e.API_KEY_ROTATION_MAX_OVERLAP_SECONDS, {
    path: ['API_KEY_ROTATION_OVERLAP_SECONDS'],
    message: 'must not exceed API_KEY_ROTATION_MAX_OVERLAP_SECONDS',
  })
  .transform((e) => ({
    passwordMemoryKib: e.PASSWORD_HASH_MEMORY_KIB,
    refreshTokenTtlHours: e.REFRESH_TOKEN_TTL_HOURS,
    tieringDebounceMs: e.TIERING_DEBOUNCE_MS,
    tieringMaxDelayMs: e.TIERING_MAX_DELAY_MS,
    importChunkRows: e.IMPORT_CHUNK_ROWS,
    importUploadTimeoutMs: e.IMPORT_UPLOAD_TIMEOUT_MS,
    apiKeyRotation: { defaultOverlapSeconds: e.API_KEY_ROTATION_OVERLAP_SECONDS, maxOverlapSeconds: e.API_KEY_ROTATION_MAX_OVERLAP_SECONDS },
  }));

export type AccountsSettings = z.output<typeof AccountsSettings>;
export type AccountsConfig = ServiceConfig<AccountsSettings>;
