import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, parseCredential, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Public, Users } from '../auth/access';
import { UuidParam } from '../http/uuid.pipe';
import { RespondentLimits } from '../limits/respondent-limits';
import type { GatewayConfig } from '../config';
import type { SharedCounters } from '../limits/shared-counters';
import { COUNTERS, GATEWAY_CONFIG, RPC } from '../tokens';
import {
  AnalyticsQuery,
  AnswersBody,
  CreateInvitationsBody,
  CreateSurveyBody,
  ImportResponsesBody,
  KeyDriversBody,
  ListDeliveriesQuery,
  ListInvitationsQuery,
  ListLoopsQuery,
  ListResponsesQuery,
  ListSurveysQuery,
  LoopMetricsQuery,
  PeriodQuery,
  PreviewQuery,
  ResponseRateQuery,
  UpdateLoopBody,
  UpdateSurveyBody,
} from './feedback.dtos';

const s = Subjects.feedback;
const DESIGNERS = ['admin', 'manager', 'csm'] as const;
const MANAGERS = ['admin', 'manager'] as const;

/** Surveys, invitations, responses, analytics, key drivers and the closed loop: thin adapters, one NATS request each. */
@ApiTags('feedback')
@Controller('v1/feedback')
export class FeedbackController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('surveys')
  @Users()
  @ApiOperation({ summary: 'List surveys (cursor pagination)' })
  list(@Query() q: ListSurveysQuery) {
    return this.rpc.request(s.surveyList, q);
  }

  @Post('surveys')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Create a survey (draft, version 1): NPS, CSAT, CES, engagement or employee pulse, in zh-CN and/or en' })
  create(@Body() body: CreateSurveyBody) {
    return this.rpc.request(s.surveyCreate, body);
  }

  @Get('surveys/:id')
  @Users()
  @ApiOperation({ summary: 'One survey with its current version' })
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyGet, { id });
  }

  @Patch('surveys/:id')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Change a survey; a new definition of an active survey becomes a new version' })
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateSurveyBody) {
    return this.rpc.request(s.surveyUpdate, { ...body, id });
  }

  @Post('surveys/:id/activate')
  @HttpCode(200)
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Open the survey for invitations and answers' })
  activate(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyActivate, { id });
  }

  @Post('surveys/:id/close')
  @HttpCode(200)
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Close the survey (emits survey.closed)' })
  close(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyClose, { id });
  }

  @Get('surveys/:id/preview')
  @Users()
  @ApiOperation({ summary: 'The questionnaire as a respondent sees it, in one language' })
  preview(@Param('id', UuidParam) id: string, @Query() q: PreviewQuery) {
    return this.rpc.request(s.surveyPreview, { ...q, id });
  }

  @Post('surveys/:id/invitations')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Invite contacts (or employees) on a channel: single-use tokens, the contact-frequency rule, deliveries recorded' })
  invite(@Param('id', UuidParam) surveyId: string, @Body() body: CreateInvitationsBody) {
    return this.rpc.request(s.invitationCreate, { ...body, surveyId });
  }

  @Get('invitations')
  @Users()
  @ApiOperation({ summary: 'Invitations and their status' })
  invitations(@Query() q: ListInvitationsQuery) {
    return this.rpc.request(s.invitationList, q);
  }

  @Get('deliveries')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'The messages the channels would send (invitations and reminders)' })
  deliveries(@Query() q: ListDeliveriesQuery) {
    return this.rpc.request(s.deliveryList, q);
  }

  @Post('surveys/:id/responses/import')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Import up to 5,000 responses (call centre, CRM, history): idempotent by externalId, per-row errors with line and field' })
  import(@Param('id', UuidParam) surveyId: string, @Body() body: ImportResponsesBody) {
    return this.rpc.request(s.responseImport, { ...body, surveyId }, { timeoutMs: 30_000 });
  }

  @Get('responses')
  @Users()
  @ApiOperation({ summary: 'Responses (cursor pagination)' })
  responses(@Query() q: ListResponsesQuery) {
    return this.rpc.request(s.responseList, q);
  }

  @Get('analytics')
  @Users()
  @ApiOperation({ summary: 'NPS, eNPS, CSAT, CES or engagement for a period and segment, from rollups; trend with margin of error; breakdown' })
  analytics(@Query() q: AnalyticsQuery) {
    return this.rpc.request(s.analyticsQuery, { ...q, trend: q.trend ?? false });
  }

  @Get('analytics/response-rate')
  @Users()
  @ApiOperation({ summary: 'Invitations answered / sent, per survey or overall' })
  responseRate(@Query() q: ResponseRateQuery) {
    return this.rpc.request(s.responseRate, q);
  }

  @Get('accounts/:id/engagement')
  @Users()
  @ApiOperation({ summary: "Engagement per stakeholder and buying role on the account's decision chain" })
  engagement(@Param('id', UuidParam) accountId: string, @Query() q: PeriodQuery) {
    return this.rpc.request(s.accountEngagement, { ...q, accountId });
  }

  @Post('surveys/:id/key-drivers')
  @HttpCode(200)
  @Users()
  @ApiOperation({ summary: 'Key drivers of the score (or a yes/no outcome) for a period and segment: Shapley or relative weights, bootstrap intervals, priority matrix' })
  keyDrivers(@Param('id', UuidParam) surveyId: string, @Body() body: KeyDriversBody) {
    return this.rpc.request(s.keyDrivers, { ...body, surveyId }, { timeoutMs: 30_000 });
  }

  @Get('loops')
  @Users()
  @ApiOperation({ summary: 'Closed-loop follow-ups (detractors, low CSAT, complaints)' })
  loops(@Query() q: ListLoopsQuery) {
    return this.rpc.request(s.loopList, q);
  }

  @Get('loops/metrics')
  @Users()
  @ApiOperation({ summary: 'Follow-ups per CSM or team: opened, open, closed, recovered, time to close' })
  loopMetrics(@Query() q: LoopMetricsQuery) {
    return this.rpc.request(s.loopMetrics, q);
  }

  @Patch('loops/:id')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Move a follow-up on: contacted, resolved, closed (with an outcome)' })
  updateLoop(@Param('id', UuidParam) id: string, @Body() body: UpdateLoopBody) {
    return this.rpc.request(s.loopUpdate, { ...body, id });
  }
}

/**
 * The respondent's endpoint: no login, the invitation token in the path is the credential.
 * Limited per token (RespondentLimits) and per client address (the anonymous budget).
 */
@ApiTags('feedback respondents')
@Controller('v1/feedback/respond')
export class RespondentController {
  private readonly limits: RespondentLimits;

  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(COUNTERS) counters: SharedCounters,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.limits = new RespondentLimits(counters, config);
  }

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'Open an invitation: the questionnaire in its language and the answers saved so far' })
  open(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply) {
    this.limit(token, reply);
    return this.rpc.request(s.respondentOpen, { token });
  }

  @Put(':token')
  @Public()
  @ApiOperation({ summary: 'Save partial answers' })
  save(@Param('token') token: string, @Body() body: AnswersBody, @Res({ passthrough: true }) reply: FastifyReply) {
    this.limit(token, reply);
    return this.rpc.request(s.respondentSave, { ...body, token });
  }

  @Post(':token')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Submit the answers: the token is used up (a second submit answers 409, an expired token 410, an unknown one 404)' })
  submit(@Param('token') token: string, @Body() body: AnswersBody, @Res({ passthrough: true }) reply: FastifyReply) {
    this.limit(token, reply);
    return this.rpc.request(s.respondentSubmit, { ...body, token });
  }

  /** A token without the invitation shape is refused here, without a round trip; a well-formed one is counted against its budget. */
  private limit(token: string, reply: FastifyReply): void {
    const parsed = parseCredential('svy', token);
    if (!parsed) throw new StewardError(ErrorCode.InvitationNotFound, 'No invitation has this token', { errors: [{ field: 'token', rule: 'exists', message: 'is not a valid invitation token' }] });
    this.limits.take(reply, parsed.id);
  }
}
