import { z } from 'zod';
import { SUPPORT_LEVELS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUS_CLASSES } from '@steward/domain-kernel';
import { Cursor, PageRequest, Uuid } from '../common';

// ---- vocabulary (the kernel's lists: one source of truth with libs/support-domain) ----

export { SUPPORT_LEVELS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUS_CLASSES };
/** How a ticket came in. WARNING: wire values. */
export const TICKET_CHANNELS = ['portal', 'partner-api', 'email', 'phone', 'crm', 'chat', 'system', 'import'] as const;
/** Clock states (libs/support-domain `SlaState`). */
export const SLA_STATES = ['running', 'paused', 'met', 'breached'] as const;
export const SLA_CLOCK_KINDS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution', 'handoff'] as const;
/** The entries of a ticket's SLA metric-event feed. WARNING: wire values. */
export const SLA_EVENT_KINDS = ['apply-policy', 'activate', 'pause', 'resume', 'fulfil', 'warn', 'breach'] as const;
export const COMMENT_VISIBILITIES = ['public', 'internal'] as const;
/** Who a public comment speaks for: an agent's answer stops response clocks, a customer's reply opens a next-response cycle. */
export const COMMENT_AUTHORS = ['agent', 'customer'] as const;

export const Level = z.enum(SUPPORT_LEVELS);
export const Priority = z.enum(TICKET_PRIORITIES);
export const Category = z.enum(TICKET_CATEGORIES);
export const StatusClass = z.enum(TICKET_STATUS_CLASSES);
/** A ticket status: built-in (`new`, `in-progress`, `waiting-on-customer`…) or one the tenant's policy adds. */
export const StatusKey = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a status key: lower-case letters, digits and dashes');
/** A queue as routing names it (`call-centre`, `branch-technical/north`). */
export const QueueName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\s{}][^{}]*$/, 'must be a queue name without placeholders');
export const SkillName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a skill key: lower-case letters, digits and dashes');

const Instant = z.iso.datetime();
/** Input instants carry a zone (`Z` or an offset): a wall-clock time is ambiguous. */
export const InputInstant = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().trim().min(1).max(max);

/** Custom fields of a ticket: flat key → scalar, bounded. */
export const TicketCustomFields = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'keys are letters, digits and _ (max 40)'), z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 custom fields');

export const TicketContact = z.strictObject({
  /** The contact in accounts' stakeholder map, when known. */
  id: Uuid.optional(),
  name: Text(200).optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .regex(/^[+0-9 ().-]{3,40}$/, 'must be a phone number')
    .optional(),
});
export type TicketContact = z.infer<typeof TicketContact>;

/**
 * Where a ticket comes from when another system opened it: a natural key. A second create
 * with the same origin returns the first ticket (services retry safely without an
 * Idempotency-Key). The feedback service's closed loop uses `{ kind: 'feedback', ref: <response id> }`.
 */
export const TicketOrigin = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case origin kind'),
  ref: Text(200),
});
export type TicketOrigin = z.infer<typeof TicketOrigin>;

// ---- SLA ----

export const SlaTargetsDto = z.object({
  firstResponse: z.number().optional(),
  nextResponse: z.number().optional(),
  periodicUpdate: z.number().optional(),
  resolution: z.number().optional(),
  handoff: z.number().optional(),
});
/** One SLA clock now (minutes are business minutes of the ticket's calendar). */
export const SlaClockDto = z.object({
  /** `firstResponse`, `resolution`, `handoff`, or a cycle: `nextResponse#2`, `periodicUpdate#1`. */
  key: z.string(),
  kind: z.enum(SLA_CLOCK_KINDS),
  targetMinutes: z.number(),
  startedAt: Instant,
  stoppedAt: Instant.nullable(),
  dueAt: Instant,
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  pausedMinutes: z.number(),
  state: z.enum(SLA_STATES),
  breachedAt: Instant.nullable(),
});
export type SlaClockDto = z.infer<typeof SlaClockDto>;
export const TicketSlaDto = z.object({
  /** The calendar the clocks count in, fixed at creation. */
  calendar: z.string(),
  policyVersion: z.number().int(),
  targets: SlaTargetsDto,
  /** The first-response and resolution clocks, the current step's hand-off clock, every next-response and periodic-update cycle. */
  clocks: z.array(SlaClockDto),
  /** Some clock of this ticket was ever breached. */
  breached: z.boolean(),
  /** Why the clocks are paused, while they are. */
  pauseReason: z.string().nullable(),
  /** The next instant a warning or breach can happen if nothing changes (the scheduler's due time). */
  nextCheckAt: Instant.nullable(),
  computedAt: Instant,
});
export type TicketSlaDto = z.infer<typeof TicketSlaDto>;

export const RoutingDto = z.object({
  level: Level,
  ruleId: z.string(),
  /** Why this rule decided, in words (libs/support-domain `routeTicket`). */
  explanation: z.string(),
  /** The queue of each step: `[firstQueue, ...escalationChain]`. */
  steps: z.array(z.string()),
  policyVersion: z.number().int(),
  decidedAt: Instant,
  /** What the routing saw: the project (or the account when the ticket has no project) and the entitlement. */
  facts: z.object({
    lead: z.string(),
    size: z.string(),
    kind: z.string(),
    region: z.string(),
    tier: z.number().int(),
    strategic: z.boolean(),
    entitlement: z.string(),
  }),
});
export type RoutingDto = z.infer<typeof RoutingDto>;

export const TicketStepDto = z.object({
  step: z.number().int(),
  queue: z.string(),
  teamId: Uuid.nullable(),
  enteredAt: Instant,
  leftAt: Instant.nullable(),
  /** Why the ticket left the step: `manual`, `sla-breach:handoff`…; null while it is there. */
  leftBecause: z.string().nullable(),
});

// ---- the ticket ----

export const TicketDto = z.object({
  id: Uuid,
  externalId: z.string().nullable(),
  accountId: Uuid,
  projectId: Uuid.nullable(),
  contact: TicketContact.nullable(),
  category: Category,
  priority: Priority,
  channel: z.enum(TICKET_CHANNELS),
  subject: z.string(),
  description: z.string(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  requiredSkills: z.array(z.string()),
  status: z.string(),
  statusClass: StatusClass,
  level: Level,
  /** 0 = the first queue; each escalation moves one step along `routing.steps`. */
  step: z.number().int(),
  queue: z.string(),
  teamId: Uuid.nullable(),
  assigneeId: Uuid.nullable(),
  routing: RoutingDto,
  steps: z.array(TicketStepDto),
  origin: TicketOrigin.nullable(),
  /** A closed-loop follow-up case (owned by the account's CSM). */
  followUp: z.boolean(),
  /** A complaint is registered for this ticket. */
  complaint: z.boolean(),
  mergedIntoId: Uuid.nullable(),
  reopenCount: z.number().int(),
  /** Imported with its history (from e-mail, phone, CRM or another help desk). */
  imported: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  firstRespondedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  sla: TicketSlaDto,
  version: z.number().int(),
});
export type TicketDto = z.infer<typeof TicketDto>;

export const CreateTicketRequest = z.strictObject({
  accountId: Uuid,
  projectId: Uuid.optional(),
  contact: TicketContact.optional(),
  category: Category,
  priority: Priority.default('normal'),
  /** Default: `portal` for users, `partner-api` for partner keys, `system` for services. */
  channel: z.enum(TICKET_CHANNELS).optional(),
  subject: Text(300),
  description: z.string().max(20_000).default(''),
  customFields: TicketCustomFields.optional(),
  /** Skills an assignee must have (members' skills are checked when a queue assigns). */
  requiredSkills: z.array(SkillName).max(10).optional(),
  origin: TicketOrigin.optional(),
  /** A closed-loop follow-up case: assigned to the account's CSM. */
  followUp: z.boolean().optional(),
});
export type CreateTicketRequest = z.infer<typeof CreateTicketRequest>;

export const TicketIdRequest = z.strictObject({ id: Uuid });
export type TicketIdRequest = z.infer<typeof TicketIdRequest>;

export const UpdateTicketRequest = z.strictObject({
  id: Uuid,
  subject: Text(300).optional(),
  description: z.string().max(20_000).optional(),
  /** A new priority moves the SLA targets (the clocks keep the time already used). */
  priority: Priority.optional(),
  contact: TicketContact.nullable().optional(),
  customFields: TicketCustomFields.optional(),
  requiredSkills: z.array(SkillName).max(10).optional(),
  /** Optimistic concurrency: the version last read; a stale one answers 409. */
  expectedVersion: z.number().int().min(1).optional(),
});
export type UpdateTicketRequest = z.infer<typeof UpdateTicketRequest>;

export const ChangeStatusRequest = z.strictObject({
  id: Uuid,
  status: StatusKey,
  reason: Text(500).optional(),
});
export type ChangeStatusRequest = z.infer<typeof ChangeStatusRequest>;

export const AssignTicketRequest = z.strictObject({
  id: Uuid,
  /** A user of the tenant; null unassigns; absent: the queue assigns by its strategy (round robin or least loaded, skills respected). */
  assigneeId: Uuid.nullable().optional(),
});
export type AssignTicketRequest = z.infer<typeof AssignTicketRequest>;

export const EscalateTicketRequest = z.strictObject({ id: Uuid, reason: Text(500) });
export type EscalateTicketRequest = z.infer<typeof EscalateTicketRequest>;

export const MergeTicketRequest = z.strictObject({
  id: Uuid,
  /** The ticket that stays: same account, still open. This one is closed as its duplicate. */
  intoTicketId: Uuid,
});
export type MergeTicketRequest = z.infer<typeof MergeTicketRequest>;

export const TICKET_SORTS = ['createdAt', '-createdAt'] as const;
export const ListTicketsRequest = PageRequest.extend({
  accountId: Uuid.optional(),
  projectId: Uuid.optional(),
  status: StatusKey.optional(),
  statusClass: StatusClass.optional(),
  /** Only tickets not resolved or closed. */
  open: z.boolean().optional(),
  level: Level.optional(),
  queue: QueueName.optional(),
  teamId: Uuid.optional(),
  assigneeId: Uuid.optional(),
  priority: Priority.optional(),
  category: Category.optional(),
  breached: z.boolean().optional(),
  sort: z.enum(TICKET_SORTS).default('-createdAt'),
});
export type ListTicketsRequest = z.infer<typeof ListTicketsRequest>;

// ---- comments ----

const MimeType = z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/i, 'must be a media type such as image/png');
/** Attachment metadata: the file lives elsewhere (object storage, the mail system). */
export const AttachmentDto = z.strictObject({
  name: Text(255),
  contentType: MimeType,
  sizeBytes: z.number().int().min(0).max(10 * 1024 ** 3),
  url: z.url().max(2000),
});
export const CommentDto = z.object({
  id: Uuid,
  ticketId: Uuid,
  at: Instant,
  by: z.enum(COMMENT_AUTHORS),
  visibility: z.enum(COMMENT_VISIBILITIES),
  body: z.string(),
  author: z.string(),
  attachments: z.array(AttachmentDto),
});
export type CommentDto = z.infer<typeof CommentDto>;
export const AddCommentRequest = z.strictObject({
  ticketId: Uuid,
  body: z.string().trim().min(1).max(20_000),
  visibility: z.enum(COMMENT_VISIBILITIES).default('public'),
  /** Default: `agent` for users, `customer` for partner keys (they speak for their customers). */
  by: z.enum(COMMENT_AUTHORS).optional(),
  attachments: z.array(AttachmentDto).max(20).default([]),
});
export type AddCommentRequest = z.infer<typeof AddCommentRequest>;
export const ListCommentsRequest = z.strictObject({ ticketId: Uuid, limit: z.number().int().min(1).max(200).default(100), cursor: Cursor.optional() });
export type ListCommentsRequest = z.infer<typeof ListCommentsRequest>;

// ---- history and SLA feed ----

export const SlaEventDto = z.object({
  seq: z.number().int(),
  /** When it happened on the clock (a breach: the missed deadline). */
  at: Instant,
  /** When the service recorded it. */
  recordedAt: Instant,
  kind: z.enum(SLA_EVENT_KINDS),
  /** The clock key (`firstResponse`, `handoff@1`…), null for apply-policy. */
  clock: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type SlaEventDto = z.infer<typeof SlaEventDto>;
export const TicketTimelineDto = z.object({
  ticketId: Uuid,
  statusChanges: z.array(z.object({ at: Instant, status: z.string(), statusClass: StatusClass, by: z.string(), reason: z.string().nullable() })),
  slaEvents: z.array(SlaEventDto),
});
export type TicketTimelineDto = z.infer<typeof TicketTimelineDto>;

// ---- import with history ----

export const ImportedTicket = z.strictObject({
  /** The ticket's id in the source system: importing it again changes nothing. */
  externalId: Text(100),
  accountId: Uuid,
  projectId: Uuid.optional(),
  contact: TicketContact.optional(),
  category: Category,
  priority: Priority.default('normal'),
  channel: z.enum(TICKET_CHANNELS).default('import'),
  subject: Text(300),
  description: z.string().max(20_000).default(''),
  customFields: TicketCustomFields.optional(),
  createdAt: InputInstant,
  /** Every status change after the creation (which is `new` at `createdAt`), oldest first. */
  history: z.array(z.strictObject({ at: InputInstant, status: StatusKey, reason: Text(500).optional() })).max(500).default([]),
  /** Public messages and internal notes, oldest first: agents' answers stop the response clocks as they would have live. */
  comments: z
    .array(z.strictObject({ at: InputInstant, by: z.enum(COMMENT_AUTHORS), visibility: z.enum(COMMENT_VISIBILITIES).default('public'), body: z.string().trim().min(1).max(20_000), author: Text(200).optional() }))
    .max(1000)
    .default([]),
  assigneeId: Uuid.optional(),
  /** The ticket was flagged as a complaint in the source system. */
  complaint: z.boolean().default(false),
});
export type ImportedTicket = z.infer<typeof ImportedTicket>;
export const ImportTicketsRequest = z.strictObject({ tickets: z.array(ImportedTicket).min(1).max(500) });
export type ImportTicketsRequest = z.infer<typeof ImportTicketsRequest>;
export const ImportTicketsResponse = z.object({
  imported: z.number().int(),
  /** Already imported before (same externalId): left as they are. */
  unchanged: z.number().int(),
  tickets: z.array(z.object({ externalId: z.string(), id: Uuid, imported: z.boolean() })),
});
export type ImportTicketsResponse = z.infer<typeof ImportTicketsResponse>;

// ---- routing preview ----

export const PreviewRoutingRequest = z.strictObject({ accountId: Uuid, projectId: Uuid.optional(), category: Category });
export type PreviewRoutingRequest = z.infer<typeof PreviewRoutingRequest>;

// ---- events ----

/** What every ticket event carries: the ticket as it is after the change (no clocks; `sla.*` events carry those). */
export const TicketSnapshot = z.object({
  id: Uuid,
  externalId: z.string().nullable(),
  accountId: Uuid,
  projectId: Uuid.nullable(),
  contactId: Uuid.nullable(),
  category: Category,
  priority: Priority,
  channel: z.enum(TICKET_CHANNELS),
  subject: z.string(),
  status: z.string(),
  statusClass: StatusClass,
  level: Level,
  step: z.number().int(),
  queue: z.string(),
  teamId: Uuid.nullable(),
  assigneeId: Uuid.nullable(),
  ruleId: z.string(),
  policyVersion: z.number().int(),
  origin: TicketOrigin.nullable(),
  followUp: z.boolean(),
  complaint: z.boolean(),
  imported: z.boolean(),
  slaBreached: z.boolean(),
  reopenCount: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
  firstRespondedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
});
export type TicketSnapshot = z.infer<typeof TicketSnapshot>;

export const TicketEvent = z.object({ ticket: TicketSnapshot });
export type TicketEvent = z.infer<typeof TicketEvent>;
export const TicketRoutedEvent = z.object({ ticket: TicketSnapshot, routing: RoutingDto });
export const TicketStatusChangedEvent = z.object({
  ticket: TicketSnapshot,
  from: z.object({ status: z.string(), statusClass: StatusClass }),
  to: z.object({ status: z.string(), statusClass: StatusClass }),
  reason: z.string().nullable(),
  /** Set while the new status pauses the SLA. */
  pauseReason: z.string().nullable(),
});
export const TicketAssignedEvent = z.object({ ticket: TicketSnapshot, previousAssigneeId: Uuid.nullable(), how: z.enum(['manual', 'round-robin', 'least-loaded', 'csm']) });
export const TicketEscalatedEvent = z.object({
  ticket: TicketSnapshot,
  fromStep: z.number().int(),
  fromQueue: z.string(),
  toStep: z.number().int(),
  toQueue: z.string(),
  /** `manual`, or `sla-breach:<clock>` when the escalation chain moved it on a breach. */
  reason: z.string(),
});
export const TicketResolvedEvent = z.object({
  ticket: TicketSnapshot,
  /** Business minutes from creation to resolution, as the resolution clock counted them (null without a target). */
  resolutionMinutes: z.number().nullable(),
  /** Resolved with at most one agent answer and never escalated or reopened. */
  firstContactResolution: z.boolean(),
  /** The resolution clock's outcome. */
  resolutionSla: z.enum(SLA_STATES).nullable(),
});
export const TicketPriorityChangedEvent = z.object({ ticket: TicketSnapshot, from: Priority, to: Priority });
export const TicketMergedEvent = z.object({ ticket: TicketSnapshot, intoTicketId: Uuid });

export const SlaEvent = z.object({
  ticket: TicketSnapshot,
  clock: z.object({ key: z.string(), kind: z.enum(SLA_CLOCK_KINDS), targetMinutes: z.number(), dueAt: Instant, state: z.enum(SLA_STATES) }),
  /** A warning's fraction of the target (0.75). */
  fraction: z.number().optional(),
  /** The deadline (breach), the threshold's time (warning) or when the clock stopped (fulfilled). */
  at: Instant,
});
export type SlaEvent = z.infer<typeof SlaEvent>;
