import { z } from 'zod';
import { PageRequest, Uuid } from '../common';

// ---- accounts (enterprise customers of the tenant) ----

export const LEAD_CHANNELS = ['direct', 'partner', 'dealer'] as const;
export const LIFECYCLE_STAGES = ['prospect', 'onboarding', 'active', 'at-risk', 'churned'] as const;
export const SIZE_BANDS = ['1-49', '50-249', '250-999', '1000-4999', '5000+'] as const;
export const TIERS = [1, 2, 3] as const;
export type TierNumber = (typeof TIERS)[number];

const Text = (max: number) => z.string().trim().min(1).max(max);
/** Custom attributes: flat key → scalar, bounded so one account cannot carry a document. */
export const CustomAttributes = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'keys are letters, digits and _ (max 40)'), z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 attributes');

export interface TierOverrideDto {
  tier: TierNumber;
  reason: string;
  expiresAt: string | null;
  by: string;
  at: string;
}

export interface AccountDto {
  id: string;
  externalId: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  sizeBand: (typeof SIZE_BANDS)[number] | null;
  ownerId: string | null;
  csmId: string | null;
  leadChannel: (typeof LEAD_CHANNELS)[number];
  leadPartnerId: string | null;
  strategic: boolean;
  highPotential: boolean;
  lifecycle: (typeof LIFECYCLE_STAGES)[number];
  customAttributes: Record<string, string | number | boolean | null>;
  tier: TierNumber;
  computedTier: TierNumber;
  tierReason: string;
  tierOverride: TierOverrideDto | null;
  revenue12m: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
}

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

export const ACCOUNT_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'revenue12m', '-revenue12m'] as const;
export const ListAccountsRequest = PageRequest.extend({
  namePrefix: z.string().trim().min(1).max(200).optional(),
  industry: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
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
export const ImportChunkRequest = z.strictObject({
  jobId: Uuid,
  /** 1-based CSV line number of the first row (the header is line 1). */
  firstLine: z.number().int().min(2),
  rows: z.array(ImportRow).min(1).max(1000),
});
export type ImportChunkRequest = z.infer<typeof ImportChunkRequest>;
export const FinishImportRequest = z.strictObject({ jobId: Uuid, failed: z.string().max(1000).optional() });
export type FinishImportRequest = z.infer<typeof FinishImportRequest>;
export const GetImportRequest = z.strictObject({ id: Uuid });
export type GetImportRequest = z.infer<typeof GetImportRequest>;
export interface ImportRowError {
  line: number;
  field: string;
  rule: string;
  message: string;
}
export interface ImportJobDto {
  id: string;
  status: 'running' | 'completed' | 'failed';
  filename: string | null;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
  startedAt: string;
  finishedAt: string | null;
}

// ---- stakeholders (decision chain) ----

export const BUYING_ROLE_VALUES = ['decision-maker', 'economic-buyer', 'influencer', 'champion', 'end-user', 'blocker'] as const;
export const INFLUENCE_LEVELS = ['low', 'medium', 'high'] as const;
export interface ContactDto {
  id: string;
  accountId: string;
  name: string;
  title: string | null;
  department: string | null;
  email: string | null;
  phone: string | null;
  buyingRole: (typeof BUYING_ROLE_VALUES)[number];
  influence: (typeof INFLUENCE_LEVELS)[number];
  reportsToId: string | null;
  engaged: boolean;
  createdAt: string;
  updatedAt: string;
}
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

export interface StakeholderNodeDto extends ContactDto {
  depth: number;
  hiddenInfluencer: boolean;
  reports: StakeholderNodeDto[];
}
export interface StakeholderMapDto {
  accountId: string;
  roots: StakeholderNodeDto[];
  gaps: Array<{ code: string; message: string; contactIds: string[] }>;
  counts: Record<string, number>;
  engagedContacts: number;
}

// ---- installed base ----

export const PROJECT_KINDS = ['project', 'purchase'] as const;
export const PROJECT_SIZES = ['large', 'mid', 'small'] as const;
export const PROJECT_LEADS = ['vendor', 'partner', 'dealer', 'direct'] as const;
export const PROJECT_STATUSES = ['delivering', 'live', 'retired'] as const;
export interface ProjectDto {
  id: string;
  accountId: string;
  name: string;
  kind: (typeof PROJECT_KINDS)[number];
  size: (typeof PROJECT_SIZES)[number];
  lead: (typeof PROJECT_LEADS)[number];
  partnerId: string | null;
  region: string | null;
  goLiveDate: string | null;
  status: (typeof PROJECT_STATUSES)[number];
  delivered: string | null;
  createdAt: string;
  updatedAt: string;
}
const IsoDate = z.iso.date();
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
/** Money in integer minor units (cents). */
const Minor = z.number().int('must be an integer amount in minor units').min(-1e13).max(1e13);
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
export interface RevenueBatchResponse {
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: Array<{ index: number; field: string; rule: string; message: string }>;
}
export const ListRevenueRequest = z.strictObject({ accountId: Uuid, from: Month.optional(), to: Month.optional() });
export type ListRevenueRequest = z.infer<typeof ListRevenueRequest>;
export interface RevenueRecordDto {
  accountId: string;
  month: string;
  productRevenue: number;
  serviceRevenue: number;
  grossMargin: number;
  currency: string;
}

// ---- tiering ----

export const RetierRequest = z.strictObject({});
export type RetierRequest = z.infer<typeof RetierRequest>;
export interface RetierResponse {
  accounts: number;
  changed: number;
  tookMs: number;
  /** Where the time went: the read, the rule, the write-back and the events. */
  phasesMs: { read: number; compute: number; write: number; events: number };
  window: { from: string; to: string };
}
export const TieringSummaryRequest = z.strictObject({});
export type TieringSummaryRequest = z.infer<typeof TieringSummaryRequest>;
export interface TieringSummaryDto {
  window: { from: string; to: string };
  totalPositiveRevenue: number;
  tiers: Array<{ tier: TierNumber; accounts: number; revenue: number; share: number }>;
  cutoffs: { tier1MinRevenue: number | null; tier1CumulativeShare: number | null; tier2MinRevenue: number | null; tier2CumulativeShare: number | null };
  computedAt: string | null;
}
export const SetTierOverrideRequest = z.strictObject({
  accountId: Uuid,
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  reason: Text(500),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type SetTierOverrideRequest = z.infer<typeof SetTierOverrideRequest>;
export const ClearTierOverrideRequest = z.strictObject({ accountId: Uuid });
export type ClearTierOverrideRequest = z.infer<typeof ClearTierOverrideRequest>;

// ---- events ----
export interface AccountChangedEvent {
  account: AccountDto;
}
export interface ContactChangedEvent {
  contact: ContactDto;
}
export interface ProjectChangedEvent {
  project: ProjectDto;
}
export interface ProjectWentLiveEvent {
  project: ProjectDto;
}
export interface AccountTierChangedEvent {
  accountId: string;
  oldTier: TierNumber;
  newTier: TierNumber;
  reason: string;
  revenue12m: number;
}
export interface RevenueChangedEvent {
  /** The (account, month) pairs inserted or changed, at most 1,000 per event. */
  records: Array<{ accountId: string; month: string }>;
}
