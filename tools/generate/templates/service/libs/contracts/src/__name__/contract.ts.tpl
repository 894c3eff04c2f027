import { z } from 'zod';
import { page, PageRequest, Uuid } from '../common';
import { defineService, event, rpc } from '../define';

// ---- sample (replace with the service's first real feature) ----

export const {{Name}}SampleDto = z.object({ id: Uuid, label: z.string(), createdBy: z.string(), createdAt: z.iso.datetime() });
export type {{Name}}SampleDto = z.infer<typeof {{Name}}SampleDto>;
export const Create{{Name}}SampleRequest = z.strictObject({ label: z.string().trim().min(1).max(200) });
export type Create{{Name}}SampleRequest = z.infer<typeof Create{{Name}}SampleRequest>;

/**
 * The {{name}} service's contract: every subject it serves or emits, declared once.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const {{camel}}Contract = defineService('{{name}}', {
  rpc: {
    sampleCreate: rpc('sample.create.v1', Create{{Name}}SampleRequest, {{Name}}SampleDto, 'Create a sample'),
    sampleList: rpc('sample.list.v1', PageRequest, page({{Name}}SampleDto), 'Samples, one page'),
  },
  events: {
    sampleCreated: event('sample.created.v1', z.object({ sample: {{Name}}SampleDto }), 'A sample was created'),
  },
  errors: {},
});
