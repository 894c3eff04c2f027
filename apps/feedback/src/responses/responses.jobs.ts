import { z } from 'zod';
import { defineJob } from '@steward/service-kit';

/** WARNING: the kind is stored in `feedback.jobs`. Adds queued responses to the rollups, a batch per step; debounced per tenant. */
export const RefreshRollupsJob = defineJob('feedback.rollup', z.object({}), { maxAttempts: 10, timeoutMs: 10 * 60_000 });
