import { page } from '../common';
import { defineService, event, rpc } from '../define';
import * as as from './aftersales';
import * as org from './organisation';
import * as pol from './policy';
import * as rep from './reports';
import * as t from './tickets';

export * from './tickets';
export * from './policy';
export * from './organisation';
export * from './aftersales';
export * from './reports';

/**
 * The support service (DOMAIN.md §2): the L1/L2/L3 support ladder, tickets with exact SLA
 * clocks, escalation, after-sales orders (RMA), complaints and service-recovery vouchers.
 *
 * Other services: `ticketCreate` accepts a service (system actor) too; give it an `origin`
 * (`{ kind: 'feedback', ref }`) and a retry returns the same ticket. `followUp: true` makes it
 * a closed-loop case owned by the account's CSM; category `complaint` registers a complaint.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const supportContract = defineService('support', {
  rpc: {
    ticketCreate: rpc('ticket.create.v1', t.CreateTicketRequest, t.TicketDto, 'Open a ticket: routed to a level, step and queue by the support policy'),
    ticketImport: rpc('ticket.import.v1', t.ImportTicketsRequest, t.ImportTicketsResponse, 'Import tickets with their history (idempotent on externalId); SLA computed as if live'),
    ticketGet: rpc('ticket.get.v1', t.TicketIdRequest, t.TicketDto, 'One ticket with its live SLA clocks'),
    ticketList: rpc('ticket.list.v1', t.ListTicketsRequest, page(t.TicketDto), 'Tickets with filters, newest first, keyset pages'),
    ticketUpdate: rpc('ticket.update.v1', t.UpdateTicketRequest, t.TicketDto, 'Change subject, description, priority (targets move), contact, custom fields'),
    ticketChangeStatus: rpc('ticket.change-status.v1', t.ChangeStatusRequest, t.TicketDto, 'Move a ticket through its lifecycle (reopen within the window)'),
    ticketAssign: rpc('ticket.assign.v1', t.AssignTicketRequest, t.TicketDto, 'Assign to a user, unassign, or let the queue assign'),
    ticketEscalate: rpc('ticket.escalate.v1', t.EscalateTicketRequest, t.TicketDto, 'Move a ticket to the next step of its escalation chain'),
    ticketMerge: rpc('ticket.merge.v1', t.MergeTicketRequest, t.TicketDto, 'Close a duplicate into another ticket of the same account'),
    ticketTimeline: rpc('ticket.timeline.v1', t.TicketIdRequest, t.TicketTimelineDto, "A ticket's status history and SLA metric events"),
    commentAdd: rpc('comment.add.v1', t.AddCommentRequest, t.CommentDto, 'Add a public answer, a customer reply or an internal note'),
    commentList: rpc('comment.list.v1', t.ListCommentsRequest, page(t.CommentDto), "A ticket's comments, oldest first"),
    routingPreview: rpc('routing.preview.v1', t.PreviewRoutingRequest, t.RoutingDto, 'Where a ticket on this account/project would go, and why'),
    policyGet: rpc('policy.get.v1', pol.GetPolicyRequest, pol.SupportPolicyDto, 'The current support policy, or a saved version'),
    policyPut: rpc('policy.put.v1', pol.PutPolicyRequest, pol.PutPolicyResponse, 'Save a new policy version (validated); optionally re-apply it to open tickets'),
    teamCreate: rpc('team.create.v1', org.CreateTeamRequest, org.TeamDto, 'Create a team serving one queue'),
    teamUpdate: rpc('team.update.v1', org.UpdateTeamRequest, org.TeamDto, 'Change a team'),
    teamGet: rpc('team.get.v1', org.TeamIdRequest, org.TeamDto, 'One team with its members'),
    teamList: rpc('team.list.v1', org.ListTeamsRequest, page(org.TeamDto), 'Teams, one page'),
    teamMemberSet: rpc('team.member-set.v1', org.SetTeamMemberRequest, org.TeamDto, 'Add a member or change their skills and capacity'),
    teamMemberRemove: rpc('team.member-remove.v1', org.RemoveTeamMemberRequest, org.TeamDto, 'Remove a member from a team'),
    readModelStatus: rpc('read-model.status.v1', org.ReadModelStatusRequest, org.ReadModelStatusDto, "What support knows of other services' facts"),
    readModelRebuild: rpc('read-model.rebuild.v1', org.RebuildReadModelsRequest, org.RebuildReadModelsResponse, "Replay accounts' and the catalog's events into the read models"),
    rmaCreate: rpc('rma.create.v1', as.CreateRmaRequest, as.RmaOrderDto, 'Raise an installation, repair or return order from a ticket'),
    rmaGet: rpc('rma.get.v1', as.RmaIdRequest, as.RmaOrderDto, 'One after-sales order'),
    rmaList: rpc('rma.list.v1', as.ListRmaRequest, page(as.RmaOrderDto), 'After-sales orders, newest first'),
    rmaTransition: rpc('rma.transition.v1', as.TransitionRmaRequest, as.RmaOrderDto, 'Move an after-sales order to its next state'),
    rmaParts: rpc('rma.parts.v1', as.UpdateRmaPartsRequest, as.RmaOrderDto, "Replace an order's parts list"),
    rmaVisitAdd: rpc('rma.visit-add.v1', as.AddVisitRequest, as.RmaOrderDto, 'Schedule a field-service visit'),
    rmaVisitUpdate: rpc('rma.visit-update.v1', as.UpdateVisitRequest, as.RmaOrderDto, 'Record how a visit went'),
    complaintRegister: rpc('complaint.register.v1', as.RegisterComplaintRequest, as.ComplaintDto, 'Flag a ticket as a complaint (idempotent per ticket)'),
    complaintResolve: rpc('complaint.resolve.v1', as.ResolveComplaintRequest, as.ComplaintDto, 'Close a complaint with how the customer ended'),
    complaintList: rpc('complaint.list.v1', as.ListComplaintsRequest, page(as.ComplaintDto), 'The complaint register, newest first'),
    voucherIssue: rpc('voucher.issue.v1', as.IssueVoucherRequest, as.VoucherDto, 'Issue a service-recovery voucher by hand'),
    voucherRedeem: rpc('voucher.redeem.v1', as.RedeemVoucherRequest, as.VoucherDto, 'Redeem a voucher against an order'),
    voucherGet: rpc('voucher.get.v1', as.VoucherIdRequest, as.VoucherDto, 'One voucher'),
    voucherList: rpc('voucher.list.v1', as.ListVouchersRequest, page(as.VoucherDto), 'Vouchers, newest first'),
    reportCompliance: rpc('report.compliance.v1', rep.ReportRequest, rep.ComplianceReportDto, 'SLA compliance, first-contact resolution and complaint rate by level, step, queue, team, priority and period'),
    reportHandoff: rpc('report.handoff.v1', rep.ReportRequest, rep.HandoffReportDto, 'Hand-off compliance and times per step'),
    reportBacklog: rpc('report.backlog.v1', rep.BacklogRequest, rep.BacklogReportDto, 'Open tickets and their age'),
  },
  events: {
    ticketCreated: event('ticket.created.v1', t.TicketEvent, 'A ticket was opened or imported (`ticket.imported` is true for history brought in from elsewhere)'),
    ticketRouted: event('ticket.routed.v1', t.TicketRoutedEvent, 'A ticket got its level, steps and queue (at creation, or when a policy was re-applied)'),
    ticketStatusChanged: event('ticket.status-changed.v1', t.TicketStatusChangedEvent, "A ticket's status changed"),
    ticketAssigned: event('ticket.assigned.v1', t.TicketAssignedEvent, 'A ticket was assigned or unassigned'),
    ticketEscalated: event('ticket.escalated.v1', t.TicketEscalatedEvent, 'A ticket moved to the next step of its escalation chain'),
    ticketPriorityChanged: event('ticket.priority-changed.v1', t.TicketPriorityChangedEvent, "A ticket's priority changed (its targets moved)"),
    ticketResolved: event('ticket.resolved.v1', t.TicketResolvedEvent, 'A ticket was resolved (send CSAT now)'),
    ticketReopened: event('ticket.reopened.v1', t.TicketEvent, 'A resolved or closed ticket was reopened'),
    ticketClosed: event('ticket.closed.v1', t.TicketEvent, 'A ticket was closed'),
    ticketMerged: event('ticket.merged.v1', t.TicketMergedEvent, 'A duplicate ticket was closed into another'),
    slaWarned: event('sla.warned.v1', t.SlaEvent, 'A clock passed a warning threshold of its target'),
    slaBreached: event('sla.breached.v1', t.SlaEvent, 'A clock ran past its deadline'),
    slaFulfilled: event('sla.fulfilled.v1', t.SlaEvent, 'A clock stopped in time'),
    complaintRegistered: event('complaint.registered.v1', as.ComplaintEvent, 'A complaint was registered'),
    complaintResolved: event('complaint.resolved.v1', as.ComplaintEvent, 'A complaint was closed with its outcome'),
    voucherIssued: event('voucher.issued.v1', as.VoucherEvent, 'A service-recovery voucher was issued'),
    voucherRedeemed: event('voucher.redeemed.v1', as.VoucherEvent, 'A voucher was redeemed against an order'),
    voucherExpired: event('voucher.expired.v1', as.VoucherEvent, 'A voucher expired unused'),
    rmaChanged: event('rma.changed.v1', as.RmaChangedEvent, 'An after-sales order was raised or changed'),
  },
  errors: {
    TicketClosed: 'TICKET_CLOSED',
    TicketTransitionNotAllowed: 'TICKET_TRANSITION_NOT_ALLOWED',
    ReopenWindowPassed: 'REOPEN_WINDOW_PASSED',
    NoNextStep: 'NO_NEXT_STEP',
    QueueTaken: 'QUEUE_TAKEN',
    RmaTransitionNotAllowed: 'RMA_TRANSITION_NOT_ALLOWED',
    VoucherNotRedeemable: 'VOUCHER_NOT_REDEEMABLE',
  },
});
