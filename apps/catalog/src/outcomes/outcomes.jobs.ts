import { z } from 'zod';
import { defineJob } from '@steward/service-kit';

/** Settles every outcome contract of a tenant for one period, in steps of `CATALOG_SETTLEMENT_PAGE` contracts. */
export const SettlementRunJob = defineJob('catalog.settlement-run', z.object({ runId: z.uuid() }), { maxAttempts: 5, timeoutMs: 30 * 60_000 });
