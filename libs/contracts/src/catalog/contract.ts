import { z } from 'zod';
import { page, PageRequest, Uuid } from '../common';
import { defineService, event, rpc } from '../define';
import { EntitlementsChangedEvent, EntitlementSetDto, GetEntitlementsRequest } from './entitlements';

export * from './entitlements';

// ---- sample (replace with the service's first real feature) ----

export const CatalogSampleDto = z.object({ id: Uuid, label: z.string(), createdBy: z.string(), createdAt: z.iso.datetime() });
export type CatalogSampleDto = z.infer<typeof CatalogSampleDto>;
export const CreateCatalogSampleRequest = z.strictObject({ label: z.string().trim().min(1).max(200) });
export type CreateCatalogSampleRequest = z.infer<typeof CreateCatalogSampleRequest>;

/**
 * The catalog service's contract: every subject it serves or emits, declared once.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const catalogContract = defineService('catalog', {
  rpc: {
    sampleCreate: rpc('sample.create.v1', CreateCatalogSampleRequest, CatalogSampleDto, 'Create a sample'),
    sampleList: rpc('sample.list.v1', PageRequest, page(CatalogSampleDto), 'Samples, one page'),
    entitlementGet: rpc('entitlement.get.v1', GetEntitlementsRequest, EntitlementSetDto, "An account's (or project's) effective entitlements now"),
  },
  events: {
    sampleCreated: event('sample.created.v1', z.object({ sample: CatalogSampleDto }), 'A sample was created'),
    entitlementsChanged: event('entitlements.changed.v1', EntitlementsChangedEvent, "An account's or project's effective entitlements changed (the full new set)"),
  },
  errors: {},
});
