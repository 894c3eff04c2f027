import { z } from 'zod';
import { Uuid } from '@steward/contracts';
import { defineJob } from '@steward/service-kit';

/** WARNING: the kind is stored in `feedback.jobs`. Opens the support case of a follow-up (retried while support is unavailable). */
export const OpenSupportCaseJob = defineJob('feedback.loop-case', z.object({ loopId: Uuid }), { maxAttempts: 12, timeoutMs: 60_000 });
