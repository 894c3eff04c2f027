import { z } from 'zod';
import { PageRequest, Uuid } from '../common';
import { PARTNER_KINDS } from '../accounts/identity';
import { EntitlementGrant } from './entitlements';

// ---- shared pieces ----

const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime();
/** A stable, human-readable key unique in the tenant: `project-health-check`. */
export const CatalogCode = z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'must be 2-60 lower-case letters, digits and -, starting with a letter or digit');
/** Money in integer minor units of the currency beside it (cents, fen; JPY: yen). */
export const MinorUnits = z.number().int('must be an integer amount in minor units').min(0).max(1e13);
/** An ISO 4217 code; the catalog checks it is an active one (rule `invalid-currency`). */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR or CNY');
/** Text in both catalog languages. */
export const LocalizedText = (max: number) => z.strictObject({ en: Text(max), 'zh-CN': Text(max) });
export type LocalizedText = { en: string; 'zh-CN': string };

// ---- service products ----

/** WARNING: wire values (DOMAIN.md §3). */
export const PRODUCT_KINDS = ['solution', 'service', 'platform', 'data'] as const;
export const PRODUCT_PURPOSES = ['capture-opportunities', 'incubate-opportunities', 'create-business-value', 'open-profit-space'] as const;
export const CATALOG_STATUSES = ['draft', 'active', 'retired'] as const;

export const Deliverable = z.strictObject({ name: Text(200), description: Text(2000).optional() });
export const PlaybookStep = z.strictObject({
  name: Text(200),
  /** Who does it (`csm`, `solution-expert`, `partner-engineer`). */
  role: Text(100),
  durationDays: z.number().int().min(0).max(365),
  description: Text(2000).optional(),
});
export const RequiredResources = z.strictObject({
  teamSkills: z.array(Text(100)).max(30).default([]),
  partnerTypes: z.array(z.enum(PARTNER_KINDS)).max(3).default([]),
});

export const ProductDto = z.object({
  id: Uuid,
  code: z.string(),
  kind: z.enum(PRODUCT_KINDS),
  purpose: z.enum(PRODUCT_PURPOSES),
  name: z.object({ en: z.string(), 'zh-CN': z.string() }),
  description: z.object({ en: z.string(), 'zh-CN': z.string() }),
  deliverables: z.array(z.object({ name: z.string(), description: z.string().optional() })),
  playbook: z.array(z.object({ name: z.string(), role: z.string(), durationDays: z.number().int(), description: z.string().optional() })),
  requiredResources: z.object({ teamSkills: z.array(z.string()), partnerTypes: z.array(z.enum(PARTNER_KINDS)) }),
  status: z.enum(CATALOG_STATUSES),
  version: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
  publishedAt: Instant.nullable(),
  retiredAt: Instant.nullable(),
});
export type ProductDto = z.infer<typeof ProductDto>;

const productFields = {
  code: CatalogCode,
  kind: z.enum(PRODUCT_KINDS),
  purpose: z.enum(PRODUCT_PURPOSES),
  name: LocalizedText(200),
  description: LocalizedText(5000),
  deliverables: z.array(Deliverable).max(50).default([]),
  playbook: z.array(PlaybookStep).max(50).default([]),
  requiredResources: RequiredResources.default({ teamSkills: [], partnerTypes: [] }),
};
export const CreateProductRequest = z.strictObject(productFields);
export type CreateProductRequest = z.infer<typeof CreateProductRequest>;
export const UpdateProductRequest = z.strictObject({
  id: Uuid,
  /** Optimistic concurrency: the version last read; a stale one answers 409. */
  expectedVersion: z.number().int().min(1).optional(),
  kind: productFields.kind.optional(),
  purpose: productFields.purpose.optional(),
  name: productFields.name.optional(),
  description: productFields.description.optional(),
  deliverables: z.array(Deliverable).max(50).optional(),
  playbook: z.array(PlaybookStep).max(50).optional(),
  requiredResources: RequiredResources.optional(),
});
export type UpdateProductRequest = z.infer<typeof UpdateProductRequest>;
export const CatalogIdRequest = z.strictObject({ id: Uuid });
export type CatalogIdRequest = z.infer<typeof CatalogIdRequest>;
export const ListProductsRequest = PageRequest.extend({
  kind: z.enum(PRODUCT_KINDS).optional(),
  purpose: z.enum(PRODUCT_PURPOSES).optional(),
  status: z.enum(CATALOG_STATUSES).optional(),
});
export type ListProductsRequest = z.infer<typeof ListProductsRequest>;

// ---- prices (versioned on plans) ----

export const PRICING_KIND_VALUES = ['one-off', 'subscription', 'usage', 'outcome'] as const;
export const TERM_UNIT_VALUES = ['month', 'year'] as const;
export const SETTLEMENT_UNIT_VALUES = ['month', 'quarter', 'year'] as const;

export const OneOffPricing = z.strictObject({
  kind: z.literal('one-off'),
  currency: CurrencyCode,
  price: MinorUnits,
  /** How long what it grants lasts; absent or null = no end. */
  validityDays: z.number().int().min(1).max(3660).nullable().optional(),
});
export const SubscriptionPricing = z.strictObject({
  kind: z.literal('subscription'),
  currency: CurrencyCode,
  billingPeriod: z.enum(TERM_UNIT_VALUES),
  unit: z.enum(['flat', 'seat']),
  /** Per term (and per seat when `unit` is `seat`), minor units. */
  unitPrice: MinorUnits,
  minSeats: z.number().int().min(1).max(1_000_000).optional(),
});
export const UsageTier = z.strictObject({
  /** Last unit of the tier (inclusive); null = open-ended (the last tier). */
  upTo: z.number().int().min(1).max(1e12).nullable(),
  /** Minor units per unit; fractions allowed (at most 6 decimals). */
  unitPrice: z.number().min(0).max(1e12),
  flatFee: MinorUnits.optional(),
});
export const UsagePricing = z.strictObject({
  kind: z.literal('usage'),
  currency: CurrencyCode,
  billingPeriod: z.enum(TERM_UNIT_VALUES),
  /** What is counted: `forecast-runs`, `expert-hours`. */
  metric: CatalogCode,
  model: z.enum(['tiered', 'volume']),
  tiers: z.array(UsageTier).min(1).max(20),
  minimumCharge: MinorUnits.optional(),
});
export const OutcomeBand = z.strictObject({
  /** Deviation from target in % of target, positive = better: a bonus band is 0 ≤ from < to, a malus band from < to ≤ 0. */
  fromPct: z.number().min(-1000).max(1000),
  toPct: z.number().min(-1000).max(1000),
  amount: MinorUnits.optional(),
  shareOfBaseFee: z.number().min(0).max(1).optional(),
});
export const OutcomePricing = z.strictObject({
  kind: z.literal('outcome'),
  currency: CurrencyCode,
  /** The contract term (renewal unit). */
  billingPeriod: z.enum(TERM_UNIT_VALUES),
  kpi: z.strictObject({ key: CatalogCode, name: Text(200), unit: Text(20) }),
  target: z.number().min(-1e9).max(1e9),
  direction: z.enum(['higherIsBetter', 'lowerIsBetter']),
  settlementPeriod: z.enum(SETTLEMENT_UNIT_VALUES),
  aggregation: z.enum(['mean', 'last', 'min', 'max', 'sum']).default('mean'),
  /** Per settlement period, minor units. */
  baseFee: MinorUnits,
  bands: z.array(OutcomeBand).max(20),
  caps: z.strictObject({ maxBonus: MinorUnits, maxMalus: MinorUnits }),
  /** The least a period costs (0 = never a credit); at most the base fee. */
  floor: MinorUnits.optional(),
});
/** How a plan version is priced: one of the four kinds. */
export const Pricing = z.discriminatedUnion('kind', [OneOffPricing, SubscriptionPricing, UsagePricing, OutcomePricing]);
export type Pricing = z.output<typeof Pricing>;
export type PricingInput = z.input<typeof Pricing>;

// ---- plans and their versions ----

export const PlanVersionDto = z.object({
  id: Uuid,
  planId: Uuid,
  version: z.number().int(),
  pricing: Pricing,
  entitlements: EntitlementGrant,
  /** Free trial days this version offers; null = no trial. */
  trialDays: z.number().int().nullable(),
  note: z.string().nullable(),
  createdAt: Instant,
  createdBy: z.string(),
});
export type PlanVersionDto = z.infer<typeof PlanVersionDto>;

export const PlanDto = z.object({
  id: Uuid,
  productId: Uuid,
  code: z.string(),
  name: z.object({ en: z.string(), 'zh-CN': z.string() }),
  pricingKind: z.enum(PRICING_KIND_VALUES),
  status: z.enum(CATALOG_STATUSES),
  /** The version new subscriptions get; existing ones keep theirs. */
  current: PlanVersionDto,
  createdAt: Instant,
  updatedAt: Instant,
});
export type PlanDto = z.infer<typeof PlanDto>;

export const CreatePlanRequest = z.strictObject({
  productId: Uuid,
  code: CatalogCode,
  name: LocalizedText(200),
  pricing: Pricing,
  entitlements: EntitlementGrant.default({ supportLevel: null, slaTargets: {}, includedHours: 0, reviewVisitsPerYear: 0, seats: 0, features: [] }),
  trialDays: z.number().int().min(1).max(365).nullable().default(null),
});
export type CreatePlanRequest = z.infer<typeof CreatePlanRequest>;
/** A new version of a plan: a price (or grant) change never alters an existing version or subscription. */
export const RevisePlanRequest = z.strictObject({
  id: Uuid,
  pricing: Pricing.optional(),
  entitlements: EntitlementGrant.optional(),
  trialDays: z.number().int().min(1).max(365).nullable().optional(),
  note: Text(500).optional(),
});
export type RevisePlanRequest = z.infer<typeof RevisePlanRequest>;
export const RenamePlanRequest = z.strictObject({ id: Uuid, name: LocalizedText(200) });
export type RenamePlanRequest = z.infer<typeof RenamePlanRequest>;
export const ListPlansRequest = PageRequest.extend({ productId: Uuid.optional(), status: z.enum(CATALOG_STATUSES).optional() });
export type ListPlansRequest = z.infer<typeof ListPlansRequest>;
export const ListPlanVersionsRequest = z.strictObject({ id: Uuid });

// ---- channel price books ----

export const PriceBookEntryDto = z.object({
  id: Uuid,
  planId: Uuid,
  planVersionId: Uuid,
  /** One partner, or every partner of a kind. */
  partnerId: Uuid.nullable(),
  partnerKind: z.enum(PARTNER_KINDS).nullable(),
  pricing: Pricing,
  createdAt: Instant,
  updatedAt: Instant,
});
export type PriceBookEntryDto = z.infer<typeof PriceBookEntryDto>;
export const SetPriceBookEntryRequest = z.strictObject({
  planVersionId: Uuid,
  partnerId: Uuid.optional(),
  partnerKind: z.enum(PARTNER_KINDS).optional(),
  /** The partner's price for this version: the same kind and currency as the version's. */
  pricing: Pricing,
});
export type SetPriceBookEntryRequest = z.infer<typeof SetPriceBookEntryRequest>;
export const ListPriceBookRequest = PageRequest.extend({ planId: Uuid.optional(), partnerId: Uuid.optional() });
export type ListPriceBookRequest = z.infer<typeof ListPriceBookRequest>;

/** Where a price came from: the list, a price book entry for the partner, or one for its kind. */
export const PRICE_SOURCES = ['list', 'partner', 'partner-kind'] as const;

/** One active plan as the caller may buy it: partners see their price-book price. */
export const OfferDto = z.object({
  product: ProductDto,
  plan: PlanDto,
  planVersionId: Uuid,
  pricing: Pricing,
  priceSource: z.enum(PRICE_SOURCES),
  /** One-off price, or a year of fees (see docs: first-year value), minor units of `pricing.currency`. */
  firstYearValue: z.number().int(),
});
export type OfferDto = z.infer<typeof OfferDto>;
export const ListOffersRequest = PageRequest.extend({ productId: Uuid.optional(), kind: z.enum(PRODUCT_KINDS).optional() });
export type ListOffersRequest = z.infer<typeof ListOffersRequest>;

// ---- bundles ----

export const BundleDiscount = z.union([z.strictObject({ percent: z.number().min(0).max(100) }), z.strictObject({ amount: MinorUnits })]);
export const BundleDto = z.object({
  id: Uuid,
  code: z.string(),
  name: z.object({ en: z.string(), 'zh-CN': z.string() }),
  industry: z.string(),
  description: z.object({ en: z.string(), 'zh-CN': z.string() }).nullable(),
  currency: z.string(),
  discount: BundleDiscount,
  status: z.enum(CATALOG_STATUSES),
  components: z.array(z.object({ planId: Uuid, seats: z.number().int() })),
  /** Priced from each component plan's current version. */
  price: z.object({
    listTotal: z.number().int(),
    discount: z.number().int(),
    total: z.number().int(),
    components: z.array(z.object({ planId: Uuid, planVersionId: Uuid, listPrice: z.number().int(), bundlePrice: z.number().int() })),
    /** Unbundled, the cheapest component alone. */
    entryPrice: z.number().int(),
    entryPlanId: Uuid,
    lines: z.array(z.string()),
  }),
  createdAt: Instant,
  updatedAt: Instant,
});
export type BundleDto = z.infer<typeof BundleDto>;
export const CreateBundleRequest = z.strictObject({
  code: CatalogCode,
  name: LocalizedText(200),
  industry: Text(100),
  description: LocalizedText(5000).optional(),
  currency: CurrencyCode,
  discount: BundleDiscount,
  components: z
    .array(z.strictObject({ planId: Uuid, seats: z.number().int().min(0).max(1_000_000).optional() }))
    .min(2)
    .max(20),
});
export type CreateBundleRequest = z.infer<typeof CreateBundleRequest>;
export const ListBundlesRequest = PageRequest.extend({ status: z.enum(CATALOG_STATUSES).optional(), industry: z.string().max(100).optional() });
export type ListBundlesRequest = z.infer<typeof ListBundlesRequest>;

// ---- events ----

export const ProductChangedEvent = z.object({ product: ProductDto });
export const PlanChangedEvent = z.object({ plan: PlanDto });
