import { z } from 'zod';
import { Uuid } from '@steward/contracts';
import { defineJob } from '@steward/service-kit';

/**
 * A ticket's SLA timer: due when its next warning threshold or deadline comes (the jobs
 * table's `run_at` index is the index of due times; several replicas claim side by side).
 * WARNING: stored kind.
 */
export const SlaTimerJob = defineJob('support.sla-timer', z.object({ ticketId: Uuid }), { maxAttempts: 10, timeoutMs: 60_000 });

/** Re-applies a policy version to a tenant's open tickets, a page per step. WARNING: stored kind. */
export const ReapplyPolicyJob = defineJob('support.policy-reapply', z.object({ version: z.number().int().min(0), after: Uuid.nullable() }), { maxAttempts: 5 });
