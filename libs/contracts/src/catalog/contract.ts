import { z } from 'zod';
import { page } from '../common';
import { defineService, event, rpc } from '../define';
import { EntitlementsChangedEvent, EntitlementSetDto, GetEntitlementsRequest } from './entitlements';
import * as p from './products';
import * as s from './subscriptions';

export * from './entitlements';
export * from './products';
export * from './subscriptions';

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * The catalog service (DOMAIN.md §3): service products, versioned plans and prices of four
 * kinds, bundles, channel price books, trials, subscriptions, usage, outcome contracts and
 * their settlements, and the entitlements support routes and times tickets by.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const catalogContract = defineService('catalog', {
  rpc: {
    productCreate: rpc('product.create.v1', p.CreateProductRequest, p.ProductDto, 'Create a service product (draft)'),
    productUpdate: rpc('product.update.v1', p.UpdateProductRequest, p.ProductDto, 'Change a product (optimistic concurrency)'),
    productGet: rpc('product.get.v1', p.CatalogIdRequest, p.ProductDto, 'One product'),
    productList: rpc('product.list.v1', p.ListProductsRequest, page(p.ProductDto), 'Products with filters, keyset pages'),
    productPublish: rpc('product.publish.v1', p.CatalogIdRequest, p.ProductDto, 'Publish a draft product (idempotent)'),
    productRetire: rpc('product.retire.v1', p.CatalogIdRequest, p.ProductDto, 'Retire a product: no new subscriptions or trials (idempotent)'),
    planCreate: rpc('plan.create.v1', p.CreatePlanRequest, p.PlanDto, 'Create a plan with its first version (draft)'),
    planRevise: rpc('plan.revise.v1', p.RevisePlanRequest, p.PlanDto, 'A new version of a plan (price, grants, trial); existing versions and subscriptions never change'),
    planRename: rpc('plan.rename.v1', p.RenamePlanRequest, p.PlanDto, 'Rename a plan'),
    planGet: rpc('plan.get.v1', p.CatalogIdRequest, p.PlanDto, 'One plan with its current version'),
    planList: rpc('plan.list.v1', p.ListPlansRequest, page(p.PlanDto), 'Plans, keyset pages'),
    planVersions: rpc('plan-version.list.v1', p.ListPlanVersionsRequest, items(p.PlanVersionDto), "Every version of a plan, oldest first"),
    planPublish: rpc('plan.publish.v1', p.CatalogIdRequest, p.PlanDto, 'Publish a draft plan of an active product (idempotent)'),
    planRetire: rpc('plan.retire.v1', p.CatalogIdRequest, p.PlanDto, 'Retire a plan: no new subscriptions (idempotent)'),
    priceBookSet: rpc('price-book.set.v1', p.SetPriceBookEntryRequest, p.PriceBookEntryDto, "Set a partner's (or partner kind's) price for a plan version"),
    priceBookList: rpc('price-book.list.v1', p.ListPriceBookRequest, page(p.PriceBookEntryDto), 'Price book entries (partners: their own)'),
    priceBookDelete: rpc('price-book.delete.v1', p.CatalogIdRequest, p.PriceBookEntryDto, 'Remove a price book entry'),
    offerList: rpc('offer.list.v1', p.ListOffersRequest, page(p.OfferDto), 'Active plans at the caller’s prices (partners: their price book)'),
    bundleCreate: rpc('bundle.create.v1', p.CreateBundleRequest, p.BundleDto, 'Create an industry bundle of plans with a discount'),
    bundleGet: rpc('bundle.get.v1', p.CatalogIdRequest, p.BundleDto, 'One bundle, priced from its components’ current versions'),
    bundleList: rpc('bundle.list.v1', p.ListBundlesRequest, page(p.BundleDto), 'Bundles, keyset pages'),
    bundlePublish: rpc('bundle.publish.v1', p.CatalogIdRequest, p.BundleDto, 'Publish a bundle (idempotent)'),
    bundleRetire: rpc('bundle.retire.v1', p.CatalogIdRequest, p.BundleDto, 'Retire a bundle (idempotent)'),
    subscriptionCreate: rpc('subscription.create.v1', s.CreateSubscriptionRequest, s.SubscriptionDto, 'Subscribe an account (or project) to a plan'),
    subscriptionGet: rpc('subscription.get.v1', s.SubscriptionIdRequest, s.SubscriptionDto, 'One subscription'),
    subscriptionList: rpc('subscription.list.v1', s.ListSubscriptionsRequest, page(s.SubscriptionDto), 'Subscriptions, keyset pages'),
    subscriptionChange: rpc('subscription.change.v1', s.ChangeSubscriptionRequest, s.ChangeSubscriptionResponse, 'Change seats or plan version now, prorated'),
    subscriptionRenew: rpc('subscription.renew.v1', s.SubscriptionIdRequest, s.SubscriptionDto, 'Renew a manual-renewal subscription for one more term'),
    subscriptionCancel: rpc('subscription.cancel.v1', s.CancelSubscriptionRequest, s.SubscriptionDto, 'Cancel at the first term end the notice period allows (idempotent)'),
    subscriptionHistory: rpc('subscription.history.v1', s.SubscriptionIdRequest, s.SubscriptionHistoryDto, "A subscription's status history"),
    trialStart: rpc('trial.start.v1', s.StartTrialRequest, s.TrialDto, 'Start a free trial of a plan'),
    trialConvert: rpc('trial.convert.v1', s.ConvertTrialRequest, s.ConvertTrialResponse, 'Convert an active trial into a paid subscription'),
    trialGet: rpc('trial.get.v1', s.SubscriptionIdRequest, s.TrialDto, 'One trial'),
    trialList: rpc('trial.list.v1', s.ListTrialsRequest, page(s.TrialDto), 'Trials, keyset pages'),
    trialFunnel: rpc('trial.funnel.v1', s.TrialFunnelRequest, s.TrialFunnelDto, 'Trials started, active, converted, lapsed and time to convert, per product and channel'),
    usageRecord: rpc('usage.record.v1', s.RecordUsageRequest, s.RecordUsageResponse, 'Record metered usage (idempotent by external id)'),
    usageSummary: rpc('usage.summary.v1', s.UsageSummaryRequest, s.UsageSummaryDto, "A billing period's usage and its price"),
    kpiReadingRecord: rpc('kpi-reading.record.v1', s.RecordKpiReadingRequest, s.KpiReadingDto, 'Enter a KPI reading of an outcome contract'),
    kpiReadingImport: rpc('kpi-reading.import.v1', s.ImportKpiReadingsRequest, s.ImportKpiReadingsResponse, 'Import KPI readings (idempotent by external id)'),
    kpiReadingList: rpc('kpi-reading.list.v1', s.ListKpiReadingsRequest, items(s.KpiReadingDto), "An outcome contract's KPI readings"),
    settlementSettle: rpc('settlement.settle.v1', s.SettleSubscriptionRequest, s.SettlementDto, 'Settle one outcome contract for one period now'),
    settlementList: rpc('settlement.list.v1', s.ListSettlementsRequest, page(s.SettlementDto), 'Settlements with their inputs, keyset pages'),
    settlementRunStart: rpc('settlement-run.start.v1', s.StartSettlementRunRequest, s.SettlementRunDto, "Settle every outcome contract of the tenant for a period (a durable job)"),
    settlementRunGet: rpc('settlement-run.get.v1', p.CatalogIdRequest, s.SettlementRunDto, 'Progress and problems of a settlement run'),
    entitlementGet: rpc('entitlement.get.v1', GetEntitlementsRequest, EntitlementSetDto, "An account's (or project's) effective entitlements now"),
  },
  events: {
    productPublished: event('product.published.v1', p.ProductChangedEvent, 'A product was published'),
    productRetired: event('product.retired.v1', p.ProductChangedEvent, 'A product was retired'),
    subscriptionStarted: event('subscription.started.v1', s.SubscriptionChangedEvent, 'A subscription started'),
    subscriptionChanged: event('subscription.changed.v1', s.SubscriptionUpdatedEvent, 'A subscription changed seats or plan version (prorated)'),
    subscriptionRenewed: event('subscription.renewed.v1', s.SubscriptionChangedEvent, 'A subscription entered a new term'),
    subscriptionCancelled: event('subscription.cancelled.v1', s.SubscriptionChangedEvent, 'A cancellation was requested; it takes effect at `cancelAt`'),
    subscriptionEnded: event('subscription.ended.v1', s.SubscriptionChangedEvent, 'A subscription ended (cancelled or expired)'),
    trialStarted: event('trial.started.v1', s.TrialChangedEvent, 'A trial started'),
    trialConverted: event('trial.converted.v1', s.TrialChangedEvent, 'A trial converted into a paid subscription'),
    trialLapsed: event('trial.lapsed.v1', s.TrialChangedEvent, 'A trial ended without converting'),
    entitlementsChanged: event('entitlements.changed.v1', EntitlementsChangedEvent, "An account's or project's effective entitlements changed (the full new set)"),
    usageRecorded: event('usage.recorded.v1', s.UsageRecordedEvent, 'Metered usage was recorded'),
    settlementComputed: event('settlement.computed.v1', s.SettlementComputedEvent, 'An outcome contract was settled for a period (or settled again with other inputs)'),
  },
  errors: {
    CatalogCodeTaken: 'CATALOG_CODE_TAKEN',
    CatalogInvalidState: 'CATALOG_INVALID_STATE',
    CatalogCurrencyMismatch: 'CATALOG_CURRENCY_MISMATCH',
    UsageRecordConflict: 'USAGE_RECORD_CONFLICT',
    KpiReadingConflict: 'KPI_READING_CONFLICT',
    SettlementNotPossible: 'SETTLEMENT_NOT_POSSIBLE',
  },
});
