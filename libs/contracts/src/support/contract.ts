import { z } from 'zod';
import { page, PageRequest, Uuid } from '../common';
import { defineService, event, rpc } from '../define';

// ---- sample (replace with the service's first real feature) ----

export const SupportSampleDto = z.object({ id: Uuid, label: z.string(), createdBy: z.string(), createdAt: z.iso.datetime() });
export type SupportSampleDto = z.infer<typeof SupportSampleDto>;
export const CreateSupportSampleRequest = z.strictObject({ label: z.string().trim().min(1).max(200) });
export type CreateSupportSampleRequest = z.infer<typeof CreateSupportSampleRequest>;

/**
 * The support service's contract: every subject it serves or emits, declared once.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const supportContract = defineService('support', {
  rpc: {
    sampleCreate: rpc('sample.create.v1', CreateSupportSampleRequest, SupportSampleDto, 'Create a sample'),
    sampleList: rpc('sample.list.v1', PageRequest, page(SupportSampleDto), 'Samples, one page'),
  },
  events: {
    sampleCreated: event('sample.created.v1', z.object({ sample: SupportSampleDto }), 'A sample was created'),
  },
  errors: {},
});
