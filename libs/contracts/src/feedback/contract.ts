import { z } from 'zod';
import { BUYING_ROLE_VALUES } from '../accounts/customers';
import { page, PageRequest, Uuid } from '../common';
import { defineService, event, rpc } from '../define';

/**
 * The feedback service (DOMAIN.md §4): surveys and their versions, tokenised invitations,
 * responses (public answers and bulk imports), rollup analytics, key drivers, the closed
 * loop into support, comment tags.
 */

const Instant = z.iso.datetime();
/** A calendar month, `YYYY-MM`: the grain of every rollup. */
export const FeedbackMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const Key = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lower case letters, digits, _ or -, starting with a letter (at most 40)');

export const FEEDBACK_LANGUAGES = ['zh-CN', 'en'] as const;
export type FeedbackLanguage = (typeof FEEDBACK_LANGUAGES)[number];
export const SURVEY_KINDS = ['nps', 'csat', 'ces', 'engagement', 'pulse'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const SURVEY_STATUSES = ['draft', 'active', 'closed'] as const;
export const SURVEY_TRIGGERS = ['manual', 'ticket-resolved'] as const;
export const SURVEY_ITEM_TYPES = ['nps', 'enps', 'csat', 'ces', 'engagement', 'rating', 'choice', 'text', 'yes-no'] as const;
export type SurveyItemType = (typeof SURVEY_ITEM_TYPES)[number];
export const ENGAGEMENT_LEVEL_VALUES = ['confidence', 'integrity', 'pride', 'passion'] as const;
/** Channels an invitation goes out on. */
export const INVITATION_CHANNELS = ['email', 'sms', 'web-intercept', 'in-app'] as const;
/** Channels a response can come from (invitation channels, and imports). */
export const RESPONSE_CHANNELS = [...INVITATION_CHANNELS, 'call-centre', 'crm-import'] as const;
export const INVITATION_STATUSES = ['pending', 'started', 'completed', 'expired'] as const;
export const ROLLUP_KIND_VALUES = ['nps', 'enps', 'csat', 'ces', 'engagement'] as const;
/** Dimensions a rollup is kept by (one at a time; `all` is the tenant total). */
export const ANALYTICS_DIMENSIONS = ['all', 'survey', 'account', 'tier', 'segment', 'team', 'role', 'channel', 'csm'] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];
export const LOOP_STATUSES = ['open', 'contacted', 'resolved', 'closed'] as const;
export const LOOP_OUTCOMES = ['recovered', 'mollified', 'not-recovered', 'no-response'] as const;
export const LOOP_REASONS = ['detractor', 'low-csat', 'complaint'] as const;
export const COMMENT_TOPICS = ['speed', 'quality', 'staff', 'price', 'product', 'service', 'complaint', 'praise'] as const;
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

// ---- surveys ----

/** A text in the survey's languages (`zh-CN`, `en`); every language of the survey must be present. */
export const LocalText = z.strictObject({ 'zh-CN': z.string().trim().min(1).max(1000).optional(), en: z.string().trim().min(1).max(1000).optional() });
export type LocalText = z.infer<typeof LocalText>;

export const SurveyItem = z.strictObject({
  key: Key,
  type: z.enum(SURVEY_ITEM_TYPES),
  text: LocalText,
  /** Engagement items: the level they measure. */
  level: z.enum(ENGAGEMENT_LEVEL_VALUES).optional(),
  /** Rating items: the key driver they measure (speed, quality, staff, value…). */
  driver: Key.optional(),
  /** Rating items: the integer scale (default 1–5). */
  scale: z.strictObject({ min: z.number().int().min(0).max(1), max: z.number().int().min(3).max(10) }).optional(),
  /** Choice items. */
  choices: z.array(z.strictObject({ value: Key, text: LocalText })).min(2).max(20).optional(),
  required: z.boolean().optional(),
});
export type SurveyItem = z.infer<typeof SurveyItem>;

export const SurveyDefinition = z.strictObject({
  languages: z.array(z.enum(FEEDBACK_LANGUAGES)).min(1).max(2),
  title: LocalText,
  intro: LocalText.optional(),
  items: z.array(SurveyItem).min(1).max(40),
});
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;

export const SurveyRules = z.strictObject({
  /** No respondent is invited again, to any survey, within this many days (the contact-frequency rule). */
  minDaysBetweenContacts: z.number().int().min(0).max(365).default(30),
  expiresInDays: z.number().int().min(1).max(90).default(14),
  /** 0: no reminder. */
  reminderAfterHours: z.number().int().min(0).max(720).default(72),
  maxReminders: z.number().int().min(0).max(3).default(1),
});
export type SurveyRules = z.output<typeof SurveyRules>;

export const SurveyDto = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(SURVEY_KINDS),
  nature: z.enum(['relationship', 'transactional']),
  audience: z.enum(['customers', 'employees']),
  trigger: z.enum(SURVEY_TRIGGERS),
  status: z.enum(SURVEY_STATUSES),
  /** The current version: new invitations answer it; a response keeps the version it answered. */
  version: z.number().int(),
  rules: z.object({ minDaysBetweenContacts: z.number().int(), expiresInDays: z.number().int(), reminderAfterHours: z.number().int(), maxReminders: z.number().int() }),
  definition: SurveyDefinition,
  createdAt: Instant,
  updatedAt: Instant,
  closedAt: Instant.nullable(),
});
export type SurveyDto = z.infer<typeof SurveyDto>;

export const CreateSurveyRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SURVEY_KINDS),
  nature: z.enum(['relationship', 'transactional']).default('relationship'),
  audience: z.enum(['customers', 'employees']).optional(),
  trigger: z.enum(SURVEY_TRIGGERS).default('manual'),
  rules: SurveyRules.default({ minDaysBetweenContacts: 30, expiresInDays: 14, reminderAfterHours: 72, maxReminders: 1 }),
  definition: SurveyDefinition,
});
export type CreateSurveyRequest = z.output<typeof CreateSurveyRequest>;
export const UpdateSurveyRequest = z.strictObject({
  id: Uuid,
  name: z.string().trim().min(1).max(200).optional(),
  rules: SurveyRules.partial().optional(),
  /** A new definition: a draft changes in place, an active survey gets a new version. */
  definition: SurveyDefinition.optional(),
});
export type UpdateSurveyRequest = z.output<typeof UpdateSurveyRequest>;
export const IdRequest = z.strictObject({ id: Uuid });
export const ListSurveysRequest = PageRequest.extend({ status: z.enum(SURVEY_STATUSES).optional(), kind: z.enum(SURVEY_KINDS).optional() });
export type ListSurveysRequest = z.output<typeof ListSurveysRequest>;
export const PreviewSurveyRequest = z.strictObject({ id: Uuid, language: z.enum(FEEDBACK_LANGUAGES).optional(), version: z.number().int().min(1).optional() });

/** A questionnaire as a respondent sees it: texts in one language. */
export const Questionnaire = z.object({
  surveyId: Uuid,
  version: z.number().int(),
  kind: z.enum(SURVEY_KINDS),
  language: z.enum(FEEDBACK_LANGUAGES),
  title: z.string(),
  intro: z.string().nullable(),
  items: z.array(
    z.object({
      key: z.string(),
      type: z.enum(SURVEY_ITEM_TYPES),
      text: z.string(),
      required: z.boolean(),
      scale: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
      choices: z.array(z.object({ value: z.string(), text: z.string() })).nullable(),
    }),
  ),
});
export type Questionnaire = z.infer<typeof Questionnaire>;

// ---- invitations ----

export const InvitationRecipient = z.strictObject({
  /** A customer stakeholder (accounts read model). */
  contactId: Uuid.optional(),
  /** An employee (a user of the tenant), for the employee pulse. */
  userId: Uuid.optional(),
  /** The account team or service team an employee answers for. */
  team: z.string().trim().min(1).max(100).optional(),
});
export const CreateInvitationsRequest = z.strictObject({
  surveyId: Uuid,
  channel: z.enum(INVITATION_CHANNELS),
  language: z.enum(FEEDBACK_LANGUAGES).optional(),
  recipients: z.array(InvitationRecipient).min(1).max(1000),
});
export type CreateInvitationsRequest = z.output<typeof CreateInvitationsRequest>;

export const InvitationDto = z.object({
  id: Uuid,
  surveyId: Uuid,
  version: z.number().int(),
  channel: z.enum(INVITATION_CHANNELS),
  language: z.enum(FEEDBACK_LANGUAGES),
  contactId: Uuid.nullable(),
  userId: Uuid.nullable(),
  accountId: Uuid.nullable(),
  team: z.string().nullable(),
  ticketId: z.string().nullable(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: Instant,
  remindersSent: z.number().int(),
  createdAt: Instant,
  respondedAt: Instant.nullable(),
});
export type InvitationDto = z.infer<typeof InvitationDto>;
const FieldErr = z.object({ field: z.string(), rule: z.string(), message: z.string() });
export const CreateInvitationsResponse = z.object({
  /** The single-use token of each invitation is shown here (and in its recorded delivery) only. */
  created: z.array(InvitationDto.extend({ token: z.string(), link: z.string() })),
  skipped: z.array(FieldErr.extend({ index: z.number().int() })),
});
export type CreateInvitationsResponse = z.infer<typeof CreateInvitationsResponse>;
export const ListInvitationsRequest = PageRequest.extend({ surveyId: Uuid.optional(), status: z.enum(INVITATION_STATUSES).optional() });
export type ListInvitationsRequest = z.output<typeof ListInvitationsRequest>;

export const DeliveryDto = z.object({
  id: Uuid,
  invitationId: Uuid,
  channel: z.enum(INVITATION_CHANNELS),
  kind: z.enum(['invitation', 'reminder']),
  recipient: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  createdAt: Instant,
});
export type DeliveryDto = z.infer<typeof DeliveryDto>;
export const ListDeliveriesRequest = PageRequest.extend({ invitationId: Uuid.optional() });
export type ListDeliveriesRequest = z.output<typeof ListDeliveriesRequest>;

// ---- respondents (public, the token is the credential) ----

/** An answer: a score, a choice, a text, yes/no, or null (skipped). */
export const Answer = z.union([z.number(), z.boolean(), z.string().max(5000), z.null()]);
export const Answers = z.record(z.string().max(40), Answer);
export type Answers = z.infer<typeof Answers>;
export const RespondentToken = z.string().min(1).max(200);
export const OpenInvitationRequest = z.strictObject({ token: RespondentToken });
export const OpenInvitationResponse = z.object({
  status: z.enum(INVITATION_STATUSES),
  expiresAt: Instant,
  questionnaire: Questionnaire,
  /** Answers saved so far (partial answers). */
  answers: Answers,
  comment: z.string().nullable(),
});
export const SaveAnswersRequest = z.strictObject({ token: RespondentToken, answers: Answers, comment: z.string().max(5000).optional(), language: z.enum(FEEDBACK_LANGUAGES).optional() });
export type SaveAnswersRequest = z.output<typeof SaveAnswersRequest>;
export const SaveAnswersResponse = z.object({ status: z.literal('started'), savedAt: Instant, answered: z.number().int() });
export const SubmitAnswersResponse = z.object({ status: z.literal('completed'), responseId: Uuid });

// ---- responses ----

export const RespondentAttributes = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  role: z.enum(BUYING_ROLE_VALUES).optional(),
  segment: z.string().trim().min(1).max(100).optional(),
  team: z.string().trim().min(1).max(100).optional(),
});
/** One imported response (call-centre and CRM exports, history). Checked row by row. */
export const ImportedResponse = z.strictObject({
  externalId: z.string().trim().min(1).max(200),
  answeredAt: Instant,
  channel: z.enum(RESPONSE_CHANNELS).default('crm-import'),
  contactId: Uuid.optional(),
  accountId: Uuid.optional(),
  userId: Uuid.optional(),
  language: z.enum(FEEDBACK_LANGUAGES).optional(),
  /** Survey weight (post-stratification, design weight); default 1. */
  weight: z.number().positive().max(1_000_000).optional(),
  /** Item scores and answers by item key; the outcome item (NPS, CSAT, …) among them. */
  answers: Answers,
  comment: z.string().max(5000).optional(),
  attributes: RespondentAttributes.optional(),
  /** Business outcomes to explain with key drivers, e.g. `{ renewed: true, revenueGrowth: 12.5 }`. */
  outcomes: z.record(Key, z.union([z.number(), z.boolean()])).optional(),
});
export type ImportedResponse = z.output<typeof ImportedResponse>;
export const ImportResponsesRequest = z.strictObject({ surveyId: Uuid, rows: z.array(z.unknown()).min(1).max(5000) });
export type ImportResponsesRequest = z.output<typeof ImportResponsesRequest>;
export const ImportResponsesResponse = z.object({
  received: z.number().int(),
  imported: z.number().int(),
  /** Rows whose externalId was imported before: skipped, so a retry doubles nothing. */
  duplicates: z.number().int(),
  /** One per broken rule: `line` is the 1-based row number. */
  errors: z.array(FieldErr.extend({ line: z.number().int() })),
});
export type ImportResponsesResponse = z.infer<typeof ImportResponsesResponse>;

export const ResponseDto = z.object({
  id: Uuid,
  surveyId: Uuid,
  version: z.number().int(),
  invitationId: Uuid.nullable(),
  externalId: z.string().nullable(),
  channel: z.enum(RESPONSE_CHANNELS),
  language: z.enum(FEEDBACK_LANGUAGES).nullable(),
  answeredAt: Instant,
  accountId: Uuid.nullable(),
  contactId: Uuid.nullable(),
  userId: Uuid.nullable(),
  tier: z.number().int().nullable(),
  role: z.string().nullable(),
  segment: z.string().nullable(),
  team: z.string().nullable(),
  weight: z.number(),
  /** The outcome item's score (NPS 0–10, CSAT 1–5, CES 1–7, eNPS 0–10; engagement: null). */
  score: z.number().int().nullable(),
  answers: Answers,
  comment: z.string().nullable(),
  tags: z.array(z.string()),
  sentiment: z.enum(SENTIMENTS).nullable(),
});
export type ResponseDto = z.infer<typeof ResponseDto>;
export const ListResponsesRequest = PageRequest.extend({ surveyId: Uuid.optional(), accountId: Uuid.optional() });
export type ListResponsesRequest = z.output<typeof ListResponsesRequest>;

// ---- analytics (from rollups only) ----

export const ScoreResult = z.object({
  n: z.number().int(),
  /** NPS/eNPS −100…100, CSAT % satisfied, CES mean 1–7, engagement overall 1–5; null when n = 0. */
  score: z.number().nullable(),
  /** 95% half-width in the score's unit, where defined (NPS, eNPS, CSAT, CES). */
  marginOfError: z.number().nullable(),
  promoters: z.number().int().optional(),
  passives: z.number().int().optional(),
  detractors: z.number().int().optional(),
  satisfied: z.number().int().optional(),
  easyShare: z.number().nullable().optional(),
  levels: z.record(z.string(), z.number().nullable()).optional(),
  bands: z.record(z.string(), z.number().int()).optional(),
  engagedShare: z.number().nullable().optional(),
  band: z.string().nullable().optional(),
});
export type ScoreResult = z.infer<typeof ScoreResult>;
export const AnalyticsRequest = z.strictObject({
  kind: z.enum(ROLLUP_KIND_VALUES),
  from: FeedbackMonth,
  to: FeedbackMonth,
  /** One dimension and value (e.g. tier 1); default: the whole tenant. */
  dimension: z.enum(ANALYTICS_DIMENSIONS).default('all'),
  value: z.string().min(1).max(100).optional(),
  /** Break the result down by another dimension (not `account`: filter on it instead). */
  groupBy: z.enum(ANALYTICS_DIMENSIONS).optional(),
  /** A series per month, each with its margin of error. */
  trend: z.boolean().default(false),
});
export type AnalyticsRequest = z.output<typeof AnalyticsRequest>;
export const AnalyticsResponse = z.object({
  kind: z.enum(ROLLUP_KIND_VALUES),
  from: FeedbackMonth,
  to: FeedbackMonth,
  dimension: z.enum(ANALYTICS_DIMENSIONS),
  value: z.string().nullable(),
  result: ScoreResult,
  groups: z.array(z.object({ value: z.string(), result: ScoreResult })).optional(),
  trend: z.array(z.object({ month: FeedbackMonth, result: ScoreResult })).optional(),
});
export type AnalyticsResponse = z.infer<typeof AnalyticsResponse>;
export const ResponseRateRequest = z.strictObject({ surveyId: Uuid.optional(), from: FeedbackMonth, to: FeedbackMonth });
export const ResponseRateResponse = z.object({ invited: z.number().int(), responded: z.number().int(), rate: z.number().nullable() });
export const AccountEngagementRequest = z.strictObject({ accountId: Uuid, from: FeedbackMonth, to: FeedbackMonth });
export const AccountEngagementResponse = z.object({
  accountId: Uuid,
  result: ScoreResult,
  byRole: z.array(z.object({ role: z.string(), result: ScoreResult })),
  stakeholders: z.array(z.object({ contactId: Uuid, name: z.string().nullable(), buyingRole: z.string().nullable(), influence: z.string().nullable(), result: ScoreResult })),
});

// ---- key drivers ----

export const KeyDriversRequest = z.strictObject({
  surveyId: Uuid,
  from: FeedbackMonth.optional(),
  to: FeedbackMonth.optional(),
  dimension: z.enum(ANALYTICS_DIMENSIONS).default('all'),
  value: z.string().min(1).max(100).optional(),
  /** Driver names (rating items' `driver`); default: every driver of the survey. */
  drivers: z.array(Key).min(1).max(40).optional(),
  method: z.enum(['shapley', 'relative-weights']).default('shapley'),
  /** What to explain: the survey's outcome score, or a business outcome of the responses (e.g. `renewed`, yes/no). */
  outcome: z.union([z.literal('score'), Key]).default('score'),
  /** Bootstrap resamples for the confidence intervals (0: none). */
  resamples: z.number().int().min(0).max(500).default(100),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Use survey weights (default true). */
  weighted: z.boolean().default(true),
});
export type KeyDriversRequest = z.output<typeof KeyDriversRequest>;
const Interval = z.object({ low: z.number(), high: z.number() }).nullable();
export const KeyDriversResponse = z.object({
  method: z.enum(['shapley', 'relative-weights']),
  /** `exact` Shapley (k ≤ 12), `sampled` (permutation sampling, error stated per driver) or relative weights. */
  computation: z.enum(['exact', 'sampled', 'relative-weights']),
  outcomeType: z.enum(['continuous', 'binary']),
  n: z.number().int(),
  dropped: z.number().int(),
  missingRule: z.string(),
  weighted: z.boolean(),
  rSquared: z.number(),
  adjustedRSquared: z.number(),
  resamples: z.number().int(),
  drivers: z.array(
    z.object({
      driver: z.string(),
      importance: z.number(),
      importanceInterval: Interval,
      /** Sampled Shapley: standard error of the importance from the sampling alone. */
      samplingError: z.number().nullable(),
      rSquaredContribution: z.number(),
      beta: z.number().nullable(),
      mean: z.number(),
      meanInterval: Interval,
      topTwoBox: z.number(),
      quadrant: z.enum(['fix-first', 'maintain', 'monitor', 'lower-priority', 'unclear']),
      /** Yes/no outcomes: the logistic model's coefficient per scale point, odds ratio and Wald p-value. */
      logistic: z.object({ coefficient: z.number(), oddsRatio: z.number(), pValue: z.number() }).nullable(),
    }),
  ),
  priorityMatrix: z.record(z.string(), z.array(z.string())),
  logistic: z.object({ intercept: z.number(), mcFaddenR2: z.number(), iterations: z.number().int(), converged: z.boolean() }).nullable(),
});
export type KeyDriversResponse = z.infer<typeof KeyDriversResponse>;

// ---- closed loop ----

export const LoopDto = z.object({
  id: Uuid,
  responseId: Uuid,
  surveyId: Uuid,
  accountId: Uuid.nullable(),
  contactId: Uuid.nullable(),
  csmId: Uuid.nullable(),
  reasons: z.array(z.enum(LOOP_REASONS)),
  status: z.enum(LOOP_STATUSES),
  outcome: z.enum(LOOP_OUTCOMES).nullable(),
  supportTicketId: z.string().nullable(),
  note: z.string().nullable(),
  openedAt: Instant,
  contactedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  /** Seconds from opened to closed. */
  timeToCloseSeconds: z.number().int().nullable(),
});
export type LoopDto = z.infer<typeof LoopDto>;
export const ListLoopsRequest = PageRequest.extend({ status: z.enum(LOOP_STATUSES).optional(), csmId: Uuid.optional(), accountId: Uuid.optional() });
export type ListLoopsRequest = z.output<typeof ListLoopsRequest>;
export const UpdateLoopRequest = z.strictObject({
  id: Uuid,
  status: z.enum(['contacted', 'resolved', 'closed']),
  outcome: z.enum(LOOP_OUTCOMES).optional(),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type UpdateLoopRequest = z.output<typeof UpdateLoopRequest>;
export const LoopMetricsRequest = z.strictObject({ by: z.enum(['csm', 'team']).default('csm') });
export const LoopMetricsResponse = z.object({
  by: z.enum(['csm', 'team']),
  groups: z.array(
    z.object({
      value: z.string().nullable(),
      opened: z.number().int(),
      open: z.number().int(),
      closed: z.number().int(),
      recovered: z.number().int(),
      meanTimeToCloseSeconds: z.number().nullable(),
      medianTimeToCloseSeconds: z.number().nullable(),
    }),
  ),
});

// ---- events ----

export const ResponseRecordedEvent = z.object({
  response: z.object({
    id: Uuid,
    surveyId: Uuid,
    kind: z.enum(SURVEY_KINDS),
    version: z.number().int(),
    channel: z.enum(RESPONSE_CHANNELS),
    answeredAt: Instant,
    accountId: Uuid.nullable(),
    contactId: Uuid.nullable(),
    userId: Uuid.nullable(),
    tier: z.number().int().nullable(),
    score: z.number().int().nullable(),
    tags: z.array(z.string()),
  }),
});
export type ResponseRecordedEvent = z.infer<typeof ResponseRecordedEvent>;
export const DetractorDetectedEvent = z.object({ responseId: Uuid, surveyId: Uuid, accountId: Uuid.nullable(), contactId: Uuid.nullable(), score: z.number().int(), answeredAt: Instant });
export const EngagementScoredEvent = z.object({
  responseId: Uuid,
  accountId: Uuid.nullable(),
  contactId: Uuid.nullable(),
  userId: Uuid.nullable(),
  overall: z.number(),
  levels: z.record(z.string(), z.number()),
  band: z.string(),
  answeredAt: Instant,
});
export const LoopChangedEvent = z.object({ loop: LoopDto });
export const SurveyClosedEvent = z.object({ survey: z.object({ id: Uuid, name: z.string(), kind: z.enum(SURVEY_KINDS), closedAt: Instant }) });

/**
 * The feedback service's contract: every subject it serves or emits, declared once.
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const feedbackContract = defineService('feedback', {
  rpc: {
    surveyCreate: rpc('survey.create.v1', CreateSurveyRequest, SurveyDto, 'Create a survey (draft, version 1)'),
    surveyGet: rpc('survey.get.v1', IdRequest, SurveyDto, 'One survey with its current version'),
    surveyList: rpc('survey.list.v1', ListSurveysRequest, page(SurveyDto), 'Surveys, one page'),
    surveyUpdate: rpc('survey.update.v1', UpdateSurveyRequest, SurveyDto, 'Change a survey; a new definition of an active survey is a new version'),
    surveyActivate: rpc('survey.activate.v1', IdRequest, SurveyDto, 'Open a survey for invitations and answers'),
    surveyClose: rpc('survey.close.v1', IdRequest, SurveyDto, 'Close a survey: no new invitations or answers'),
    surveyPreview: rpc('survey.preview.v1', PreviewSurveyRequest, Questionnaire, 'The questionnaire as a respondent sees it, in one language'),
    invitationCreate: rpc('invitation.create.v1', CreateInvitationsRequest, CreateInvitationsResponse, 'Invite contacts or employees (single-use tokens; frequency rule)'),
    invitationList: rpc('invitation.list.v1', ListInvitationsRequest, page(InvitationDto), 'Invitations, one page'),
    deliveryList: rpc('delivery.list.v1', ListDeliveriesRequest, page(DeliveryDto), 'Messages the channels would send (invitations, reminders)'),
    respondentOpen: rpc('respondent.open.v1', OpenInvitationRequest, OpenInvitationResponse, 'A respondent opens an invitation by its token'),
    respondentSave: rpc('respondent.save.v1', SaveAnswersRequest, SaveAnswersResponse, 'A respondent saves partial answers'),
    respondentSubmit: rpc('respondent.submit.v1', SaveAnswersRequest, SubmitAnswersResponse, 'A respondent submits: the token is used up'),
    responseImport: rpc('response.import.v1', ImportResponsesRequest, ImportResponsesResponse, 'Import responses (idempotent by externalId; per-row errors)'),
    responseList: rpc('response.list.v1', ListResponsesRequest, page(ResponseDto), 'Responses, one page'),
    analyticsQuery: rpc('analytics.query.v1', AnalyticsRequest, AnalyticsResponse, 'NPS, eNPS, CSAT, CES or engagement from rollups'),
    responseRate: rpc('analytics.response-rate.v1', ResponseRateRequest, ResponseRateResponse, 'Invitations answered / sent'),
    accountEngagement: rpc('analytics.account-engagement.v1', AccountEngagementRequest, AccountEngagementResponse, "Engagement per stakeholder on an account's decision chain"),
    keyDrivers: rpc('key-drivers.query.v1', KeyDriversRequest, KeyDriversResponse, 'Key-driver analysis of a survey and segment'),
    loopList: rpc('loop.list.v1', ListLoopsRequest, page(LoopDto), 'Closed-loop follow-ups, one page'),
    loopUpdate: rpc('loop.update.v1', UpdateLoopRequest, LoopDto, 'Move a follow-up on: contacted, resolved, closed with an outcome'),
    loopMetrics: rpc('loop.metrics.v1', LoopMetricsRequest, LoopMetricsResponse, 'Follow-ups per CSM or team: opened, closed, time to close'),
  },
  events: {
    responseRecorded: event('response.recorded.v1', ResponseRecordedEvent, 'A response was recorded (answered or imported)'),
    detractorDetected: event('detractor.detected.v1', DetractorDetectedEvent, 'An NPS answer of 0–6'),
    engagementScored: event('engagement.scored.v1', EngagementScoredEvent, 'An engagement response was scored and banded'),
    loopOpened: event('loop.opened.v1', LoopChangedEvent, 'A follow-up case was opened'),
    loopClosed: event('loop.closed.v1', LoopChangedEvent, 'A follow-up case was closed'),
    surveyClosed: event('survey.closed.v1', SurveyClosedEvent, 'A survey was closed'),
  },
  errors: {
    InvitationNotFound: 'INVITATION_NOT_FOUND',
    InvitationUsed: 'INVITATION_USED',
    InvitationExpired: 'INVITATION_EXPIRED',
    SurveyNotActive: 'SURVEY_NOT_ACTIVE',
  },
});

