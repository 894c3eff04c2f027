import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users, UsersOrPartners } from '../auth/access';
import { CreatedAt, expectedVersion, IfMatchVersion, NoLocation } from '../http/conventions';
import { UuidParam } from '../http/uuid.pipe';
import { RPC } from '../tokens';
import * as d from './catalog.dtos';
import { Returns } from '../openapi/returns';

const s = Subjects.catalog;
const MANAGERS = ['admin', 'manager'] as const;
const SELLERS = ['admin', 'manager', 'csm'] as const;

/**
 * The catalog service's routes: thin adapters, one NATS request each. Partners (X-Api-Key) read
 * the published catalog at their prices and sell to the accounts they lead; another partner's
 * account answers 404.
 */
@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  // ---- products ----

  @Get('products')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Service products (partners: published ones), cursor pages' })
  @Returns(s.productList)
  listProducts(@Query() q: d.ListProductsQuery) {
    return this.rpc.request(s.productList, q);
  }

  @Post('products')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Create a service product (draft)' })
  @Returns(s.productCreate)
  createProduct(@Body() body: d.CreateProductBody) {
    return this.rpc.request(s.productCreate, body);
  }

  @Get('products/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One product' })
  @Returns(s.productGet)
  getProduct(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.productGet, { id });
  }

  @Patch('products/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Change a product; send its ETag as If-Match (or expectedVersion) for optimistic concurrency' })
  @Returns(s.productUpdate)
  updateProduct(@Param('id', UuidParam) id: string, @Body() body: d.UpdateProductBody, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.productUpdate, { ...body, id, ...expectedVersion(body.expectedVersion, ifMatch) });
  }

  @Post('products/:id/publish')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Publish a draft product (idempotent)' })
  @Returns(s.productPublish)
  publishProduct(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.productPublish, { id });
  }

  @Post('products/:id/retire')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Retire a product: nothing new is sold, running subscriptions go on (idempotent)' })
  @Returns(s.productRetire)
  retireProduct(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.productRetire, { id });
  }

  @Get('products/:id/plans')
  @UsersOrPartners()
  @ApiOperation({ operationId: 'listProductPlans', summary: "A product's plans" })
  @Returns(s.planList)
  productPlans(@Param('id', UuidParam) productId: string, @Query() q: d.ProductPlansQuery) {
    return this.rpc.request(s.planList, { ...q, productId });
  }

  @Post('products/:id/plans')
  @CreatedAt('/v1/catalog/plans/{id}')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Create a plan of the product with its first version (one-off, subscription, usage or outcome price)' })
  @Returns(s.planCreate)
  createPlan(@Param('id', UuidParam) productId: string, @Body() body: d.CreatePlanBody) {
    return this.rpc.request(s.planCreate, { ...body, productId });
  }

  // ---- plans ----

  @Get('plans')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Plans with their current version, cursor pages' })
  @Returns(s.planList)
  listPlans(@Query() q: d.ListPlansQuery) {
    return this.rpc.request(s.planList, q);
  }

  @Get('plans/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One plan with its current version' })
  @Returns(s.planGet)
  getPlan(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.planGet, { id });
  }

  @Patch('plans/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Rename a plan (prices change through a new version)' })
  @Returns(s.planRename)
  renamePlan(@Param('id', UuidParam) id: string, @Body() body: d.RenamePlanBody) {
    return this.rpc.request(s.planRename, { ...body, id });
  }

  @Get('plans/:id/versions')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Every version of a plan, oldest first' })
  @Returns(s.planVersions)
  planVersions(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.planVersions, { id });
  }

  @Post('plans/:id/versions')
  @NoLocation() // a version is read with its plan
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'A new version (price, grants, trial): existing versions and subscriptions never change' })
  @Returns(s.planRevise)
  revisePlan(@Param('id', UuidParam) id: string, @Body() body: d.RevisePlanBody) {
    return this.rpc.request(s.planRevise, { ...body, id });
  }

  @Post('plans/:id/publish')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Publish a plan of a published product (idempotent)' })
  @Returns(s.planPublish)
  publishPlan(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.planPublish, { id });
  }

  @Post('plans/:id/retire')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Retire a plan (idempotent)' })
  @Returns(s.planRetire)
  retirePlan(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.planRetire, { id });
  }

  // ---- price books and offers ----

  @Get('price-book')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Channel price book entries (partners: their own and their kind’s)' })
  @Returns(s.priceBookList)
  priceBook(@Query() q: d.PriceBookQuery) {
    return this.rpc.request(s.priceBookList, q);
  }

  @Post('price-book')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: "Set a partner's (or partner kind's) price for a plan version (replaces an earlier one)" })
  @Returns(s.priceBookSet, { errors: [404] }) // an id in the body that is not in the caller's scope
  setPrice(@Body() body: d.SetPriceBookBody) {
    return this.rpc.request(s.priceBookSet, body);
  }

  @Delete('price-book/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Remove a price book entry' })
  @Returns(s.priceBookDelete)
  deletePrice(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.priceBookDelete, { id });
  }

  @Get('offers')
  @UsersOrPartners()
  @ApiOperation({ summary: "Everything for sale at the caller's price (partners: their price book, else the list)" })
  @Returns(s.offerList)
  offers(@Query() q: d.OffersQuery) {
    return this.rpc.request(s.offerList, q);
  }

  // ---- bundles ----

  @Get('bundles')
  @Users()
  @ApiOperation({ summary: 'Industry bundles, priced from their components' })
  @Returns(s.bundleList)
  listBundles(@Query() q: d.BundlesQuery) {
    return this.rpc.request(s.bundleList, q);
  }

  @Post('bundles')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Create an industry bundle of plans with a discount' })
  @Returns(s.bundleCreate, { errors: [404] }) // an id in the body that is not in the caller's scope
  createBundle(@Body() body: d.CreateBundleBody) {
    return this.rpc.request(s.bundleCreate, body);
  }

  @Get('bundles/:id')
  @Users()
  @ApiOperation({ summary: 'One bundle: list total, discount, price per component, entry price unbundled' })
  @Returns(s.bundleGet)
  getBundle(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.bundleGet, { id });
  }

  @Post('bundles/:id/publish')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Publish a bundle (idempotent)' })
  @Returns(s.bundlePublish)
  publishBundle(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.bundlePublish, { id });
  }

  @Post('bundles/:id/retire')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Retire a bundle (idempotent)' })
  @Returns(s.bundleRetire)
  retireBundle(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.bundleRetire, { id });
  }

  // ---- subscriptions ----

  @Get('subscriptions')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Subscriptions (partners: of the accounts they lead), cursor pages' })
  @Returns(s.subscriptionList)
  listSubscriptions(@Query() q: d.SubscriptionsQuery) {
    return this.rpc.request(s.subscriptionList, q);
  }

  @Post('subscriptions')
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Subscribe an account (or project) to a plan at the caller’s price' })
  @Returns(s.subscriptionCreate, { errors: [404] }) // an id in the body that is not in the caller's scope
  createSubscription(@Body() body: d.CreateSubscriptionBody) {
    return this.rpc.request(s.subscriptionCreate, body);
  }

  @Get('subscriptions/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One subscription' })
  @Returns(s.subscriptionGet)
  getSubscription(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.subscriptionGet, { id });
  }

  @Post('subscriptions/:id/change')
  @HttpCode(200)
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Change seats or plan version now, prorated for the rest of the term' })
  @Returns(s.subscriptionChange)
  changeSubscription(@Param('id', UuidParam) id: string, @Body() body: d.ChangeSubscriptionBody, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.subscriptionChange, { ...body, id, ...expectedVersion(body.expectedVersion, ifMatch) });
  }

  @Post('subscriptions/:id/renew')
  @HttpCode(200)
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Confirm the next term of a manual-renewal subscription (idempotent)' })
  @Returns(s.subscriptionRenew)
  renewSubscription(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.subscriptionRenew, { id });
  }

  @Post('subscriptions/:id/cancel')
  @HttpCode(200)
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Cancel at the first term end the notice period allows (idempotent)' })
  @Returns(s.subscriptionCancel)
  cancelSubscription(@Param('id', UuidParam) id: string, @Body() body: d.CancelSubscriptionBody) {
    return this.rpc.request(s.subscriptionCancel, { ...body, id });
  }

  @Get('subscriptions/:id/history')
  @UsersOrPartners()
  @ApiOperation({ summary: "A subscription's status history" })
  @Returns(s.subscriptionHistory)
  history(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.subscriptionHistory, { id });
  }

  @Post('subscriptions/:id/usage')
  @NoLocation() // usage is read as the subscription's usage list
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Record metered usage (idempotent by externalId: a repeat answers replayed: true)' })
  @Returns(s.usageRecord)
  recordUsage(@Param('id', UuidParam) subscriptionId: string, @Body() body: d.RecordUsageBody) {
    return this.rpc.request(s.usageRecord, { ...body, subscriptionId });
  }

  @Get('subscriptions/:id/usage')
  @Users()
  @ApiOperation({ summary: "A billing period's usage and its price (tiers or volume)" })
  @Returns(s.usageSummary)
  usageSummary(@Param('id', UuidParam) subscriptionId: string, @Query() q: d.UsageSummaryQuery) {
    return this.rpc.request(s.usageSummary, { ...q, subscriptionId });
  }

  @Post('subscriptions/:id/kpi-readings')
  @NoLocation() // readings are read as the subscription's list
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Enter a KPI reading of an outcome contract (idempotent with externalId)' })
  @Returns(s.kpiReadingRecord)
  recordReading(@Param('id', UuidParam) subscriptionId: string, @Body() body: d.RecordKpiReadingBody) {
    return this.rpc.request(s.kpiReadingRecord, { ...body, subscriptionId });
  }

  @Get('subscriptions/:id/kpi-readings')
  @Users()
  @ApiOperation({ summary: "An outcome contract's KPI readings (of one period)" })
  @Returns(s.kpiReadingList)
  readings(@Param('id', UuidParam) subscriptionId: string, @Query() q: d.KpiReadingsQuery) {
    return this.rpc.request(s.kpiReadingList, { ...q, subscriptionId });
  }

  @Post('kpi-readings::import')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Import up to 1,000 KPI readings (idempotent by externalId; per-row errors)' })
  @Returns(s.kpiReadingImport)
  importReadings(@Body() body: d.ImportKpiReadingsBody) {
    return this.rpc.request(s.kpiReadingImport, body);
  }

  @Post('subscriptions/:id/settlements')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Settle an outcome contract for a period now (inputs shown)' })
  @Returns(s.settlementSettle)
  settle(@Param('id', UuidParam) subscriptionId: string, @Body() body: d.SettleBody) {
    return this.rpc.request(s.settlementSettle, { ...body, subscriptionId });
  }

  @Get('settlements')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Settlements with their inputs, cursor pages' })
  @Returns(s.settlementList)
  settlements(@Query() q: d.SettlementsQuery) {
    return this.rpc.request(s.settlementList, q);
  }

  @Post('settlement-runs')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Settle every outcome contract for a period, as a durable job' })
  @Returns(s.settlementRunStart)
  startRun(@Body() body: d.SettlementRunBody) {
    return this.rpc.request(s.settlementRunStart, body);
  }

  @Get('settlement-runs/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Progress and problems of a settlement run' })
  @Returns(s.settlementRunGet)
  getRun(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.settlementRunGet, { id });
  }

  // ---- trials ----

  @Get('trials')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Trials, cursor pages' })
  @Returns(s.trialList)
  listTrials(@Query() q: d.TrialsQuery) {
    return this.rpc.request(s.trialList, q);
  }

  @Post('trials')
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Start a free trial of a plan (once per account and plan)' })
  @Returns(s.trialStart, { errors: [404] }) // an id in the body that is not in the caller's scope
  startTrial(@Body() body: d.StartTrialBody) {
    return this.rpc.request(s.trialStart, body);
  }

  @Get('trial-funnel')
  @Users()
  @ApiOperation({ summary: 'Trials started, active, converted, lapsed and time to convert, per product and channel' })
  @Returns(s.trialFunnel)
  funnel(@Query() q: d.FunnelQuery) {
    return this.rpc.request(s.trialFunnel, q);
  }

  @Get('trials/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One trial' })
  @Returns(s.trialGet)
  getTrial(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.trialGet, { id });
  }

  @Post('trials/:id/convert')
  @HttpCode(200)
  @UsersOrPartners(...SELLERS)
  @ApiOperation({ summary: 'Convert an active trial into a paid subscription (idempotent)' })
  @Returns(s.trialConvert)
  convertTrial(@Param('id', UuidParam) id: string, @Body() body: d.ConvertTrialBody) {
    return this.rpc.request(s.trialConvert, { ...body, id });
  }

  // ---- entitlements ----

  @Get('accounts/:id/entitlements')
  @UsersOrPartners()
  @ApiOperation({ summary: "An account's (or, with projectId, a project's) effective entitlements now" })
  @Returns(s.entitlementGet)
  entitlements(@Param('id', UuidParam) accountId: string, @Query() q: d.EntitlementsQuery) {
    return this.rpc.request(s.entitlementGet, { ...q, accountId });
  }
}
