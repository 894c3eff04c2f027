import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The feedback service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, FEEDBACK_DB_ROLE…); injected with `@Inject(SERVICE_CONFIG)` (`config.app`).
 */
export const FeedbackSettings = z
  .object({
    /** Where respondents answer: the invitation link is this followed by the token. */
    FEEDBACK_LINK_BASE: z.url().default('http://127.0.0.1:3000/v1/feedback/respond/'),
    /** Answers older than this (imported history) open no follow-up case. */
    FEEDBACK_LOOP_WINDOW_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    /** How long the rollup job waits for more responses to add in one step (debounce). */
    FEEDBACK_ROLLUP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    /** Responses added to the rollups per step (one transaction). */
    FEEDBACK_ROLLUP_BATCH: z.coerce.number().int().min(10).max(100_000).default(5000),
  })
  .transform((e) => ({ linkBase: e.FEEDBACK_LINK_BASE, loopWindowDays: e.FEEDBACK_LOOP_WINDOW_DAYS, rollupDelayMs: e.FEEDBACK_ROLLUP_DELAY_MS, rollupBatch: e.FEEDBACK_ROLLUP_BATCH }));

export type FeedbackSettings = z.output<typeof FeedbackSettings>;
export type FeedbackConfig = ServiceConfig<FeedbackSettings>;

/** Settings for tests and tools (what the schema gives an empty environment). */
export const defaultFeedbackSettings = (): FeedbackSettings => FeedbackSettings.parse({});
