import { z } from 'zod';
import { defineJob } from '@steward/service-kit';

/**
 * The end of a subscription's current term (or its scheduled cancellation, or a one-off's
 * validity): renew, expire or end it then. One job waits per subscription (debounced on
 * `term:<id>`); a job that finds the time not yet reached by the service's clock re-schedules itself.
 */
export const SubscriptionTermJob = defineJob('catalog.subscription-term', z.object({ subscriptionId: z.uuid() }), { maxAttempts: 10 });

/** The end of a trial: it lapses unless it was converted. */
export const TrialEndJob = defineJob('catalog.trial-end', z.object({ trialId: z.uuid() }), { maxAttempts: 10 });
