import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The feedback service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, FEEDBACK_DB_ROLE…). Add a variable here, map it to a typed field,
 * and inject it with `@Inject(SERVICE_CONFIG) config: FeedbackConfig` (`config.app`).
 */
export const FeedbackSettings = z.object({}).transform(() => ({}));

export type FeedbackSettings = z.output<typeof FeedbackSettings>;
export type FeedbackConfig = ServiceConfig<FeedbackSettings>;
