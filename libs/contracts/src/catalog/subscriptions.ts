import { z } from 'zod';
import { PageRequest, Uuid } from '../common';
import { LEAD_CHANNELS } from '../accounts/customers';
import { PRICE_SOURCES, Pricing } from './products';

const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime();
/** An instant from a client: ISO 8601 with `Z` or an offset. */
const InstantInput = z.iso.datetime({ offset: true });
/** A caller's own id for a record (its system's key): a retry with the same id never records twice. */
const ExternalId = z.string().trim().min(1).max(200);

// ---- subscriptions and contracts ----

/** WARNING: wire values. `active` includes a cancellation scheduled for `cancelAt`. */
export const SUBSCRIPTION_STATUSES = ['active', 'cancelled', 'expired'] as const;
export const RENEWAL_MODES = ['auto', 'manual'] as const;

export const SubscriptionDto = z.object({
  id: Uuid,
  accountId: Uuid,
  /** null = account-wide; else the project it was sold for. */
  projectId: Uuid.nullable(),
  productId: Uuid,
  planId: Uuid,
  planVersionId: Uuid,
  /** The price agreed when it started (or last changed): the list price or the selling partner's. */
  pricing: Pricing,
  priceSource: z.enum(PRICE_SOURCES),
  /** Seats held (per-seat prices), 0 otherwise. */
  seats: z.number().int(),
  /** The account's lead channel when it was sold. */
  channel: z.enum(LEAD_CHANNELS),
  /** The partner that sold it (a partner API key), if any. */
  partnerId: Uuid.nullable(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  startedAt: Instant,
  /** The current term [start, end); a one-off's end is its validity (null = no end). */
  currentTermStart: Instant,
  currentTermEnd: Instant.nullable(),
  /** 0 for the first term, +1 per renewal. */
  termIndex: z.number().int(),
  renewal: z.enum(RENEWAL_MODES),
  /** Manual renewal: the end of the last term the customer confirmed (null = only the current one). */
  renewedUntil: Instant.nullable(),
  noticeDays: z.number().int(),
  /** When a requested cancellation takes effect (a term end at least noticeDays after the request). */
  cancelAt: Instant.nullable(),
  cancellationReason: z.string().nullable(),
  endedAt: Instant.nullable(),
  /** The trial it converted from. */
  trialId: Uuid.nullable(),
  externalRef: z.string().nullable(),
  version: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type SubscriptionDto = z.infer<typeof SubscriptionDto>;

export const CreateSubscriptionRequest = z.strictObject({
  accountId: Uuid,
  projectId: Uuid.optional(),
  planId: Uuid,
  /** A specific version (default: the plan's current one). */
  planVersionId: Uuid.optional(),
  seats: z.number().int().min(1).max(1_000_000).optional(),
  renewal: z.enum(RENEWAL_MODES).default('auto'),
  noticeDays: z.number().int().min(0).max(365).default(30),
  /** The caller's contract number: a second subscription with the same reference is refused (409). */
  externalRef: Text(200).optional(),
});
export type CreateSubscriptionRequest = z.infer<typeof CreateSubscriptionRequest>;
export const ChangeSubscriptionRequest = z.strictObject({
  id: Uuid,
  /** Move to another version of the same product (a newer price, another plan). */
  planVersionId: Uuid.optional(),
  seats: z.number().int().min(1).max(1_000_000).optional(),
  expectedVersion: z.number().int().min(1).optional(),
});
export type ChangeSubscriptionRequest = z.infer<typeof ChangeSubscriptionRequest>;
export const CancelSubscriptionRequest = z.strictObject({ id: Uuid, reason: Text(1000) });
export type CancelSubscriptionRequest = z.infer<typeof CancelSubscriptionRequest>;
export const SubscriptionIdRequest = z.strictObject({ id: Uuid });
export type SubscriptionIdRequest = z.infer<typeof SubscriptionIdRequest>;
export const ListSubscriptionsRequest = PageRequest.extend({
  accountId: Uuid.optional(),
  planId: Uuid.optional(),
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
});
export type ListSubscriptionsRequest = z.infer<typeof ListSubscriptionsRequest>;

/** A change's money: what the rest of the term is credited and charged (catalog-domain prorateChange). */
export const ProrationDto = z.object({
  currency: z.string(),
  remainingDays: z.number(),
  termDays: z.number(),
  credit: z.number().int(),
  charge: z.number().int(),
  net: z.number().int(),
  lines: z.array(z.string()),
});
export const ChangeSubscriptionResponse = z.object({ subscription: SubscriptionDto, proration: ProrationDto.nullable() });

export const SUBSCRIPTION_EVENTS = ['started', 'changed', 'renewed', 'cancellation-requested', 'cancelled', 'expired'] as const;
export const SubscriptionHistoryEntryDto = z.object({
  at: Instant,
  event: z.enum(SUBSCRIPTION_EVENTS),
  fromStatus: z.enum(SUBSCRIPTION_STATUSES).nullable(),
  toStatus: z.enum(SUBSCRIPTION_STATUSES),
  details: z.record(z.string(), z.unknown()),
  actor: z.string(),
});
export const SubscriptionHistoryDto = z.object({ items: z.array(SubscriptionHistoryEntryDto) });

// ---- trials ----

export const TRIAL_STATUS_VALUES = ['active', 'converted', 'lapsed'] as const;
export const TrialDto = z.object({
  id: Uuid,
  accountId: Uuid,
  projectId: Uuid.nullable(),
  productId: Uuid,
  planId: Uuid,
  planVersionId: Uuid,
  channel: z.enum(LEAD_CHANNELS),
  partnerId: Uuid.nullable(),
  status: z.enum(TRIAL_STATUS_VALUES),
  startedAt: Instant,
  endsAt: Instant,
  convertedAt: Instant.nullable(),
  lapsedAt: Instant.nullable(),
  subscriptionId: Uuid.nullable(),
});
export type TrialDto = z.infer<typeof TrialDto>;
export const StartTrialRequest = z.strictObject({ accountId: Uuid, projectId: Uuid.optional(), planId: Uuid });
export type StartTrialRequest = z.infer<typeof StartTrialRequest>;
export const ConvertTrialRequest = z.strictObject({
  id: Uuid,
  seats: z.number().int().min(1).max(1_000_000).optional(),
  renewal: z.enum(RENEWAL_MODES).default('auto'),
  noticeDays: z.number().int().min(0).max(365).default(30),
});
export type ConvertTrialRequest = z.infer<typeof ConvertTrialRequest>;
export const ConvertTrialResponse = z.object({ trial: TrialDto, subscription: SubscriptionDto });
export const ListTrialsRequest = PageRequest.extend({ accountId: Uuid.optional(), status: z.enum(TRIAL_STATUS_VALUES).optional() });
export type ListTrialsRequest = z.infer<typeof ListTrialsRequest>;
export const TrialFunnelRequest = z.strictObject({
  /** Trials started in [from, to); default: all. */
  from: InstantInput.optional(),
  to: InstantInput.optional(),
  productId: Uuid.optional(),
});
export type TrialFunnelRequest = z.infer<typeof TrialFunnelRequest>;
export const TrialFunnelDto = z.object({
  items: z.array(
    z.object({
      productId: Uuid,
      channel: z.string(),
      started: z.number().int(),
      active: z.number().int(),
      converted: z.number().int(),
      lapsed: z.number().int(),
      conversionRate: z.number(),
      meanDaysToConvert: z.number().nullable(),
      medianDaysToConvert: z.number().nullable(),
    }),
  ),
});

// ---- usage ----

export const UsageRecordDto = z.object({
  id: Uuid,
  subscriptionId: Uuid,
  externalId: z.string(),
  quantity: z.number().int(),
  at: Instant,
  recordedAt: Instant,
});
export type UsageRecordDto = z.infer<typeof UsageRecordDto>;
export const RecordUsageRequest = z.strictObject({
  subscriptionId: Uuid,
  /** The metering system's id of this reading: recording it again changes nothing (and answers `replayed`). */
  externalId: ExternalId,
  quantity: z.number().int().min(0).max(1e9),
  at: InstantInput,
});
export type RecordUsageRequest = z.infer<typeof RecordUsageRequest>;
export const RecordUsageResponse = z.object({ record: UsageRecordDto, replayed: z.boolean() });
export const UsageSummaryRequest = z.strictObject({
  subscriptionId: Uuid,
  /** Any instant of the billing period to price (default: now's). */
  at: InstantInput.optional(),
});
export type UsageSummaryRequest = z.infer<typeof UsageSummaryRequest>;
export const UsageSummaryDto = z.object({
  subscriptionId: Uuid,
  periodStart: Instant,
  periodEnd: Instant,
  records: z.number().int(),
  quantity: z.number().int(),
  currency: z.string(),
  charge: z.number().int(),
  minimumApplied: z.boolean(),
  lines: z.array(z.string()),
});

// ---- KPI readings and settlements (outcome contracts) ----

export const KPI_READING_SOURCES = ['manual', 'import', 'support-events'] as const;
export const KpiReadingDto = z.object({
  id: Uuid,
  subscriptionId: Uuid,
  at: Instant,
  value: z.number(),
  source: z.enum(KPI_READING_SOURCES),
  externalId: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: Instant,
  recordedBy: z.string(),
});
export type KpiReadingDto = z.infer<typeof KpiReadingDto>;
const readingFields = {
  subscriptionId: Uuid,
  /** When measured, or any instant inside the period the value describes. */
  at: InstantInput,
  value: z.number().min(-1e9).max(1e9),
};
export const RecordKpiReadingRequest = z.strictObject({ ...readingFields, externalId: ExternalId.optional(), note: Text(1000).optional() });
export type RecordKpiReadingRequest = z.infer<typeof RecordKpiReadingRequest>;
export const ImportKpiReadingsRequest = z.strictObject({ readings: z.array(z.strictObject({ ...readingFields, externalId: ExternalId })).min(1).max(1000) });
export type ImportKpiReadingsRequest = z.infer<typeof ImportKpiReadingsRequest>;
export const ImportKpiReadingsResponse = z.object({
  created: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ index: z.number().int(), field: z.string(), rule: z.string(), message: z.string() })),
});
export const ListKpiReadingsRequest = z.strictObject({ subscriptionId: Uuid, period: z.string().max(10).optional() });
export type ListKpiReadingsRequest = z.infer<typeof ListKpiReadingsRequest>;

export const SettlementDto = z.object({
  id: Uuid,
  subscriptionId: Uuid,
  accountId: Uuid,
  /** Calendar period key: `2026-03`, `2026-Q1` or `2026`. */
  period: z.string(),
  periodStart: Instant,
  periodEnd: Instant,
  currency: z.string(),
  /** What the period costs (may be negative: a credit). */
  amount: z.number().int(),
  baseFee: z.number().int(),
  bonus: z.number().int(),
  malus: z.number().int(),
  adjustment: z.number().int(),
  /** The inputs, as settled on: the KPI terms, the readings used, the active days. */
  inputs: z.object({
    kpi: z.object({ key: z.string(), name: z.string(), unit: z.string() }),
    target: z.number(),
    direction: z.string(),
    aggregation: z.string(),
    actual: z.number(),
    deviationPct: z.number(),
    readings: z.array(z.object({ id: Uuid, at: Instant, value: z.number(), source: z.string() })),
    activeDays: z.number(),
    periodDays: z.number(),
    listBaseFee: z.number().int(),
  }),
  lines: z.array(z.string()),
  /** 1, then +1 each time the period is settled again with other inputs (a late reading). */
  revision: z.number().int(),
  computedAt: Instant,
});
export type SettlementDto = z.infer<typeof SettlementDto>;
export const SettleSubscriptionRequest = z.strictObject({ subscriptionId: Uuid, period: z.string().min(4).max(10) });
export type SettleSubscriptionRequest = z.infer<typeof SettleSubscriptionRequest>;
export const ListSettlementsRequest = PageRequest.extend({ subscriptionId: Uuid.optional(), period: z.string().max(10).optional() });
export type ListSettlementsRequest = z.infer<typeof ListSettlementsRequest>;

export const SettlementRunDto = z.object({
  id: Uuid,
  period: z.string(),
  unit: z.enum(['month', 'quarter', 'year']),
  status: z.enum(['running', 'completed', 'failed']),
  /** Outcome subscriptions active in the period. */
  total: z.number().int(),
  settled: z.number().int(),
  unchanged: z.number().int(),
  /** Not settled, with a reason per subscription (no reading in the period…). */
  skipped: z.number().int(),
  problems: z.array(z.object({ subscriptionId: Uuid, field: z.string(), rule: z.string(), message: z.string() })),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  failureReason: z.string().nullable(),
});
export type SettlementRunDto = z.infer<typeof SettlementRunDto>;
export const StartSettlementRunRequest = z.strictObject({ period: z.string().min(4).max(10), unit: z.enum(['month', 'quarter', 'year']).default('month') });
export type StartSettlementRunRequest = z.infer<typeof StartSettlementRunRequest>;

// ---- events ----

export const SubscriptionChangedEvent = z.object({ subscription: SubscriptionDto });
export const SubscriptionUpdatedEvent = z.object({ subscription: SubscriptionDto, proration: ProrationDto.nullable() });
export const TrialChangedEvent = z.object({ trial: TrialDto });
export const UsageRecordedEvent = z.object({ record: UsageRecordDto, accountId: Uuid });
export const SettlementComputedEvent = z.object({ settlement: SettlementDto });
