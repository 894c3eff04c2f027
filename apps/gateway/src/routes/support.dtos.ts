import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import {
  AddCommentRequest,
  AddVisitRequest,
  AssignTicketRequest,
  BACKLOG_DIMENSIONS,
  ChangeStatusRequest,
  COMPLAINT_OUTCOMES,
  CreateRmaRequest,
  CreateTeamRequest,
  CreateTicketRequest,
  Cursor,
  EscalateTicketRequest,
  ImportTicketsRequest,
  IssueVoucherRequest,
  Level,
  MergeTicketRequest,
  Priority,
  PutPolicyRequest,
  QueueName,
  RedeemVoucherRequest,
  REPORT_DIMENSIONS,
  REPORT_PERIODS,
  RegisterComplaintRequest,
  RMA_STATUSES,
  SetTeamMemberRequest,
  StatusClass,
  StatusKey,
  TICKET_CATEGORIES,
  TICKET_SORTS,
  TransitionRmaRequest,
  UpdateRmaPartsRequest,
  UpdateTeamRequest,
  UpdateTicketRequest,
  UpdateVisitRequest,
  VOUCHER_STATUSES,
} from '@steward/contracts';

// HTTP bodies reuse the NATS contract schemas; ids come from the path, never the body.
const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const page = { limit: z.coerce.number().int().min(1).max(200).default(50), cursor: Cursor.optional() };
/** `level,priority` → `['level', 'priority']` */
const csv = <T extends readonly [string, ...string[]]>(values: T, fallback: Array<T[number]>) =>
  z
    .string()
    .max(200)
    .optional()
    .transform((s) => (s === undefined || s === '' ? fallback : s.split(',').map((x) => x.trim())))
    .pipe(z.array(z.enum(values)).max(values.length));

export class CreateTicketBody extends createZodDto(CreateTicketRequest) {}
export class ImportTicketsBody extends createZodDto(ImportTicketsRequest) {}
export class UpdateTicketBody extends createZodDto(UpdateTicketRequest.omit({ id: true })) {}
export class ChangeStatusBody extends createZodDto(ChangeStatusRequest.omit({ id: true })) {}
export class AssignTicketBody extends createZodDto(AssignTicketRequest.omit({ id: true })) {}
export class EscalateTicketBody extends createZodDto(EscalateTicketRequest.omit({ id: true })) {}
export class MergeTicketBody extends createZodDto(MergeTicketRequest.omit({ id: true })) {}
export class AddCommentBody extends createZodDto(AddCommentRequest.omit({ ticketId: true })) {}
export class RegisterComplaintBody extends createZodDto(RegisterComplaintRequest.omit({ ticketId: true })) {}
export class CreateRmaBody extends createZodDto(CreateRmaRequest.omit({ ticketId: true })) {}
export class TransitionRmaBody extends createZodDto(TransitionRmaRequest.omit({ id: true })) {}
export class RmaPartsBody extends createZodDto(UpdateRmaPartsRequest.omit({ id: true })) {}
export class AddVisitBody extends createZodDto(AddVisitRequest.omit({ rmaId: true })) {}
export class UpdateVisitBody extends createZodDto(UpdateVisitRequest.omit({ rmaId: true, visitId: true })) {}
export class PutPolicyBody extends createZodDto(PutPolicyRequest) {}
export class CreateTeamBody extends createZodDto(CreateTeamRequest) {}
export class UpdateTeamBody extends createZodDto(UpdateTeamRequest.omit({ id: true })) {}
export class SetTeamMemberBody extends createZodDto(SetTeamMemberRequest.omit({ teamId: true, userId: true })) {}
export class IssueVoucherBody extends createZodDto(IssueVoucherRequest) {}
export class RedeemVoucherBody extends createZodDto(RedeemVoucherRequest.omit({ id: true })) {}
export class ResolveComplaintBody extends createZodDto(z.strictObject({ outcome: z.enum(COMPLAINT_OUTCOMES) })) {}

export class ListTicketsQuery extends createZodDto(
  z.strictObject({
    ...page,
    accountId: z.uuid().optional(),
    projectId: z.uuid().optional(),
    status: StatusKey.optional(),
    statusClass: StatusClass.optional(),
    open: bool,
    level: Level.optional(),
    queue: QueueName.optional(),
    teamId: z.uuid().optional(),
    assigneeId: z.uuid().optional(),
    priority: Priority.optional(),
    category: z.enum(TICKET_CATEGORIES).optional(),
    breached: bool,
    sort: z.enum(TICKET_SORTS).default('-createdAt'),
  }),
) {}
export class ListCommentsQuery extends createZodDto(z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(100), cursor: Cursor.optional() })) {}
export class PreviewRoutingQuery extends createZodDto(z.strictObject({ accountId: z.uuid(), projectId: z.uuid().optional(), category: z.enum(TICKET_CATEGORIES) })) {}
export class PolicyQuery extends createZodDto(z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional() })) {}
export class ListTeamsQuery extends createZodDto(z.strictObject({ ...page, queue: QueueName.optional() })) {}
export class ListRmaQuery extends createZodDto(z.strictObject({ ...page, ticketId: z.uuid().optional(), accountId: z.uuid().optional(), status: z.enum(RMA_STATUSES).optional() })) {}
export class ListComplaintsQuery extends createZodDto(z.strictObject({ ...page, accountId: z.uuid().optional(), status: z.enum(['open', 'resolved']).optional() })) {}
export class ListVouchersQuery extends createZodDto(z.strictObject({ ...page, accountId: z.uuid().optional(), status: z.enum(VOUCHER_STATUSES).optional() })) {}
export class ReportQuery extends createZodDto(
  z
    .strictObject({
      from: z.iso.date(),
      to: z.iso.date(),
      groupBy: csv(REPORT_DIMENSIONS, []).describe(`Comma-separated: ${REPORT_DIMENSIONS.join(', ')}`),
      period: z.enum(REPORT_PERIODS).default('month'),
      level: Level.optional(),
      priority: Priority.optional(),
    })
    .refine((r) => r.from <= r.to, { path: ['to'], message: 'must not be before from' }),
) {}
export class BacklogQuery extends createZodDto(z.strictObject({ groupBy: csv(BACKLOG_DIMENSIONS, ['queue']).describe(`Comma-separated: ${BACKLOG_DIMENSIONS.join(', ')}`) })) {}
