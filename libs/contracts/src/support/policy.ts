import { z } from 'zod';
import { RMA_KINDS, SUPPORT_LEVELS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUS_CLASSES, VOUCHER_KINDS } from '@steward/domain-kernel';
import { Uuid } from '../common';

// The support policy as it travels (libs/support-domain `SupportPolicyDocument`). These
// schemas check the shape; the service then checks the meaning (targets above 0, rules
// after the catch-all, calendars that exist, hand-offs for queues the level uses) with
// `validatePolicyDocument`, and both name the field: `policy.levels.L2.targets.urgent.firstResponse`.

const Name = z.string().min(1).max(100);
/** Business minutes; the service refuses 0 and negative targets. */
const Minutes = z.number();
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WorkingInterval = z.strictObject({ start: z.string().max(5), end: z.string().max(5) });

export const BusinessCalendarDto = z.union([
  z.strictObject({ kind: z.literal('24x7') }),
  z.strictObject({
    kind: z.literal('business-hours'),
    /** IANA zone, e.g. `Asia/Shanghai`. */
    timeZone: z.string().min(1).max(64),
    /** Several ranges a day are allowed; a missing day is closed. */
    weeklyHours: z.partialRecord(z.enum(WEEKDAYS), z.array(WorkingInterval).max(12)),
    /** `YYYY-MM-DD` once, or `MM-DD` every year. */
    holidays: z.array(z.string().max(10)).max(1000).optional(),
    /** Days with other hours (`hours: []` closes the day); they win over holidays. */
    specialDays: z
      .array(z.strictObject({ date: z.string().max(10), hours: z.array(WorkingInterval).max(12) }))
      .max(1000)
      .optional(),
  }),
]);
export type BusinessCalendarDto = z.infer<typeof BusinessCalendarDto>;

const Conditions = z.strictObject({
  kind: z.array(z.string().max(40)).max(10).optional(),
  size: z.array(z.string().max(40)).max(10).optional(),
  lead: z.array(z.string().max(40)).max(10).optional(),
  complexity: z.array(z.string().max(40)).max(10).optional(),
  region: z.array(z.string().max(100)).max(100).optional(),
  tier: z.array(z.number()).max(3).optional(),
  strategic: z.boolean().optional(),
  entitlement: z.array(z.string().max(10)).max(4).optional(),
  category: z.array(z.enum(TICKET_CATEGORIES)).max(TICKET_CATEGORIES.length).optional(),
});
export const SupportRuleDto = z.strictObject({
  id: Name,
  description: z.string().max(1000).optional(),
  when: Conditions,
  level: z.enum(SUPPORT_LEVELS),
  /** May hold `{region}` and `{deliveryTeam}`. */
  firstQueue: z.string().max(200),
  escalationChain: z.array(z.string().max(200)).max(10),
});
const PriorityTargets = z.strictObject({ firstResponse: Minutes, nextResponse: Minutes.optional(), periodicUpdate: Minutes.optional(), resolution: Minutes });
const LevelPolicy = z.strictObject({
  targets: z.record(z.enum(TICKET_PRIORITIES), PriorityTargets),
  /** Queue (as written in the level's rules) → minutes per priority to solve or escalate. */
  handoff: z.record(z.string().max(200), z.partialRecord(z.enum(TICKET_PRIORITIES), Minutes)).optional(),
  calendar: Name.optional(),
});
export const TicketStatusDefinitionDto = z.strictObject({
  key: z.string().max(40),
  label: z.string().max(100),
  class: z.enum(TICKET_STATUS_CLASSES),
  pausesSla: z.boolean(),
  pauseReason: z.string().max(100).optional(),
});
export const RecoveryRuleDto = z.strictObject({
  id: Name,
  on: z.enum(['breach', 'complaint']),
  when: z
    .strictObject({
      levels: z.array(z.enum(SUPPORT_LEVELS)).max(3).optional(),
      tiers: z.array(z.number()).max(3).optional(),
      priorities: z.array(z.enum(TICKET_PRIORITIES)).max(4).optional(),
      clocks: z.array(z.enum(['firstResponse', 'resolution', 'handoff'])).max(3).optional(),
    })
    .optional(),
  voucher: z.strictObject({ kind: z.enum(VOUCHER_KINDS), faceValue: z.number(), currency: z.string().max(3), validDays: z.number() }),
});

export const SupportPolicyDocumentDto = z.strictObject({
  rules: z.array(SupportRuleDto).min(1).max(200),
  levels: z.strictObject({ L1: LevelPolicy, L2: LevelPolicy, L3: LevelPolicy }),
  calendars: z.record(Name, BusinessCalendarDto),
  defaultCalendar: Name,
  regionCalendars: z.record(z.string().max(100), Name).optional(),
  warnings: z.array(z.number()).max(5),
  statuses: z.array(TicketStatusDefinitionDto).max(50),
  reopenWindowDays: z.number(),
  recovery: z.array(RecoveryRuleDto).max(50),
  aftersales: z.strictObject({ targets: z.record(z.enum(RMA_KINDS), Minutes) }),
});
export type SupportPolicyDocumentDto = z.infer<typeof SupportPolicyDocumentDto>;

export const SupportPolicyDto = z.object({
  /** 0: no policy saved yet, the default (DOMAIN.md §2) applies. */
  version: z.number().int(),
  policy: SupportPolicyDocumentDto,
  comment: z.string().nullable(),
  createdAt: z.iso.datetime().nullable(),
  createdBy: z.string().nullable(),
  /** Every status a ticket may take under this policy: the built-in ones and the tenant's. */
  statuses: z.array(TicketStatusDefinitionDto),
});
export type SupportPolicyDto = z.infer<typeof SupportPolicyDto>;

export const GetPolicyRequest = z.strictObject({
  /** A saved version; absent: the current one. */
  version: z.number().int().min(1).optional(),
});
export type GetPolicyRequest = z.infer<typeof GetPolicyRequest>;

export const PutPolicyRequest = z.strictObject({
  policy: SupportPolicyDocumentDto,
  comment: z.string().trim().min(1).max(500).optional(),
  /** Also re-apply the new version to open tickets (their targets change; the time already used stays). New tickets always get it. */
  reapplyToOpenTickets: z.boolean().default(false),
});
export type PutPolicyRequest = z.infer<typeof PutPolicyRequest>;
export const PutPolicyResponse = SupportPolicyDto.extend({
  /** The durable job re-applying the policy to open tickets, when asked for. */
  reapplyJobId: Uuid.nullable(),
});
export type PutPolicyResponse = z.infer<typeof PutPolicyResponse>;
