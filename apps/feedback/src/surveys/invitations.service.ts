import { Inject, Injectable } from '@nestjs/common';
import { Answers, CreateInvitationsRequest, CreateInvitationsResponse, DeliveryDto, ErrorCode, FeedbackLanguage, InvitationDto, ListDeliveriesRequest, ListInvitationsRequest, Page, StewardError } from '@steward/contracts';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, JOBS, type JobQueue, requireRole, type RunningJob, SERVICE_CONFIG, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import type { FeedbackConfig } from '../config';
import { DirectoryService } from '../directory/directory.service';
import { DeliveriesRepository } from './deliveries.repository';
import { composeMessage, DELIVERY, type DeliveryPort } from './delivery.port';
import { InvitationRow, InvitationsRepository, NewInvitation, toInvitationDto } from './invitations.repository';
import { RemindInvitationsJob } from './surveys.jobs';
import { SURVEY_WRITERS, SurveysService } from './surveys.service';
import type { SurveyRow } from './surveys.repository';
import { mintInvitationToken, parseInvitationToken, tokenMatches } from './tokens';

const DAY_MS = 24 * 3600_000;
const month = (d: Date) => d.toISOString().slice(0, 7);

interface Candidate {
  index: number;
  respondent: string;
  contactId: string | null;
  userId: string | null;
  accountId: string | null;
  team: string | null;
  recipient: string | null;
}

/**
 * Invitations: one single-use token per respondent (a contact of the accounts read model,
 * or an employee), the frequency rule across surveys, the message handed to the delivery
 * port, reminders as a durable job; and the token checks the respondent flow relies on.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(SERVICE_CONFIG) private readonly config: FeedbackConfig,
    @Inject(DELIVERY) private readonly delivery: DeliveryPort,
    private readonly repo: InvitationsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly surveys: SurveysService,
    private readonly directory: DirectoryService,
  ) {}

  create(ctx: RequestContext, req: CreateInvitationsRequest): Promise<CreateInvitationsResponse> {
    requireRole(ctx, SURVEY_WRITERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const survey = await this.surveys.requireActiveIn(tx, req.surveyId);
      const language = this.languageOf(survey, req.language);
      const { candidates, errors } = await this.resolve(tx, survey, req);
      if (errors.length) throw StewardError.validation(errors);
      const skipped: CreateInvitationsResponse['skipped'] = [];
      const reachable = candidates.filter((c) => {
        if (req.channel === 'email' && !c.recipient?.includes('@')) skipped.push({ index: c.index, field: `recipients[${c.index}]`, rule: 'email-present', message: 'has no e-mail address' });
        else if (req.channel === 'sms' && (!c.recipient || c.recipient.includes('@'))) skipped.push({ index: c.index, field: `recipients[${c.index}]`, rule: 'phone-present', message: 'has no phone number' });
        else return true;
        return false;
      });
      const created = await this.inviteIn(tx, survey, reachable, { channel: req.channel, language, ticketId: null }, skipped);
      return { created, skipped: skipped.sort((a, b) => a.index - b.index) };
    });
  }

  /**
   * Invites inside the caller's transaction: applies the frequency rule, writes the
   * invitations, hands each message to the delivery port and schedules the reminders.
   */
  async inviteIn(
    tx: Tx,
    survey: SurveyRow,
    candidates: Candidate[],
    o: { channel: InvitationDto['channel']; language: FeedbackLanguage; ticketId: string | null },
    skipped: CreateInvitationsResponse['skipped'] = [],
  ): Promise<CreateInvitationsResponse['created']> {
    const now = this.clock.now();
    const rules = survey.rules;
    const unique = candidates.filter((c, i) => candidates.findIndex((x) => x.respondent === c.respondent) === i);
    for (const c of candidates) if (!unique.includes(c)) skipped.push({ index: c.index, field: `recipients[${c.index}]`, rule: 'unique', message: 'is listed twice' });
    const allowed = await this.repo.touch(tx, unique.map((c) => c.respondent), new Date(now.getTime() - rules.minDaysBetweenContacts * DAY_MS), now);
    const invitations: Array<NewInvitation & { token: string; c: Candidate }> = [];
    for (const c of unique) {
      if (!allowed.has(c.respondent)) {
        skipped.push({ index: c.index, field: `recipients[${c.index}]`, rule: 'contact-frequency', message: `was invited to a survey within the last ${rules.minDaysBetweenContacts} days` });
        continue;
      }
      const id = uuidv7();
      const { token, hash } = mintInvitationToken(tx.scope.tenantId, id);
      invitations.push({ id, surveyId: survey.id, version: survey.version, channel: o.channel, language: o.language, contactId: c.contactId, userId: c.userId, accountId: c.accountId, team: c.team, ticketId: o.ticketId, tokenHash: hash, expiresAt: new Date(now.getTime() + rules.expiresInDays * DAY_MS), createdAt: now, token, c });
    }
    const inserted = await this.repo.insertMany(tx, invitations);
    const made = invitations.filter((i) => inserted.has(i.id));
    if (made.length === 0) return [];
    await this.repo.addInvited(tx, survey.id, month(now), made.length);
    const title = survey.definition.title[o.language] ?? Object.values(survey.definition.title)[0] ?? survey.name;
    for (const i of made) {
      const link = this.config.app.linkBase + i.token;
      const msg = composeMessage({ language: o.language, channel: o.channel, kind: 'invitation', title, link, expiresInDays: rules.expiresInDays });
      await this.delivery.deliver(tx, { invitationId: i.id, channel: o.channel, kind: 'invitation', recipient: i.c.recipient, ...msg, at: now });
    }
    if (rules.reminderAfterHours > 0 && rules.maxReminders > 0) {
      for (let k = 0; k < made.length; k += 1000) await this.jobs.enqueue(tx, RemindInvitationsJob, { invitationIds: made.slice(k, k + 1000).map((i) => i.id) }, { delayMs: rules.reminderAfterHours * 3600_000 });
    }
    return made.map((i) => ({
      ...toInvitationDto({ ...i, channel: o.channel, language: o.language, status: 'pending', answers: {}, comment: null, remindersSent: 0, respondedAt: null }, now),
      token: i.token,
      link: this.config.app.linkBase + i.token,
    }));
  }

  /** CSAT after a resolved ticket: invites the ticket's contact to the tenant's ticket-triggered survey (once per ticket). */
  async inviteForTicketIn(tx: Tx, t: { ticketId: string; contactId: string | null; accountId: string | null }): Promise<InvitationDto | null> {
    const survey = await this.surveys.activeTriggeredIn(tx, 'ticket-resolved');
    if (!survey || !t.contactId) return null;
    const contact = (await this.directory.contactsIn(tx, [t.contactId])).get(t.contactId);
    if (!contact || contact.deleted) return null;
    const channel = contact.email ? 'email' : contact.phone ? 'sms' : null;
    if (!channel) return null;
    const [made] = await this.inviteIn(
      tx,
      survey,
      [{ index: 0, respondent: `contact:${contact.id}`, contactId: contact.id, userId: null, accountId: contact.accountId, team: null, recipient: channel === 'email' ? contact.email : contact.phone }],
      { channel, language: survey.definition.languages[0]!, ticketId: t.ticketId },
    );
    return made ?? null;
  }

  list(ctx: RequestContext, q: ListInvitationsRequest): Promise<Page<InvitationDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q, this.clock.now()));
  }

  deliveriesList(ctx: RequestContext, q: ListDeliveriesRequest): Promise<Page<DeliveryDto>> {
    requireRole(ctx, SURVEY_WRITERS);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.deliveries.list(tx, q));
  }

  /** Sends one reminder for each invitation of the batch still unanswered and unexpired; schedules the next if allowed. */
  async remind(job: RunningJob<{ invitationIds: string[] }>): Promise<void> {
    await job.step(async (tx) => {
      const now = this.clock.now();
      const rows = (await this.repo.findMany(tx, job.payload.invitationIds)).filter((r) => r.status !== 'completed' && r.expiresAt > now);
      const due: InvitationRow[] = [];
      for (const r of rows) {
        const survey = await this.surveys.require(tx, r.surveyId);
        if (survey.status !== 'active' || r.remindersSent >= survey.rules.maxReminders) continue;
        due.push(r);
        // Only a hash of a token is kept, so a reminder carries a fresh link; the earlier one stops working (answers saved so far stay).
        const { token, hash } = mintInvitationToken(tx.scope.tenantId, r.id);
        await this.repo.rotateToken(tx, r.id, hash);
        const title = survey.definition.title[r.language] ?? survey.name;
        const msg = composeMessage({ language: r.language, channel: r.channel, kind: 'reminder', title, link: this.config.app.linkBase + token, expiresInDays: Math.max(1, Math.ceil((r.expiresAt.getTime() - now.getTime()) / DAY_MS)) });
        await this.delivery.deliver(tx, { invitationId: r.id, channel: r.channel, kind: 'reminder', recipient: await this.recipientOf(tx, r), ...msg, at: now });
      }
      if (due.length) await this.repo.reminded(tx, due.map((r) => r.id));
    });
  }

  /**
   * The invitation a token names, locked, inside its tenant's transaction: unknown or
   * forged (404), already answered (409) or expired (410) are refused naming `token`.
   */
  async requireOpenIn(tx: Tx, token: string, { lock }: { lock: boolean }): Promise<InvitationRow> {
    const parsed = parseInvitationToken(token);
    const row = parsed && parsed.tenantId === tx.scope.tenantId ? await this.repo.find(tx, parsed.id, lock) : null;
    if (!row || !parsed || !tokenMatches(parsed.secret, row.tokenHash)) throw invitationNotFound();
    if (row.status === 'completed') throw new StewardError(ErrorCode.InvitationUsed, 'This invitation was already answered: each link works once', { errors: [{ field: 'token', rule: 'single-use', message: 'was already used' }] });
    if (row.expiresAt <= this.clock.now()) throw new StewardError(ErrorCode.InvitationExpired, `This invitation expired at ${row.expiresAt.toISOString()}`, { errors: [{ field: 'token', rule: 'not-expired', message: `expired at ${row.expiresAt.toISOString()}` }] });
    return row;
  }

  saveIn(tx: Tx, id: string, answers: Answers, comment: string | null, language: string): Promise<void> {
    return this.repo.saveAnswers(tx, id, answers, comment, language, this.clock.now());
  }

  completeIn(tx: Tx, id: string, responseId: string, answers: Answers, comment: string | null): Promise<void> {
    return this.repo.complete(tx, id, responseId, answers, comment, this.clock.now());
  }

  private async recipientOf(tx: Tx, r: InvitationRow): Promise<string | null> {
    if (r.contactId) {
      const c = (await this.directory.contactsIn(tx, [r.contactId])).get(r.contactId);
      return (r.channel === 'sms' ? c?.phone : c?.email) ?? null;
    }
    if (r.userId && r.channel !== 'sms') return (await this.directory.usersIn(tx, [r.userId])).get(r.userId)?.email ?? null;
    return null;
  }

  private languageOf(survey: SurveyRow, language: FeedbackLanguage | undefined): FeedbackLanguage {
    if (language && !survey.definition.languages.includes(language)) throw StewardError.validation([{ field: 'language', rule: 'survey-language', message: `the survey is in ${survey.definition.languages.join(', ')}` }]);
    return language ?? survey.definition.languages[0]!;
  }

  /** Checks each recipient against the survey's audience and the read models. */
  private async resolve(tx: Tx, survey: SurveyRow, req: CreateInvitationsRequest) {
    const errors: Array<{ field: string; rule: string; message: string }> = [];
    const candidates: Candidate[] = [];
    if (survey.audience === 'customers') {
      const contacts = await this.directory.contactsIn(tx, req.recipients.flatMap((r) => (r.contactId ? [r.contactId] : [])));
      req.recipients.forEach((r, index) => {
        const c = r.contactId ? contacts.get(r.contactId) : undefined;
        if (!r.contactId) errors.push({ field: `recipients[${index}].contactId`, rule: 'required', message: 'customer surveys invite contacts' });
        else if (!c || c.deleted) errors.push({ field: `recipients[${index}].contactId`, rule: 'exists', message: 'is not a contact of this tenant' });
        else candidates.push({ index, respondent: `contact:${c.id}`, contactId: c.id, userId: null, accountId: c.accountId, team: r.team ?? null, recipient: req.channel === 'sms' ? c.phone : c.email });
      });
    } else {
      const users = await this.directory.usersIn(tx, req.recipients.flatMap((r) => (r.userId ? [r.userId] : [])));
      req.recipients.forEach((r, index) => {
        const u = r.userId ? users.get(r.userId) : undefined;
        if (!r.userId) errors.push({ field: `recipients[${index}].userId`, rule: 'required', message: 'the employee pulse invites users' });
        else if (!u || !u.active) errors.push({ field: `recipients[${index}].userId`, rule: 'exists', message: 'is not an active user of this tenant' });
        else candidates.push({ index, respondent: `user:${u.id}`, contactId: null, userId: u.id, accountId: null, team: r.team ?? null, recipient: req.channel === 'sms' ? null : u.email });
      });
    }
    return { candidates, errors };
  }
}

export const invitationNotFound = () =>
  new StewardError(ErrorCode.InvitationNotFound, 'No invitation has this token', { errors: [{ field: 'token', rule: 'exists', message: 'is not a valid invitation token' }] });
