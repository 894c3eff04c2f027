import { z } from 'zod';
import { Uuid } from '@steward/contracts';
import { defineJob } from '@steward/service-kit';

/**
 * Durable jobs of the surveys feature (docs/adr/0014-durable-jobs.md).
 * WARNING: the kinds are stored in `feedback.jobs`.
 */

/** Sends the reminders of a batch of invitations that are still unanswered when it runs. */
export const RemindInvitationsJob = defineJob('feedback.remind', z.object({ invitationIds: z.array(Uuid).min(1).max(1000) }), { maxAttempts: 5 });
