import { z } from 'zod';
import { ACCOUNT_LEAD_CHANNELS, PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, TIERS } from '@steward/domain-kernel';
import { PageRequest, Uuid } from '../common';

// The shared vocabularies have one source of truth: the domain kernel.
export { PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, TIERS };
/** An account's lead channel (who brought the customer). */
export const LEAD_CHANNELS = ACCOUNT_LEAD_CHANNELS;

// ---- accounts (enterprise customers of the tenant) ----

export const LIFECYCLE_STAGES = ['prospect', 'onboarding', 'active', 'at-risk', 'churned'] as const;
export const SIZE_BANDS = ['1-49', '50-249', '250-999', '1000-4999', '5000+'] as const;
export type TierNumber = (typeof TIERS)[number];

const Text = (max: number) => z.string().trim().min(1).max(max);
/** Custom attributes: flat key → scalar, bounded so one account cannot carry a document. */
export const CustomAttributes = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'keys are letters, digits and _ (max 40)'), z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 attributes');

const Instant = z.iso.datetime();
const Tier = z.union([z.literal(1), z.literal(2), z.literal(3)]);
/** Money in integer minor units (cents). */
const Minor = z.number().int('must be an integer amount in minor units').min(-1e13).max(1e13);

export const TierOverrideDto = z.object({ tier: Tier, reason: z.string(), expiresAt: Instant.nullable(), by: z.string(), at: Instant });
export type TierOverrideDto = z.infer<typeof TierOverrideDto>;

export const AccountDto = z.object({
  id: Uuid,
  externalId: z.string().nullable(),
  name: z.string(),
  industry: z.string().nullable(),
  region: z.string().nullable(),
  sizeBand: z.enum(SIZE_BANDS).nullable(),
  ownerId: Uuid.nullable(),
  csmId: Uuid.nullable(),
  leadChannel: z.enum(LEAD_CHANNELS),
  leadPartnerId: Uuid.nullable(),
  strategic: z.boolean(),
  highPotential: z.boolean(),
  lifecycle: z.enum(LIFECYCLE_STAGES),
  customAttributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  tier: Tier,
  computedTier: Tier,
  tierReason: z.string(),
  tierOverride: TierOverrideDto.nullable(),
  /** Product + service revenue of the last 12 full months, minor units of the tenant currency. */
  revenue12m: z.number().int(),
  /** The currency of revenue12m (ISO 4217: the tenant's revenue currency); null until the tenant records revenue. */
  // Defaults to null when absent: events from an accounts that predates the field stay valid (v1 events only grow).
  currency: z.string().nullable().default(null).describe("ISO 4217 currency of revenue12m (the tenant's revenue currency); null until the tenant records revenue"),
  createdAt: Instant,
  updatedAt: Instant,
  deletedAt: Instant.nullable(),
  version: z.number().int(),
});
export type AccountDto = z.infer<typeof AccountDto>;

const accountFields = {
  externalId: Text(100).nullable().optional(),
  name: Text(200),
  industry: Text(100).nullable().optional(),
  region: Text(100).nullable().optional(),
  sizeBand: z.enum(SIZE_BANDS).nullable().optional(),
  ownerId: Uuid.nullable().optional(),
  csmId: Uuid.nullable().optional(),
  leadChannel: z.enum(LEAD_CHANNELS).optional(),
  leadPartnerId: Uuid.nullable().optional(),
  strategic: z.boolean().optional(),
  highPotential: z.boolean().optional(),
  lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
  customAttributes: CustomAttributes.optional(),
};

export const CreateAccountRequest = z.strictObject(accountFields);
export type CreateAccountRequest = z.infer<typeof CreateAccountRequest>;
export const UpdateAccountRequest = CreateAccountRequest.partial().extend({
  id: Uuid,
  /** Optimistic concurrency: the version the client last read; a stale one answers 409. */
  expectedVersion: z.number().int().min(1).optional(),
});
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequest>;
export const AccountIdRequest = z.strictObject({ id: Uuid });
export type AccountIdRequest = z.infer<typeof AccountIdRequest>;
/** Optimistic concurrency on a write without a body (delete, restore): the version the client last read; a stale one answers STALE_VERSION. */
const ExpectedVersion = z.number().int().min(1).optional();
export const AccountWriteRequest = AccountIdRequest.extend({ expectedVersion: ExpectedVersion });
export type AccountWriteRequest = z.infer<typeof AccountWriteRequest>;

export const ACCOUNT_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'revenue12m', '-revenue12m'] as const;
export const ListAccountsRequest = PageRequest.extend({
  namePrefix: z.string().trim().min(1).max(200).optional(),
  industry: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  tier: Tier.optional(),
  ownerId: Uuid.optional(),
  csmId: Uuid.optional(),
  lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
  leadChannel: z.enum(LEAD_CHANNELS).optional(),
  leadPartnerId: Uuid.optional(),
  strategic: z.boolean().optional(),
  highPotential: z.boolean().optional(),
  includeDeleted: z.boolean().default(false),
  sort: z.enum(ACCOUNT_SORTS).default('name'),
});
export type ListAccountsRequest = z.infer<typeof ListAccountsRequest>;

// ---- CSV import ----

/** One CSV row as parsed by the gateway: column → raw string. */
export const ImportRow = z.record(z.string().max(100), z.string().max(5000));
export const StartImportRequest = z.strictObject({ filename: z.string().max(200).optional(), totalRows: z.number().int().min(0).max(1_000_000) });
export type StartImportRequest = z.infer<typeof StartImportRequest>;
export const ImportRowsRequest = z.strictObject({
  jobId: Uuid,
  /** 0-based index of the chunk's first row in the file: sending a chunk again stores nothing twice. */
  firstRow: z.number().int().min(0).max(1_000_000),
  /** 1-based CSV line number of each row (the header is line 1; quoted cells may span lines). */
  lines: z.array(z.number().int().min(2).max(100_000_000)).min(1).max(1000),
  rows: z.array(ImportRow).min(1).max(1000),
}).refine((r) => r.lines.length === r.rows.length, { path: ['lines'], message: 'must hold one line number per row' });
export type ImportRowsRequest = z.infer<typeof ImportRowsRequest>;
export const SubmitImportRequest = z.strictObject({
  jobId: Uuid,
  /** Set when the upload failed: the import ends failed with this reason instead of running. */
  abort: z.string().min(1).max(1000).optional(),
});
export type SubmitImportRequest = z.infer<typeof SubmitImportRequest>;
export const GetImportRequest = z.strictObject({ id: Uuid });
export type GetImportRequest = z.infer<typeof GetImportRequest>;
export const ImportRowError = z.object({ line: z.number().int(), field: z.string(), rule: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;
export const ImportJobDto = z.object({
  id: Uuid,
  status: z.enum(['running', 'completed', 'failed']),
  filename: z.string().nullable(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  errors: z.array(ImportRowError),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  /** Attempts of the durable import job so far (0 while the rows are uploaded or queued). */
  attempts: z.number().int(),
  /** Why a failed import failed (also the last `(file)` row error). */
  failureReason: z.string().nullable(),
});
export type ImportJobDto = z.infer<typeof ImportJobDto>;

// ---- stakeholders (decision chain) ----

export const BUYING_ROLE_VALUES = ['decision-maker', 'economic-buyer', 'influencer', 'champion', 'end-user', 'blocker'] as const;
export const INFLUENCE_LEVELS = ['low', 'medium', 'high'] as const;
export const ContactDto = z.object({
  id: Uuid,
  accountId: Uuid,
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  buyingRole: z.enum(BUYING_ROLE_VALUES),
  influence: z.enum(INFLUENCE_LEVELS),
  reportsToId: Uuid.nullable(),
  engaged: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ContactDto = z.infer<typeof ContactDto>;
const contactFields = {
  name: Text(200),
  title: Text(200).nullable().optional(),
  department: Text(200).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: z
    .string()
    .regex(/^[+0-9 ().-]{3,40}$/, 'must be a phone number')
    .nullable()
    .optional(),
  buyingRole: z.enum(BUYING_ROLE_VALUES),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
  reportsToId: Uuid.nullable().optional(),
  engaged: z.boolean().optional(),
};
export const CreateContactRequest = z.strictObject({ accountId: Uuid, ...contactFields });
export type CreateContactRequest = z.infer<typeof CreateContactRequest>;
export const UpdateContactRequest = z.strictObject({
  id: Uuid,
  name: Text(200).optional(),
  title: contactFields.title,
  department: contactFields.department,
  email: contactFields.email,
  phone: contactFields.phone,
  buyingRole: z.enum(BUYING_ROLE_VALUES).optional(),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
  reportsToId: Uuid.nullable().optional(),
  engaged: z.boolean().optional(),
});
export type UpdateContactRequest = z.infer<typeof UpdateContactRequest>;
export const ContactIdRequest = z.strictObject({ id: Uuid });
export type ContactIdRequest = z.infer<typeof ContactIdRequest>;
export const ListContactsRequest = z.strictObject({ accountId: Uuid });
export type ListContactsRequest = z.infer<typeof ListContactsRequest>;

export type StakeholderNodeDto = ContactDto & { depth: number; hiddenInfluencer: boolean; reports: StakeholderNodeDto[] };
export const StakeholderNodeDto: z.ZodType<StakeholderNodeDto> = ContactDto.extend({
  depth: z.number().int(),
  hiddenInfluencer: z.boolean(),
  get reports(): z.ZodArray<z.ZodType<StakeholderNodeDto>> {
    return z.array(StakeholderNodeDto);
  },
});
export const StakeholderMapDto = z.object({
  accountId: Uuid,
  roots: z.array(StakeholderNodeDto),
  gaps: z.array(z.object({ code: z.string(), message: z.string(), contactIds: z.array(Uuid) })),
  counts: z.record(z.string(), z.number().int()),
  engagedContacts: z.number().int(),
});
export type StakeholderMapDto = z.infer<typeof StakeholderMapDto>;

// ---- installed base ----

export const PROJECT_STATUSES = ['delivering', 'live', 'retired'] as const;
const IsoDate = z.iso.date();
export const ProjectDto = z.object({
  id: Uuid,
  accountId: Uuid,
  name: z.string(),
  kind: z.enum(PROJECT_KINDS),
  size: z.enum(PROJECT_SIZES),
  lead: z.enum(PROJECT_LEADS),
  partnerId: Uuid.nullable(),
  region: z.string().nullable(),
  goLiveDate: IsoDate.nullable(),
  status: z.enum(PROJECT_STATUSES),
  delivered: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ProjectDto = z.infer<typeof ProjectDto>;
const projectFields = {
  name: Text(200),
  kind: z.enum(PROJECT_KINDS),
  size: z.enum(PROJECT_SIZES),
  lead: z.enum(PROJECT_LEADS),
  partnerId: Uuid.nullable().optional(),
  region: Text(100).nullable().optional(),
  goLiveDate: IsoDate.nullable().optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  delivered: z.string().max(5000).nullable().optional(),
};
export const CreateProjectRequest = z.strictObject({ accountId: Uuid, ...projectFields });
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;
export const UpdateProjectRequest = z.strictObject({
  id: Uuid,
  name: Text(200).optional(),
  kind: z.enum(PROJECT_KINDS).optional(),
  size: z.enum(PROJECT_SIZES).optional(),
  lead: z.enum(PROJECT_LEADS).optional(),
  partnerId: projectFields.partnerId,
  region: projectFields.region,
  goLiveDate: projectFields.goLiveDate,
  status: z.enum(PROJECT_STATUSES).optional(),
  delivered: projectFields.delivered,
});
export type UpdateProjectRequest = z.infer<typeof UpdateProjectRequest>;
export const ProjectIdRequest = z.strictObject({ id: Uuid });
export type ProjectIdRequest = z.infer<typeof ProjectIdRequest>;
export const ListProjectsRequest = z.strictObject({ accountId: Uuid });
export type ListProjectsRequest = z.infer<typeof ListProjectsRequest>;

// ---- revenue ----

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
export const RevenueRecordInput = z.strictObject({
  accountId: Uuid,
  month: Month,
  productRevenue: Minor,
  serviceRevenue: Minor,
  grossMargin: Minor,
  currency: Currency,
});
export type RevenueRecordInput = z.infer<typeof RevenueRecordInput>;
/** Rows are validated one by one by the service, so one bad row never rejects the batch. */
export const RevenueBatchRequest = z.strictObject({ records: z.array(z.unknown()).min(1).max(10_000) });
export type RevenueBatchRequest = z.infer<typeof RevenueBatchRequest>;
export const RevenueBatchResponse = z.object({
  accepted: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ index: z.number().int(), field: z.string(), rule: z.string(), message: z.string() })),
});
export type RevenueBatchResponse = z.infer<typeof RevenueBatchResponse>;
export const ListRevenueRequest = z.strictObject({ accountId: Uuid, from: Month.optional(), to: Month.optional() });
export type ListRevenueRequest = z.infer<typeof ListRevenueRequest>;
export const RevenueRecordDto = z.object({ accountId: Uuid, month: z.string(), productRevenue: Minor, serviceRevenue: Minor, grossMargin: Minor, currency: z.string() });
export type RevenueRecordDto = z.infer<typeof RevenueRecordDto>;

// ---- tiering ----

export const RetierRequest = z.strictObject({});
export type RetierRequest = z.infer<typeof RetierRequest>;
const TieringWindow = z.object({ from: IsoDate, to: IsoDate });
export const RetierResponse = z.object({
  accounts: z.number().int(),
  changed: z.number().int(),
  tookMs: z.number().int(),
  /** Where the time went: the read, the rule, the write-back and the events. */
  phasesMs: z.object({ read: z.number(), compute: z.number(), write: z.number(), events: z.number() }),
  window: TieringWindow,
});
export type RetierResponse = z.infer<typeof RetierResponse>;
export const TieringSummaryRequest = z.strictObject({});
export type TieringSummaryRequest = z.infer<typeof TieringSummaryRequest>;
export const TieringSummaryDto = z.object({
  window: TieringWindow,
  /** The currency of every amount below (ISO 4217: the tenant's revenue currency); null until the tenant records revenue. */
  currency: z.string().nullable().describe("ISO 4217 currency of every amount of the summary (the tenant's revenue currency); null until the tenant records revenue"),
  totalPositiveRevenue: z.number().int(),
  tiers: z.array(z.object({ tier: Tier, accounts: z.number().int(), revenue: z.number().int(), share: z.number() })),
  cutoffs: z.object({
    tier1MinRevenue: z.number().int().nullable(),
    tier1CumulativeShare: z.number().nullable(),
    tier2MinRevenue: z.number().int().nullable(),
    tier2CumulativeShare: z.number().nullable(),
  }),
  computedAt: Instant.nullable(),
});
export type TieringSummaryDto = z.infer<typeof TieringSummaryDto>;
/** How accounts moved between tiers since a moment: the net move of each account (its tier then → now). */
export const TierMovementRequest = z.strictObject({
  /** From when (default: 30 days before now); the history starts with the first re-tiering after this feature landed. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** How many moved accounts to list (latest move first; default 50); the totals always count every account. */
  limit: z.number().int().min(1).max(200).optional(),
});
export type TierMovementRequest = z.infer<typeof TierMovementRequest>;
export const TierMovementDto = z.object({
  since: Instant,
  until: Instant,
  /** When the tenant's tier history begins (null: no tier change recorded yet); moves before it are unknown. */
  recordedSince: Instant.nullable(),
  /** Accounts per net move (from → to), moves that ended where they started left out. */
  moves: z.array(z.object({ fromTier: Tier, toTier: Tier, accounts: z.number().int() })),
  upgraded: z.number().int().describe('Accounts now in a better (lower-numbered) tier than at `since`'),
  downgraded: z.number().int().describe('Accounts now in a worse (higher-numbered) tier than at `since`'),
  accounts: z.array(z.object({ accountId: Uuid, name: z.string(), fromTier: Tier, toTier: Tier, changedAt: Instant, reason: z.string() })),
});
export type TierMovementDto = z.infer<typeof TierMovementDto>;
export const SetTierOverrideRequest = z.strictObject({
  accountId: Uuid,
  tier: Tier,
  reason: Text(500),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Optimistic concurrency: the account version the client last read. */
  expectedVersion: ExpectedVersion,
});
export type SetTierOverrideRequest = z.infer<typeof SetTierOverrideRequest>;
export const ClearTierOverrideRequest = z.strictObject({ accountId: Uuid, expectedVersion: ExpectedVersion });
export type ClearTierOverrideRequest = z.infer<typeof ClearTierOverrideRequest>;

// ---- events ----
export const AccountChangedEvent = z.object({ account: AccountDto });
export type AccountChangedEvent = z.infer<typeof AccountChangedEvent>;
export const ContactChangedEvent = z.object({ contact: ContactDto });
export type ContactChangedEvent = z.infer<typeof ContactChangedEvent>;
export const ProjectChangedEvent = z.object({ project: ProjectDto });
export type ProjectChangedEvent = z.infer<typeof ProjectChangedEvent>;
export const ProjectWentLiveEvent = ProjectChangedEvent;
export type ProjectWentLiveEvent = ProjectChangedEvent;
export const AccountTierChangedEvent = z.object({
  accountId: Uuid,
  oldTier: Tier,
  newTier: Tier,
  reason: z.string(),
  revenue12m: z.number().int(),
  /** The currency of revenue12m (the tenant's revenue currency); null before any revenue (and when an older accounts sent none). */
  currency: z.string().nullable().default(null),
});
export type AccountTierChangedEvent = z.infer<typeof AccountTierChangedEvent>;
/** The (account, month) pairs inserted or changed, at most 1,000 per event. */
export const RevenueChangedEvent = z.object({ records: z.array(z.object({ accountId: Uuid, month: z.string() })).max(1000) });
export type RevenueChangedEvent = z.infer<typeof RevenueChangedEvent>;
