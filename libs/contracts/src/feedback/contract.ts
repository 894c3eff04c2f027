import { z } from 'zod';
import { page, PageRequest, Uuid } from '../common';
import { defineService, event, rpc } from '../define';

// ---- sample (replace with the service's first real feature) ----

export const FeedbackSampleDto = z.object({ id: Uuid, label: z.string(), createdBy: z.string(), createdAt: z.iso.datetime() });
export type FeedbackSampleDto = z.infer<typeof FeedbackSampleDto>;
export const CreateFeedbackSampleRequest = z.strictObject({ label: z.string().trim().min(1).max(200) });
export type CreateFeedbackSampleRequest = z.infer<typeof CreateFeedbackSampleRequest>;

/**
 * The feedback service's contract: every subject it serves or emits, declared once.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const feedbackContract = defineService('feedback', {
  rpc: {
    sampleCreate: rpc('sample.create.v1', CreateFeedbackSampleRequest, FeedbackSampleDto, 'Create a sample'),
    sampleList: rpc('sample.list.v1', PageRequest, page(FeedbackSampleDto), 'Samples, one page'),
  },
  events: {
    sampleCreated: event('sample.created.v1', z.object({ sample: FeedbackSampleDto }), 'A sample was created'),
  },
  errors: {},
});
