import { z } from 'zod';
import { Uuid } from '../common';

// ---- entitlements: what an account's (or a project's) plans grant, read by support ----

/** Support levels a plan may grant (DOMAIN.md §2; the support library's `SUPPORT_LEVELS`). WARNING: wire values. */
export const ENTITLEMENT_SUPPORT_LEVELS = ['L1', 'L2', 'L3'] as const;
export type EntitlementSupportLevel = (typeof ENTITLEMENT_SUPPORT_LEVELS)[number];

/** Ticket priorities an SLA override names: the support library's `PRIORITIES`, most urgent first. WARNING: wire values. */
export const ENTITLEMENT_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type EntitlementPriority = (typeof ENTITLEMENT_PRIORITIES)[number];

/** The SLA clocks a plan may tighten, in business minutes (support's `PriorityTargets`). */
export const SLA_TARGET_KEYS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;

const Minutes = z.number().int('must be whole business minutes').min(1).max(525_600);
/** Overrides of one priority's SLA targets (business minutes); absent = the support policy's target applies. */
export const SlaTargetOverride = z.strictObject({
  firstResponse: Minutes.optional(),
  nextResponse: Minutes.optional(),
  periodicUpdate: Minutes.optional(),
  resolution: Minutes.optional(),
});
export type SlaTargetOverride = z.infer<typeof SlaTargetOverride>;
export const SlaTargetOverrides = z.strictObject({
  urgent: SlaTargetOverride.optional(),
  high: SlaTargetOverride.optional(),
  normal: SlaTargetOverride.optional(),
  low: SlaTargetOverride.optional(),
});
export type SlaTargetOverrides = z.infer<typeof SlaTargetOverrides>;

const Feature = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,59}$/, 'must be a lower-case feature key (letters, digits, -)');

/**
 * What one plan version grants (set on the plan, copied into each version). Every field is
 * optional on input; stored with defaults (nothing granted).
 */
export const EntitlementGrant = z.strictObject({
  /** The support level the plan raises its holder to (support routes by the best level held). */
  supportLevel: z.enum(ENTITLEMENT_SUPPORT_LEVELS).nullable().default(null),
  /** Tighter SLA targets per ticket priority, business minutes. */
  slaTargets: SlaTargetOverrides.default({}),
  /** Hours of expert work included per year of the subscription. */
  includedHours: z.number().int().min(0).max(100_000).default(0),
  /** Review visits (annual review, health check on site) per year. */
  reviewVisitsPerYear: z.number().int().min(0).max(365).default(0),
  /** Named users / seats granted (a per-seat subscription grants its seat count instead). */
  seats: z.number().int().min(0).max(1_000_000).default(0),
  /** Feature keys (`bi-dashboards`, `mobile-app`, `named-team`…). */
  features: z.array(Feature).max(50).default([]),
});
export type EntitlementGrant = z.output<typeof EntitlementGrant>;
export type EntitlementGrantInput = z.input<typeof EntitlementGrant>;

/** Where an entitlement comes from: a live subscription or an active trial. */
export const EntitlementSource = z.object({
  kind: z.enum(['subscription', 'trial']),
  id: Uuid,
  productId: Uuid,
  planId: Uuid,
  planVersionId: Uuid,
  /** null = account-wide; else the project (installed base item) it was sold for. */
  projectId: Uuid.nullable(),
  validFrom: z.iso.datetime(),
  /** End of the current term (a renewal moves it on); null = open-ended (one-off without validity). */
  validUntil: z.iso.datetime().nullable(),
});
export type EntitlementSource = z.infer<typeof EntitlementSource>;

/**
 * The effective entitlements of an account, or of one of its projects, at `asOf`: the merge of
 * every live grant (subscriptions and trials) that applies to it. A project's set includes the
 * account-wide grants. Merge rule: the best support level (L1 over L2 over L3), the tightest
 * target per priority and clock, included hours, review visits and seats summed, features
 * united. `validUntil` is when this combination next changes by itself (the earliest end of
 * a source); null when no source ends.
 */
export const EntitlementSetDto = z.object({
  accountId: Uuid,
  /** null = the account-wide set; else this project's set (account-wide grants included). */
  projectId: Uuid.nullable(),
  supportLevel: z.enum(ENTITLEMENT_SUPPORT_LEVELS).nullable(),
  slaTargets: SlaTargetOverrides,
  includedHours: z.number().int(),
  reviewVisitsPerYear: z.number().int(),
  seats: z.number().int(),
  features: z.array(z.string()),
  validFrom: z.iso.datetime().nullable(),
  validUntil: z.iso.datetime().nullable(),
  sources: z.array(EntitlementSource),
  /** When the catalog computed this set (its clock): a consumer keeps the newest per (account, project). */
  asOf: z.iso.datetime(),
});
export type EntitlementSetDto = z.infer<typeof EntitlementSetDto>;

export const GetEntitlementsRequest = z.strictObject({
  accountId: Uuid,
  /** A project of the account: its own grants merged with the account-wide ones. */
  projectId: Uuid.optional(),
});
export type GetEntitlementsRequest = z.infer<typeof GetEntitlementsRequest>;

/**
 * `entitlements.changed`: the full new set of one (account, project) scope, whenever a
 * subscription or trial starts, changes, renews, ends or lapses. Consumers upsert by
 * (tenant, accountId, projectId) and keep the newest `asOf`; for a ticket on a project, use the
 * project's set when there is one, else the account's. When an account-wide grant changes,
 * the account's set and the set of each of its projects with grants of their own are sent.
 */
export const EntitlementsChangedEvent = z.object({
  entitlements: EntitlementSetDto,
  /** What changed it: `subscription.started`, `trial.lapsed`, … */
  cause: z.string(),
});
export type EntitlementsChangedEvent = z.infer<typeof EntitlementsChangedEvent>;
