import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import {
  CancelSubscriptionRequest,
  CATALOG_STATUSES,
  ChangeSubscriptionRequest,
  ConvertTrialRequest,
  CreateBundleRequest,
  CreatePlanRequest,
  CreateProductRequest,
  CreateSubscriptionRequest,
  Cursor,
  ImportKpiReadingsRequest,
  PRODUCT_KINDS,
  PRODUCT_PURPOSES,
  RecordKpiReadingRequest,
  RecordUsageRequest,
  RenamePlanRequest,
  RevisePlanRequest,
  SetPriceBookEntryRequest,
  StartSettlementRunRequest,
  StartTrialRequest,
  SUBSCRIPTION_STATUSES,
  TRIAL_STATUS_VALUES,
  UpdateProductRequest,
} from '@steward/contracts';

// HTTP bodies reuse the catalog's NATS contract schemas; path ids come from the URL, never the body.
const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
};
const uuid = z.uuid();
const instant = z.iso.datetime({ offset: true });

export class ListProductsQuery extends createZodDto(
  z.strictObject({ ...page, kind: z.enum(PRODUCT_KINDS).optional(), purpose: z.enum(PRODUCT_PURPOSES).optional(), status: z.enum(CATALOG_STATUSES).optional() }),
) {}
export class CreateProductBody extends createZodDto(CreateProductRequest) {}
export class UpdateProductBody extends createZodDto(UpdateProductRequest.omit({ id: true })) {}

export class ListPlansQuery extends createZodDto(z.strictObject({ ...page, productId: uuid.optional(), status: z.enum(CATALOG_STATUSES).optional() })) {}
export class ProductPlansQuery extends createZodDto(z.strictObject({ ...page, status: z.enum(CATALOG_STATUSES).optional() })) {}
export class CreatePlanBody extends createZodDto(CreatePlanRequest.omit({ productId: true })) {}
export class RevisePlanBody extends createZodDto(RevisePlanRequest.omit({ id: true })) {}
export class RenamePlanBody extends createZodDto(RenamePlanRequest.omit({ id: true })) {}

export class PriceBookQuery extends createZodDto(z.strictObject({ ...page, planId: uuid.optional(), partnerId: uuid.optional() })) {}
export class SetPriceBookBody extends createZodDto(SetPriceBookEntryRequest) {}
export class OffersQuery extends createZodDto(z.strictObject({ ...page, productId: uuid.optional(), kind: z.enum(PRODUCT_KINDS).optional() })) {}

export class BundlesQuery extends createZodDto(z.strictObject({ ...page, status: z.enum(CATALOG_STATUSES).optional(), industry: z.string().max(100).optional() })) {}
export class CreateBundleBody extends createZodDto(CreateBundleRequest) {}

export class SubscriptionsQuery extends createZodDto(z.strictObject({ ...page, accountId: uuid.optional(), planId: uuid.optional(), status: z.enum(SUBSCRIPTION_STATUSES).optional() })) {}
export class CreateSubscriptionBody extends createZodDto(CreateSubscriptionRequest) {}
export class ChangeSubscriptionBody extends createZodDto(ChangeSubscriptionRequest.omit({ id: true })) {}
export class CancelSubscriptionBody extends createZodDto(CancelSubscriptionRequest.omit({ id: true })) {}

export class TrialsQuery extends createZodDto(z.strictObject({ ...page, accountId: uuid.optional(), status: z.enum(TRIAL_STATUS_VALUES).optional() })) {}
export class StartTrialBody extends createZodDto(StartTrialRequest) {}
export class ConvertTrialBody extends createZodDto(ConvertTrialRequest.omit({ id: true })) {}
export class FunnelQuery extends createZodDto(z.strictObject({ from: instant.optional(), to: instant.optional(), productId: uuid.optional() })) {}

export class RecordUsageBody extends createZodDto(RecordUsageRequest.omit({ subscriptionId: true })) {}
export class UsageSummaryQuery extends createZodDto(z.strictObject({ at: instant.optional() })) {}
export class RecordKpiReadingBody extends createZodDto(RecordKpiReadingRequest.omit({ subscriptionId: true })) {}
export class KpiReadingsQuery extends createZodDto(z.strictObject({ period: z.string().max(10).optional() })) {}
export class ImportKpiReadingsBody extends createZodDto(ImportKpiReadingsRequest) {}
export class SettleBody extends createZodDto(z.strictObject({ period: z.string().min(4).max(10) })) {}
export class SettlementsQuery extends createZodDto(z.strictObject({ ...page, subscriptionId: uuid.optional(), period: z.string().max(10).optional() })) {}
export class SettlementRunBody extends createZodDto(StartSettlementRunRequest) {}
export class EntitlementsQuery extends createZodDto(z.strictObject({ projectId: uuid.optional() })) {}
