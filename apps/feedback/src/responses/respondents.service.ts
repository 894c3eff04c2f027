import { Inject, Injectable } from '@nestjs/common';
import { Answers, SaveAnswersRequest } from '@steward/contracts';
import type { Tx, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { checkAnswers } from '../domain/answers';
import { questionnaire } from '../domain/survey-definition';
import { InvitationsService, invitationNotFound } from '../surveys/invitations.service';
import { SurveysService } from '../surveys/surveys.service';
import { parseInvitationToken } from '../surveys/tokens';
import { RecordingService } from './recording.service';

/**
 * The respondent's side: no login, the token is the credential. It names its tenant, so
 * every step runs in that tenant's transaction after the token's secret matched; a used,
 * expired or unknown token is refused naming `token`. Answers can be saved partially and
 * are submitted once.
 */
@Injectable()
export class RespondentsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invitations: InvitationsService,
    private readonly surveys: SurveysService,
    private readonly recording: RecordingService,
  ) {}

  open(_ctx: RequestContext, token: string) {
    return this.inTenantOf(token, async (tx) => {
      const inv = await this.invitations.requireOpenIn(tx, token, { lock: false });
      const survey = await this.surveys.require(tx, inv.surveyId);
      const def = await this.surveys.definitionIn(tx, survey.id, inv.version);
      return { status: inv.status, expiresAt: inv.expiresAt.toISOString(), questionnaire: questionnaire({ id: survey.id, kind: survey.kind, version: inv.version }, def, inv.language), answers: inv.answers, comment: inv.comment };
    });
  }

  save(_ctx: RequestContext, req: SaveAnswersRequest) {
    return this.inTenantOf(req.token, async (tx) => {
      const inv = await this.invitations.requireOpenIn(tx, req.token, { lock: true });
      const survey = await this.surveys.requireActiveIn(tx, inv.surveyId, 'token');
      const def = await this.surveys.definitionIn(tx, survey.id, inv.version);
      const merged: Answers = { ...inv.answers, ...req.answers };
      const { answers } = checkAnswers(survey.kind, def, merged, { complete: false });
      await this.invitations.saveIn(tx, inv.id, answers, req.comment ?? inv.comment, req.language && def.languages.includes(req.language) ? req.language : inv.language);
      return { status: 'started' as const, savedAt: this.clock.now().toISOString(), answered: Object.values(answers).filter((v) => v !== null && v !== '').length };
    });
  }

  submit(ctx: RequestContext, req: SaveAnswersRequest) {
    return this.inTenantOf(req.token, async (tx) => {
      const inv = await this.invitations.requireOpenIn(tx, req.token, { lock: true });
      const survey = await this.surveys.requireActiveIn(tx, inv.surveyId, 'token');
      const def = await this.surveys.definitionIn(tx, survey.id, inv.version);
      const checked = checkAnswers(survey.kind, def, { ...inv.answers, ...req.answers }, { complete: true });
      const comment = req.comment ?? inv.comment;
      const language = req.language && def.languages.includes(req.language) ? req.language : inv.language;
      const { ids } = await this.recording.recordIn(tx, ctx, survey, [
        {
          version: inv.version,
          invitationId: inv.id,
          externalId: null,
          channel: inv.channel,
          language,
          answeredAt: this.clock.now(),
          accountId: inv.accountId,
          contactId: inv.contactId,
          userId: inv.userId,
          team: inv.team,
          weight: 1,
          score: checked.score,
          answers: checked.answers,
          comment,
          outcomes: null,
          contributions: checked.contributions,
        },
      ]);
      await this.invitations.completeIn(tx, inv.id, ids[0]!, checked.answers, comment);
      return { status: 'completed' as const, responseId: ids[0]! };
    });
  }

  private inTenantOf<T>(token: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const parsed = parseInvitationToken(token);
    if (!parsed) return Promise.reject(invitationNotFound());
    return this.uow.forTenant(parsed.tenantId, work);
  }
}

