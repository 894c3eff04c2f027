import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, parseCredential, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Public, Users } from '../auth/access';
import { NoLocation } from '../http/conventions';
import { UuidParam } from '../http/uuid.pipe';
import { RespondentLimits } from '../limits/respondent-limits';
import type { GatewayConfig } from '../config';
import type { SharedCounters } from '../limits/shared-counters';
import { Returns } from '../openapi/returns';
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
  @Returns(s.surveyList)
  list(@Query() q: ListSurveysQuery) {
    return this.rpc.request(s.surveyList, q);
  }

  @Post('surveys')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Create a survey (draft, version 1): NPS, CSAT, CES, engagement or employee pulse, in zh-CN and/or en' })
  @Returns(s.surveyCreate)
  create(@Body() body: CreateSurveyBody) {
    return this.rpc.request(s.surveyCreate, body);
  }

  @Get('surveys/:id')
  @Users()
  @ApiOperation({ summary: 'One survey with its current version' })
  @Returns(s.surveyGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyGet, { id });
  }

  @Patch('surveys/:id')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Change a survey; a new definition of an active survey becomes a new version' })
  @Returns(s.surveyUpdate)
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateSurveyBody) {
    return this.rpc.request(s.surveyUpdate, { ...body, id });
  }

  @Post('surveys/:id/activate')
  @HttpCode(200)
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Open the survey for invitations and answers' })
  @Returns(s.surveyActivate)
  activate(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyActivate, { id });
  }

  @Post('surveys/:id/close')
  @HttpCode(200)
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Close the survey (emits survey.closed)' })
  @Returns(s.surveyClose)
  close(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.surveyClose, { id });
  }

  @Get('surveys/:id/preview')
  @Users()
  @ApiOperation({ summary: 'The questionnaire as a respondent sees it, in one language' })
  @Returns(s.surveyPreview)
  preview(@Param('id', UuidParam) id: string, @Query() q: PreviewQuery) {
    return this.rpc.request(s.surveyPreview, { ...q, id });
  }

  @Post('surveys/:id/invitations')
  @Users(...DESIGNERS)
  // A batch: no one resource to point a Location at (docs/adr/0023-http-conventions.md).
  @NoLocation()
  @ApiOperation({ operationId: 'createInvitations', summary: 'Invite contacts (or employees) on a channel: single-use tokens, the contact-frequency rule, deliveries recorded' })
  @Returns(s.invitationCreate)
  invite(@Param('id', UuidParam) surveyId: string, @Body() body: CreateInvitationsBody) {
    // Up to 1,000 recipients, each with its frequency check, token and delivery: a batch like the import.
    return this.rpc.request(s.invitationCreate, { ...body, surveyId }, { timeoutMs: 30_000 });
  }

  @Get('invitations')
  @Users()
  @ApiOperation({ summary: 'Invitations and their status' })
  @Returns(s.invitationList)
  invitations(@Query() q: ListInvitationsQuery) {
    return this.rpc.request(s.invitationList, q);
  }

  @Get('deliveries')
  @Users(...DESIGNERS)
  @ApiOperation({ operationId: 'listFeedbackDeliveries', summary: 'The messages the channels would send (invitations and reminders)' })
  @Returns(s.deliveryList)
  deliveries(@Query() q: ListDeliveriesQuery) {
    return this.rpc.request(s.deliveryList, q);
  }

  @Post('surveys/:id/responses/import')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ operationId: 'importResponses', summary: 'Import up to 5,000 responses (call centre, CRM, history): idempotent by externalId, per-row errors with line and field' })
  @Returns(s.responseImport)
  import(@Param('id', UuidParam) surveyId: string, @Body() body: ImportResponsesBody) {
    return this.rpc.request(s.responseImport, { ...body, surveyId }, { timeoutMs: 30_000 });
  }

  @Get('responses')
  @Users()
  @ApiOperation({ summary: 'Responses (cursor pagination)' })
  @Returns(s.responseList)
  responses(@Query() q: ListResponsesQuery) {
    return this.rpc.request(s.responseList, q);
  }

  @Get('analytics')
  @Users()
  @ApiOperation({ operationId: 'getFeedbackAnalytics', summary: 'NPS, eNPS, CSAT, CES or engagement for a period and segment, from rollups; trend with margin of error; breakdown' })
  @Returns(s.analyticsQuery)
  analytics(@Query() q: AnalyticsQuery) {
    return this.rpc.request(s.analyticsQuery, { ...q, trend: q.trend ?? false });
  }

  @Get('analytics/response-rate')
  @Users()
  @ApiOperation({ operationId: 'getResponseRate', summary: 'Invitations answered / sent, per survey or overall' })
  @Returns(s.responseRate)
  responseRate(@Query() q: ResponseRateQuery) {
    return this.rpc.request(s.responseRate, q);
  }

  @Get('accounts/:id/engagement')
  @Users()
  @ApiOperation({ operationId: 'getAccountEngagement', summary: "Engagement per stakeholder and buying role on the account's decision chain" })
  @Returns(s.accountEngagement)
  engagement(@Param('id', UuidParam) accountId: string, @Query() q: PeriodQuery) {
    return this.rpc.request(s.accountEngagement, { ...q, accountId });
  }

  @Post('surveys/:id/key-drivers')
  @HttpCode(200)
  @Users()
  @ApiOperation({ operationId: 'getKeyDrivers', summary: 'Key drivers of the score (or a yes/no outcome) for a period and segment: Shapley or relative weights, bootstrap intervals, priority matrix' })
  @Returns(s.keyDrivers)
  keyDrivers(@Param('id', UuidParam) surveyId: string, @Body() body: KeyDriversBody) {
    return this.rpc.request(s.keyDrivers, { ...body, surveyId }, { timeoutMs: 30_000 });
  }

  @Get('loops')
  @Users()
  @ApiOperation({ summary: 'Closed-loop follow-ups (detractors, low CSAT, complaints)' })
  @Returns(s.loopList)
  loops(@Query() q: ListLoopsQuery) {
    return this.rpc.request(s.loopList, q);
  }

  @Get('loops/metrics')
  @Users()
  @ApiOperation({ operationId: 'getLoopMetrics', summary: 'Follow-ups per CSM or team: opened, open, closed, recovered, time to close' })
  @Returns(s.loopMetrics)
  loopMetrics(@Query() q: LoopMetricsQuery) {
    return this.rpc.request(s.loopMetrics, q);
  }

  @Patch('loops/:id')
  @Users(...DESIGNERS)
  @ApiOperation({ summary: 'Move a follow-up on: contacted, resolved, closed (with an outcome)' })
  @Returns(s.loopUpdate)
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
  @ApiOperation({ operationId: 'openInvitation', summary: 'Open an invitation: the questionnaire in its language and the answers saved so far' })
  @Returns(s.respondentOpen, { errors: [409, 410] })
  open(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply) {
    this.limit(token, reply);
    return this.rpc.request(s.respondentOpen, { token });
  }

  @Put(':token')
  @Public()
  @ApiOperation({ operationId: 'saveAnswers', summary: 'Save partial answers' })
  @Returns(s.respondentSave, { errors: [409, 410] })
  save(@Param('token') token: string, @Body() body: AnswersBody, @Res({ passthrough: true }) reply: FastifyReply) {
    this.limit(token, reply);
    return this.rpc.request(s.respondentSave, { ...body, token });
  }

  @Post(':token')
  @HttpCode(200)
  @Public()
  @ApiOperation({ operationId: 'submitAnswers', summary: 'Submit the answers: the token is used up (a second submit answers 409, an expired token 410, an unknown one 404)' })
  @Returns(s.respondentSubmit, { errors: [409, 410] })
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
