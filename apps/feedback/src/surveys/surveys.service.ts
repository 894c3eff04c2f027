import { Inject, Injectable } from '@nestjs/common';
import { CreateSurveyRequest, ErrorCode, Events, FeedbackLanguage, ListSurveysRequest, Page, Questionnaire, StewardError, SurveyDefinition, SurveyDto, UpdateSurveyRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, OUTBOX, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { audienceOf, checkDefinition, questionnaire } from '../domain/survey-definition';
import { SurveyRow, SurveysRepository, toSurveyDto } from './surveys.repository';

export type { SurveyRow };

/** Who designs surveys and invites respondents. */
export const SURVEY_WRITERS = ['admin', 'manager', 'csm'] as const;

const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);

/**
 * Surveys: create (draft, version 1), change (a new definition of an active survey is a new
 * version; responses keep the version they answered), activate, close, preview.
 */
@Injectable()
export class SurveysService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: SurveysRepository,
  ) {}

  create(ctx: RequestContext, req: CreateSurveyRequest): Promise<SurveyDto> {
    requireRole(ctx, SURVEY_WRITERS);
    checkDefinition(req.kind, req.definition);
    const audience = req.audience ?? audienceOf(req.kind);
    if (audience !== audienceOf(req.kind)) throw fieldError('audience', 'matches-kind', `a ${req.kind} survey asks ${audienceOf(req.kind)}`);
    if (req.trigger === 'ticket-resolved' && req.kind !== 'csat' && req.kind !== 'ces') throw fieldError('trigger', 'transactional-kind', 'only CSAT and CES surveys are sent after a resolved ticket');
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const id = uuidv7();
      const now = this.clock.now();
      await this.repo.insert(tx, { id, name: req.name, kind: req.kind, nature: req.trigger === 'ticket-resolved' ? 'transactional' : req.nature, audience, trigger: req.trigger, status: 'draft', rules: req.rules, createdAt: now }, req.definition);
      return toSurveyDto((await this.repo.find(tx, id))!);
    });
  }

  get(ctx: RequestContext, id: string): Promise<SurveyDto> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => toSurveyDto(await this.require(tx, id)));
  }

  list(ctx: RequestContext, q: ListSurveysRequest): Promise<Page<SurveyDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  update(ctx: RequestContext, req: UpdateSurveyRequest): Promise<SurveyDto> {
    requireRole(ctx, SURVEY_WRITERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const s = await this.require(tx, req.id, true);
      if (s.status === 'closed') throw new StewardError(ErrorCode.SurveyNotActive, 'A closed survey cannot change', { errors: [{ field: 'id', rule: 'not-closed', message: 'the survey is closed' }] });
      const now = this.clock.now();
      let version: number | undefined;
      if (req.definition) {
        checkDefinition(s.kind, req.definition);
        // A version that was ever published is kept as it is: a response keeps the version it answered.
        version = s.publishedVersion !== null && s.publishedVersion >= s.version ? s.version + 1 : s.version;
        await this.repo.putVersion(tx, s.id, version, req.definition, now);
      }
      await this.repo.update(tx, s.id, { name: req.name, rules: req.rules ? { ...s.rules, ...req.rules } : undefined, version, publishedVersion: s.status === 'active' && version ? version : undefined }, now);
      return toSurveyDto((await this.repo.find(tx, s.id))!);
    });
  }

  activate(ctx: RequestContext, id: string): Promise<SurveyDto> {
    requireRole(ctx, SURVEY_WRITERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const s = await this.require(tx, id, true);
      if (s.status === 'closed') throw new StewardError(ErrorCode.SurveyNotActive, 'A closed survey cannot be opened again', { errors: [{ field: 'id', rule: 'not-closed', message: 'the survey is closed' }] });
      if (s.status !== 'active') await this.repo.update(tx, id, { status: 'active', publishedVersion: s.version }, this.clock.now());
      return toSurveyDto((await this.repo.find(tx, id))!);
    });
  }

  close(ctx: RequestContext, id: string): Promise<SurveyDto> {
    requireRole(ctx, SURVEY_WRITERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const s = await this.require(tx, id, true);
      if (s.status === 'closed') return toSurveyDto(s);
      const now = this.clock.now();
      await this.repo.update(tx, id, { status: 'closed', closedAt: now }, now);
      const survey = toSurveyDto((await this.repo.find(tx, id))!);
      await this.outbox.emit(tx, Events.feedback.surveyClosed, { survey: { id, name: survey.name, kind: survey.kind, closedAt: survey.closedAt! } });
      return survey;
    });
  }

  preview(ctx: RequestContext, req: { id: string; language?: FeedbackLanguage; version?: number }): Promise<Questionnaire> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const s = await this.require(tx, req.id);
      const version = req.version ?? s.version;
      const def = await this.repo.definition(tx, s.id, version);
      if (!def) throw fieldError('version', 'exists', `the survey has versions 1 to ${s.version}`);
      return questionnaire({ id: s.id, kind: s.kind, version }, def, req.language);
    });
  }

  /** The survey, inside the caller's transaction (404 when it is not the tenant's). */
  async require(tx: Tx, id: string, lock = false): Promise<SurveyRow> {
    const s = await this.repo.find(tx, id, lock);
    if (!s) throw StewardError.notFound('survey', id);
    return s;
  }

  /** The survey, which must be active (409 otherwise), inside the caller's transaction. */
  async requireActiveIn(tx: Tx, id: string, field = 'surveyId'): Promise<SurveyRow> {
    const s = await this.repo.find(tx, id);
    if (!s) throw fieldError(field, 'exists', 'is not a survey of this tenant');
    if (s.status !== 'active') throw new StewardError(ErrorCode.SurveyNotActive, `Survey ${id} is ${s.status}`, { errors: [{ field, rule: 'active', message: `the survey is ${s.status}: activate it first` }] });
    return s;
  }

  /** A version's definition, inside the caller's transaction. */
  async definitionIn(tx: Tx, surveyId: string, version: number): Promise<SurveyDefinition> {
    const def = await this.repo.definition(tx, surveyId, version);
    if (!def) throw new Error(`survey ${surveyId} has no version ${version}`);
    return def;
  }

  /** The active survey sent after a resolved ticket, if the tenant has one. */
  activeTriggeredIn(tx: Tx, trigger: 'ticket-resolved'): Promise<SurveyRow | null> {
    return this.repo.activeTriggered(tx, trigger);
  }
}
