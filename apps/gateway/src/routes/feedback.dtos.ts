import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import {
  ANALYTICS_DIMENSIONS,
  CreateInvitationsRequest,
  CreateSurveyRequest,
  Cursor,
  FEEDBACK_LANGUAGES,
  FeedbackMonth,
  ImportResponsesRequest,
  INVITATION_STATUSES,
  KeyDriversRequest,
  LOOP_STATUSES,
  ROLLUP_KIND_VALUES,
  SaveAnswersRequest,
  SURVEY_KINDS,
  SURVEY_STATUSES,
  UpdateLoopRequest,
  UpdateSurveyRequest,
} from '@steward/contracts';

const limit = z.coerce.number().int().min(1).max(200).default(50);
const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

// HTTP bodies reuse the NATS contract schemas; path ids and tokens come from the URL.
export class CreateSurveyBody extends createZodDto(CreateSurveyRequest) {}
export class UpdateSurveyBody extends createZodDto(UpdateSurveyRequest.omit({ id: true })) {}
export class ListSurveysQuery extends createZodDto(z.strictObject({ limit, cursor: Cursor.optional(), status: z.enum(SURVEY_STATUSES).optional(), kind: z.enum(SURVEY_KINDS).optional() })) {}
export class PreviewQuery extends createZodDto(z.strictObject({ language: z.enum(FEEDBACK_LANGUAGES).optional(), version: z.coerce.number().int().min(1).max(10_000).optional() })) {}
export class CreateInvitationsBody extends createZodDto(CreateInvitationsRequest.omit({ surveyId: true })) {}
export class ListInvitationsQuery extends createZodDto(z.strictObject({ limit, cursor: Cursor.optional(), surveyId: z.uuid().optional(), status: z.enum(INVITATION_STATUSES).optional() })) {}
export class ListDeliveriesQuery extends createZodDto(z.strictObject({ limit, cursor: Cursor.optional(), invitationId: z.uuid().optional() })) {}
export class AnswersBody extends createZodDto(SaveAnswersRequest.omit({ token: true })) {}
/** Rows are checked one by one by the service (per-row errors with line and field); the envelope is checked here. */
export class ImportResponsesBody extends createZodDto(ImportResponsesRequest.omit({ surveyId: true })) {}
export class ListResponsesQuery extends createZodDto(z.strictObject({ limit, cursor: Cursor.optional(), surveyId: z.uuid().optional(), accountId: z.uuid().optional() })) {}
export class AnalyticsQuery extends createZodDto(
  z.strictObject({
    kind: z.enum(ROLLUP_KIND_VALUES),
    from: FeedbackMonth,
    to: FeedbackMonth,
    dimension: z.enum(ANALYTICS_DIMENSIONS).default('all'),
    value: z.string().min(1).max(100).optional(),
    groupBy: z.enum(ANALYTICS_DIMENSIONS).optional(),
    trend: bool,
  }),
) {}
export class ResponseRateQuery extends createZodDto(z.strictObject({ surveyId: z.uuid().optional(), from: FeedbackMonth, to: FeedbackMonth })) {}
export class PeriodQuery extends createZodDto(z.strictObject({ from: FeedbackMonth, to: FeedbackMonth })) {}
export class KeyDriversBody extends createZodDto(KeyDriversRequest.omit({ surveyId: true })) {}
export class ListLoopsQuery extends createZodDto(z.strictObject({ limit, cursor: Cursor.optional(), status: z.enum(LOOP_STATUSES).optional(), csmId: z.uuid().optional(), accountId: z.uuid().optional() })) {}
export class UpdateLoopBody extends createZodDto(UpdateLoopRequest.omit({ id: true })) {}
export class LoopMetricsQuery extends createZodDto(z.strictObject({ by: z.enum(['csm', 'team']).default('csm') })) {}
