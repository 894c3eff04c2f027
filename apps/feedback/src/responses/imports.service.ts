import { Inject, Injectable } from '@nestjs/common';
import { ImportedResponse, ImportResponsesRequest, ImportResponsesResponse, ListResponsesRequest, Page, ResponseDto, toFieldErrors } from '@steward/contracts';
import { isDomainError, toFieldErrors as domainFieldErrors } from '@steward/domain-kernel';
import type { UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { checkAnswers } from '../domain/answers';
import { outcomeItem } from '../domain/survey-definition';
import { DirectoryService } from '../directory/directory.service';
import { SurveysService } from '../surveys/surveys.service';
import { ResponseInput, RecordingService } from './recording.service';
import { ResponsesRepository } from './responses.repository';

const IMPORTERS = ['admin', 'manager'] as const;

/**
 * Bulk import of responses (call-centre and CRM exports, history): every row is checked on
 * its own (shape, answers against the survey's current version, references to the read
 * models) and reported with its line and field; the valid rows are recorded in one
 * transaction, idempotent by `externalId` (a retried batch doubles nothing).
 */
@Injectable()
export class ImportsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    private readonly surveys: SurveysService,
    private readonly directory: DirectoryService,
    private readonly recording: RecordingService,
    private readonly repo: ResponsesRepository,
  ) {}

  import(ctx: RequestContext, req: ImportResponsesRequest): Promise<ImportResponsesResponse> {
    requireRole(ctx, IMPORTERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const survey = await this.surveys.requireActiveIn(tx, req.surveyId);
      const def = await this.surveys.definitionIn(tx, survey.id, survey.version);
      const outcome = outcomeItem(survey.kind, def);
      const errors: ImportResponsesResponse['errors'] = [];
      const parsed: Array<{ line: number; row: ImportedResponse }> = [];
      req.rows.forEach((raw, i) => {
        const r = ImportedResponse.safeParse(raw);
        if (r.success) parsed.push({ line: i + 1, row: r.data });
        else for (const e of toFieldErrors(r.error)) errors.push({ line: i + 1, ...e });
      });
      const contacts = await this.directory.contactsIn(tx, parsed.flatMap((p) => (p.row.contactId ? [p.row.contactId] : [])));
      const accounts = await this.directory.accountsIn(tx, parsed.flatMap((p) => (p.row.accountId ? [p.row.accountId] : [])));
      const users = await this.directory.usersIn(tx, parsed.flatMap((p) => (p.row.userId ? [p.row.userId] : [])));
      const inputs: ResponseInput[] = [];
      const seen = new Set<string>();
      let duplicates = 0;
      for (const { line, row } of parsed) {
        const rowErrors: ImportResponsesResponse['errors'] = [];
        const err = (field: string, rule: string, message: string) => rowErrors.push({ line, field, rule, message });
        if (row.contactId && !contacts.has(row.contactId)) err('contactId', 'exists', 'is not a contact of this tenant');
        if (row.accountId && !accounts.has(row.accountId)) err('accountId', 'exists', 'is not an account of this tenant');
        if (row.userId && !users.has(row.userId)) err('userId', 'exists', 'is not a user of this tenant');
        const contact = row.contactId ? contacts.get(row.contactId) : undefined;
        if (contact && row.accountId && contact.accountId !== row.accountId) err('accountId', 'contact-account', "is not the contact's account");
        let checked: ReturnType<typeof checkAnswers> | null = null;
        try {
          checked = checkAnswers(survey.kind, def, row.answers, { complete: false });
          if (outcome && checked.score === null) err(`answers.${outcome.key}`, 'required', `the ${outcome.type} score is required`);
          if (!outcome && !checked.contributions.some((c) => c.kind === 'engagement')) err('answers', 'required', 'an engagement response answers every level');
        } catch (e) {
          if (!isDomainError(e)) throw e;
          for (const f of domainFieldErrors(e.issues)) rowErrors.push({ line, ...f });
        }
        if (rowErrors.length || !checked) {
          errors.push(...rowErrors);
          continue;
        }
        if (seen.has(row.externalId)) {
          duplicates++;
          continue;
        }
        seen.add(row.externalId);
        inputs.push({
          version: survey.version,
          invitationId: null,
          externalId: row.externalId,
          channel: row.channel,
          language: row.language ?? null,
          answeredAt: new Date(row.answeredAt),
          accountId: row.accountId ?? contact?.accountId ?? null,
          contactId: row.contactId ?? null,
          userId: row.userId ?? null,
          team: row.attributes?.team ?? null,
          attributes: row.attributes,
          weight: row.weight ?? 1,
          score: checked.score,
          answers: checked.answers,
          comment: row.comment ?? null,
          outcomes: row.outcomes ?? null,
          contributions: checked.contributions,
        });
      }
      const { inserted } = await this.recording.recordIn(tx, ctx, survey, inputs);
      return { received: req.rows.length, imported: inserted.size, duplicates: duplicates + inputs.length - inserted.size, errors };
    });
  }

  list(ctx: RequestContext, q: ListResponsesRequest): Promise<Page<ResponseDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }
}
