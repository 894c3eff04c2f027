import type { CommentDto, RoutingDto, TicketContact, TicketDto, TicketSnapshot } from '@steward/contracts';
import type { Priority, SlaState, StatusClass, SupportLevel, TicketTimeline } from '@steward/support-domain';
import type { Fact } from '../domain/rollup-facts';
import type { SlaMarks } from '../domain/sla-feed';
import type { StepRecord, TargetOverrides } from '../domain/ticket-sla';

/** How the ticket was routed, as stored: the DTO's fields plus the queue templates hand-off targets are keyed by. */
export type StoredRouting = RoutingDto & { templates: string[] };

/** The SLA state kept between changes: each clock's last state (for the feed), the plan's overrides. */
export interface StoredSla {
  states: Record<string, SlaState>;
  overrides: TargetOverrides;
}

/** A ticket as its row holds it (camelCase, instants as ISO strings). */
export interface TicketRow {
  id: string;
  externalId: string | null;
  accountId: string;
  projectId: string | null;
  contact: TicketContact | null;
  category: TicketDto['category'];
  priority: Priority;
  channel: TicketDto['channel'];
  subject: string;
  description: string;
  customFields: TicketDto['customFields'];
  requiredSkills: string[];
  status: string;
  statusClass: StatusClass;
  isOpen: boolean;
  level: SupportLevel;
  step: number;
  queue: string;
  teamId: string | null;
  assigneeId: string | null;
  routing: StoredRouting;
  steps: StepRecord[];
  originKind: string | null;
  originRef: string | null;
  followUp: boolean;
  complaint: boolean;
  mergedIntoId: string | null;
  reopenCount: number;
  escalations: number;
  agentResponses: number;
  imported: boolean;
  policyVersion: number;
  calendar: string;
  timeline: Required<TicketTimeline>;
  sla: StoredSla;
  slaMarks: SlaMarks;
  slaBreached: boolean;
  nextCheckAt: string | null;
  timerJobId: string | null;
  rollup: Fact[];
  createdAt: string;
  updatedAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  version: number;
}

export const TICKET_COLUMNS: ReadonlyArray<readonly [keyof TicketRow, string]> = [
  ['id', 'id'],
  ['externalId', 'external_id'],
  ['accountId', 'account_id'],
  ['projectId', 'project_id'],
  ['contact', 'contact'],
  ['category', 'category'],
  ['priority', 'priority'],
  ['channel', 'channel'],
  ['subject', 'subject'],
  ['description', 'description'],
  ['customFields', 'custom_fields'],
  ['requiredSkills', 'required_skills'],
  ['status', 'status'],
  ['statusClass', 'status_class'],
  ['isOpen', 'is_open'],
  ['level', 'level'],
  ['step', 'step'],
  ['queue', 'queue'],
  ['teamId', 'team_id'],
  ['assigneeId', 'assignee_id'],
  ['routing', 'routing'],
  ['steps', 'steps'],
  ['originKind', 'origin_kind'],
  ['originRef', 'origin_ref'],
  ['followUp', 'follow_up'],
  ['complaint', 'complaint'],
  ['mergedIntoId', 'merged_into_id'],
  ['reopenCount', 'reopen_count'],
  ['escalations', 'escalations'],
  ['agentResponses', 'agent_responses'],
  ['imported', 'imported'],
  ['policyVersion', 'policy_version'],
  ['calendar', 'calendar'],
  ['timeline', 'timeline'],
  ['sla', 'sla'],
  ['slaMarks', 'sla_marks'],
  ['slaBreached', 'sla_breached'],
  ['nextCheckAt', 'next_check_at'],
  ['timerJobId', 'timer_job_id'],
  ['rollup', 'rollup'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
  ['firstRespondedAt', 'first_responded_at'],
  ['resolvedAt', 'resolved_at'],
  ['closedAt', 'closed_at'],
  ['version', 'version'],
];
export const JSON_COLUMNS = new Set<keyof TicketRow>(['contact', 'customFields', 'routing', 'steps', 'timeline', 'sla', 'slaMarks', 'rollup']);
export const INSTANT_COLUMNS: ReadonlyArray<keyof TicketRow> = ['nextCheckAt', 'createdAt', 'updatedAt', 'firstRespondedAt', 'resolvedAt', 'closedAt'];

/** The row as events carry it (no clocks: `sla.*` events carry those). */
export function toSnapshot(t: TicketRow): TicketSnapshot {
  return {
    id: t.id,
    externalId: t.externalId,
    accountId: t.accountId,
    projectId: t.projectId,
    contactId: t.contact?.id ?? null,
    category: t.category,
    priority: t.priority,
    channel: t.channel,
    subject: t.subject,
    status: t.status,
    statusClass: t.statusClass,
    level: t.level,
    step: t.step,
    queue: t.queue,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    ruleId: t.routing.ruleId,
    policyVersion: t.policyVersion,
    origin: t.originKind ? { kind: t.originKind, ref: t.originRef ?? '' } : null,
    followUp: t.followUp,
    complaint: t.complaint,
    imported: t.imported,
    slaBreached: t.slaBreached,
    reopenCount: t.reopenCount,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    firstRespondedAt: t.firstRespondedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
  };
}

export function routingDto(r: StoredRouting): RoutingDto {
  return { level: r.level, ruleId: r.ruleId, explanation: r.explanation, steps: r.steps, policyVersion: r.policyVersion, decidedAt: r.decidedAt, facts: r.facts };
}

export interface CommentRow {
  id: string;
  ticketId: string;
  at: Date;
  by: CommentDto['by'];
  visibility: CommentDto['visibility'];
  body: string;
  author: string;
  attachments: CommentDto['attachments'];
}
export const toCommentDto = (c: CommentRow): CommentDto => ({ ...c, at: new Date(c.at).toISOString() });
