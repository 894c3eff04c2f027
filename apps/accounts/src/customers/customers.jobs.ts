import { z } from 'zod';
import { Uuid } from '@steward/contracts';
import { defineJob } from '@steward/service-kit';

/**
 * The customers feature's durable jobs (docs/adr/0014-durable-jobs.md).
 * WARNING: the kinds are stored in `accounts.jobs`.
 */

/** Processes the staged rows of one CSV import, chunk by chunk; the job id is the import id. */
export const ImportAccountsJob = defineJob('accounts.import', z.object({ importId: Uuid }), { maxAttempts: 5, timeoutMs: 30 * 60_000 });

/** Re-tiers one tenant after revenue changed; debounced per tenant. */
export const RetierTenantJob = defineJob('accounts.retier', z.object({}), { maxAttempts: 5, timeoutMs: 10 * 60_000 });
