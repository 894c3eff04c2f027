import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users, UsersOrPartners } from '../auth/access';
import { CreatedAt, expectedVersion, IfMatchVersion, NoLocation } from '../http/conventions';
import { UuidParam } from '../http/uuid.pipe';
import { RPC } from '../tokens';
import {
  AddCommentBody,
  AddVisitBody,
  AssignTicketBody,
  BacklogQuery,
  ChangeStatusBody,
  CreateRmaBody,
  CreateTeamBody,
  CreateTicketBody,
  EscalateTicketBody,
  ImportTicketsBody,
  IssueVoucherBody,
  ListCommentsQuery,
  ListComplaintsQuery,
  ListRmaQuery,
  ListTeamsQuery,
  ListTicketsQuery,
  ListVouchersQuery,
  MergeTicketBody,
  PolicyQuery,
  PreviewRoutingQuery,
  PutPolicyBody,
  RedeemVoucherBody,
  RegisterComplaintBody,
  ReportQuery,
  ResolveComplaintBody,
  RmaPartsBody,
  SetTeamMemberBody,
  TransitionRmaBody,
  UpdateTeamBody,
  UpdateTicketBody,
  UpdateVisitBody,
} from './support.dtos';
import { Returns } from '../openapi/returns';

const s = Subjects.support;
const AGENTS = ['admin', 'manager', 'csm', 'agent'] as const;
const MANAGERS = ['admin', 'manager'] as const;

/**
 * Tickets (DOMAIN.md §2). Partners (X-Api-Key) open and follow tickets on the accounts they
 * lead (another partner's ticket is a 404); everything else is for portal users.
 */
@ApiTags('support: tickets')
@Controller('v1/support')
export class SupportTicketsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Post('tickets')
  @UsersOrPartners(...AGENTS)
  @ApiOperation({ summary: 'Open a ticket: routed to a level, step and queue by the support policy (the deciding rule is in routing)' })
  @Returns(s.ticketCreate)
  create(@Body() body: CreateTicketBody) {
    return this.rpc.request(s.ticketCreate, body);
  }

  @Post('tickets::import')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Import up to 500 tickets with their status history and comments (idempotent on externalId; SLA replayed as if live)' })
  @Returns(s.ticketImport)
  import(@Body() body: ImportTicketsBody) {
    return this.rpc.request(s.ticketImport, body, { timeoutMs: 60_000 });
  }

  @Get('tickets')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Tickets with filters, newest first (cursor pagination)' })
  @Returns(s.ticketList)
  list(@Query() q: ListTicketsQuery) {
    return this.rpc.request(s.ticketList, q);
  }

  @Get('tickets/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One ticket with its live SLA clocks' })
  @Returns(s.ticketGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.ticketGet, { id });
  }

  @Patch('tickets/:id')
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Change subject, description, priority (the targets move), contact, custom fields, skills' })
  @Returns(s.ticketUpdate)
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateTicketBody, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.ticketUpdate, { ...body, id, ...expectedVersion(body.expectedVersion, ifMatch) });
  }

  @Post('tickets/:id/status')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: "Move the ticket to another status (the tenant's statuses; reopen within the window)" })
  @Returns(s.ticketChangeStatus)
  status(@Param('id', UuidParam) id: string, @Body() body: ChangeStatusBody) {
    return this.rpc.request(s.ticketChangeStatus, { ...body, id });
  }

  @Post('tickets/:id/assign')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Assign to a user (null: unassign; no assigneeId: the queue assigns by its strategy)' })
  @Returns(s.ticketAssign)
  assign(@Param('id', UuidParam) id: string, @Body() body: AssignTicketBody) {
    return this.rpc.request(s.ticketAssign, { ...body, id });
  }

  @Post('tickets/:id/escalate')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Move the ticket to the next step of its escalation chain' })
  @Returns(s.ticketEscalate)
  escalate(@Param('id', UuidParam) id: string, @Body() body: EscalateTicketBody) {
    return this.rpc.request(s.ticketEscalate, { ...body, id });
  }

  @Post('tickets/:id/merge')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Close this duplicate into another open ticket of the same account' })
  @Returns(s.ticketMerge)
  merge(@Param('id', UuidParam) id: string, @Body() body: MergeTicketBody) {
    return this.rpc.request(s.ticketMerge, { ...body, id });
  }

  @Get('tickets/:id/timeline')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Status history and the SLA metric-event feed (activate, pause, resume, fulfil, warn, breach, apply-policy)' })
  @Returns(s.ticketTimeline)
  timeline(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.ticketTimeline, { id });
  }

  @Post('tickets/:id/comments')
  @NoLocation() // no route reads one comment: the ticket's comments list does
  @UsersOrPartners(...AGENTS)
  @ApiOperation({ summary: "Add a public answer, a customer's reply or an internal note (attachment metadata)" })
  @Returns(s.commentAdd)
  comment(@Param('id', UuidParam) ticketId: string, @Body() body: AddCommentBody) {
    return this.rpc.request(s.commentAdd, { ...body, ticketId });
  }

  @Get('tickets/:id/comments')
  @UsersOrPartners()
  @ApiOperation({ summary: 'Comments, oldest first (partners see public ones only)' })
  @Returns(s.commentList)
  comments(@Param('id', UuidParam) ticketId: string, @Query() q: ListCommentsQuery) {
    return this.rpc.request(s.commentList, { ...q, ticketId });
  }

  @Post('tickets/:id/complaint')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Register the ticket as a complaint (once; recovery rules may issue a voucher)' })
  @Returns(s.complaintRegister)
  complaint(@Param('id', UuidParam) ticketId: string, @Body() body: RegisterComplaintBody) {
    return this.rpc.request(s.complaintRegister, { ...body, ticketId });
  }

  @Post('tickets/:id/rma-orders')
  @CreatedAt('/v1/support/rma-orders/{id}')
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Raise an installation, repair or return order (RMA) from the ticket' })
  @Returns(s.rmaCreate)
  raiseRma(@Param('id', UuidParam) ticketId: string, @Body() body: CreateRmaBody) {
    return this.rpc.request(s.rmaCreate, { ...body, ticketId });
  }

  @Get('routing::preview')
  @Users()
  @ApiOperation({ summary: 'Where a ticket on this account (and project) would be routed now, and why' })
  @Returns(s.routingPreview)
  preview(@Query() q: PreviewRoutingQuery) {
    return this.rpc.request(s.routingPreview, q);
  }
}

/** The support policy, teams and the read models of other services' facts. */
@ApiTags('support: policy and teams')
@Controller('v1/support')
export class SupportSetupController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('policy')
  @Users()
  @ApiOperation({ summary: 'The current support policy (version 0: the built-in default), or a saved version' })
  @Returns(s.policyGet)
  policy(@Query() q: PolicyQuery) {
    return this.rpc.request(s.policyGet, q);
  }

  @Put('policy')
  @Users('admin')
  @ApiOperation({ summary: 'Save a new policy version (every problem named by field); optionally re-apply it to open tickets' })
  @Returns(s.policyPut)
  putPolicy(@Body() body: PutPolicyBody) {
    return this.rpc.request(s.policyPut, body);
  }

  @Get('teams')
  @Users()
  @ApiOperation({ summary: 'Teams and their members (cursor pagination)' })
  @Returns(s.teamList)
  teams(@Query() q: ListTeamsQuery) {
    return this.rpc.request(s.teamList, q);
  }

  @Post('teams')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Create a team serving one queue' })
  @Returns(s.teamCreate)
  createTeam(@Body() body: CreateTeamBody) {
    return this.rpc.request(s.teamCreate, body);
  }

  @Get('teams/:id')
  @Users()
  @ApiOperation({ summary: 'One team with its members and their load' })
  @Returns(s.teamGet)
  team(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.teamGet, { id });
  }

  @Patch('teams/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Change a team (name, region, calendar, assignment strategy)' })
  @Returns(s.teamUpdate)
  updateTeam(@Param('id', UuidParam) id: string, @Body() body: UpdateTeamBody) {
    return this.rpc.request(s.teamUpdate, { ...body, id });
  }

  @Put('teams/:id/members/:userId')
  @Users(...MANAGERS)
  @ApiOperation({ summary: "Add a member, or change their skills, capacity or active flag" })
  @Returns(s.teamMemberSet)
  setMember(@Param('id', UuidParam) teamId: string, @Param('userId', UuidParam) userId: string, @Body() body: SetTeamMemberBody) {
    return this.rpc.request(s.teamMemberSet, { ...body, teamId, userId });
  }

  @Delete('teams/:id/members/:userId')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Remove a member from a team' })
  @Returns(s.teamMemberRemove)
  removeMember(@Param('id', UuidParam) teamId: string, @Param('userId', UuidParam) userId: string) {
    return this.rpc.request(s.teamMemberRemove, { teamId, userId });
  }

  @Get('read-models')
  @Users(...MANAGERS)
  @ApiOperation({ summary: "What support knows of accounts' and the catalog's facts, and the last rebuild" })
  @Returns(s.readModelStatus)
  readModels() {
    return this.rpc.request(s.readModelStatus, {});
  }

  @Post('read-models::rebuild')
  @HttpCode(202)
  @Users('admin')
  @ApiOperation({ summary: "Replay accounts' and the catalog's events into the read models (a durable job; follow it on GET read-models)" })
  @Returns(s.readModelRebuild)
  rebuild() {
    return this.rpc.request(s.readModelRebuild, {});
  }
}

/** After-sales orders, complaints, vouchers and reports. */
@ApiTags('support: after-sales, recovery, reports')
@Controller('v1/support')
export class SupportServiceController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('rma-orders')
  @UsersOrPartners()
  @ApiOperation({ summary: 'After-sales orders, newest first' })
  @Returns(s.rmaList)
  rmaOrders(@Query() q: ListRmaQuery) {
    return this.rpc.request(s.rmaList, q);
  }

  @Get('rma-orders/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One after-sales order with its visits, parts, history and due time' })
  @Returns(s.rmaGet)
  rmaOrder(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.rmaGet, { id });
  }

  @Post('rma-orders/:id/transition')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Move an order: requested → approved → scheduled → in-progress → completed (waiting-for-parts, rejected, cancelled)' })
  @Returns(s.rmaTransition)
  transitionRma(@Param('id', UuidParam) id: string, @Body() body: TransitionRmaBody) {
    return this.rpc.request(s.rmaTransition, { ...body, id });
  }

  @Put('rma-orders/:id/parts')
  @Users(...AGENTS)
  @ApiOperation({ summary: "Replace an order's parts" })
  @Returns(s.rmaParts)
  rmaParts(@Param('id', UuidParam) id: string, @Body() body: RmaPartsBody) {
    return this.rpc.request(s.rmaParts, { ...body, id });
  }

  @Post('rma-orders/:id/visits')
  @CreatedAt('/v1/support/rma-orders/:id', 'id') // the visit is part of the order, which the answer is
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Schedule a field-service visit' })
  @Returns(s.rmaVisitAdd)
  addVisit(@Param('id', UuidParam) rmaId: string, @Body() body: AddVisitBody) {
    return this.rpc.request(s.rmaVisitAdd, { ...body, rmaId });
  }

  @Patch('rma-orders/:id/visits/:visitId')
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Record how a visit went (completed, missed, cancelled)' })
  @Returns(s.rmaVisitUpdate)
  updateVisit(@Param('id', UuidParam) rmaId: string, @Param('visitId', UuidParam) visitId: string, @Body() body: UpdateVisitBody) {
    return this.rpc.request(s.rmaVisitUpdate, { ...body, rmaId, visitId });
  }

  @Get('complaints')
  @Users()
  @ApiOperation({ summary: 'The complaint register, newest first' })
  @Returns(s.complaintList)
  complaints(@Query() q: ListComplaintsQuery) {
    return this.rpc.request(s.complaintList, q);
  }

  @Post('complaints/:id/resolve')
  @HttpCode(200)
  @Users(...AGENTS)
  @ApiOperation({ summary: 'Close a complaint with how the customer ended (satisfied, mollified, dissatisfied)' })
  @Returns(s.complaintResolve)
  resolveComplaint(@Param('id', UuidParam) id: string, @Body() body: ResolveComplaintBody) {
    return this.rpc.request(s.complaintResolve, { ...body, id });
  }

  @Get('vouchers')
  @Users()
  @ApiOperation({ summary: 'Service-recovery vouchers, newest first' })
  @Returns(s.voucherList)
  vouchers(@Query() q: ListVouchersQuery) {
    return this.rpc.request(s.voucherList, q);
  }

  @Post('vouchers')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Issue a voucher by hand (credit or free service, face value in minor units, expiry)' })
  @Returns(s.voucherIssue)
  issueVoucher(@Body() body: IssueVoucherBody) {
    return this.rpc.request(s.voucherIssue, body);
  }

  @Get('vouchers/:id')
  @Users()
  @ApiOperation({ summary: 'One voucher' })
  @Returns(s.voucherGet)
  voucher(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.voucherGet, { id });
  }

  @Post('vouchers/:id/redeem')
  @HttpCode(200)
  @Users('admin', 'manager', 'csm')
  @ApiOperation({ summary: 'Redeem an issued, unexpired voucher against an order' })
  @Returns(s.voucherRedeem)
  redeem(@Param('id', UuidParam) id: string, @Body() body: RedeemVoucherBody) {
    return this.rpc.request(s.voucherRedeem, { ...body, id });
  }

  @Get('reports/compliance')
  @Users()
  @ApiOperation({ summary: 'SLA compliance, first-contact resolution, escalations, reopenings and complaint rate by level, step, queue, team, priority and period (from rollups)' })
  @Returns(s.reportCompliance)
  compliance(@Query() q: ReportQuery) {
    return this.rpc.request(s.reportCompliance, q);
  }

  @Get('reports/handoff')
  @Users()
  @ApiOperation({ summary: 'Hand-off compliance and times per step (from rollups)' })
  @Returns(s.reportHandoff)
  handoff(@Query() q: ReportQuery) {
    return this.rpc.request(s.reportHandoff, q);
  }

  @Get('reports/backlog')
  @Users()
  @ApiOperation({ summary: 'Open tickets and their age, by queue, level, team or priority (from rollups)' })
  @Returns(s.reportBacklog)
  backlog(@Query() q: BacklogQuery) {
    return this.rpc.request(s.reportBacklog, q);
  }
}
