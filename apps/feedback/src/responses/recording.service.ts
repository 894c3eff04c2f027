import { Inject, Injectable } from '@nestjs/common';
import { Answers, Events, type ResponseRecordedEvent } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7 } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, SERVICE_CONFIG } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import type { FeedbackConfig } from '../config';
import { type Contribution, engagementOf } from '../domain/answers';
import { loopReasons } from '../domain/loop-rules';
import { DirectoryService } from '../directory/directory.service';
import { LoopCandidate, LoopsService } from '../loops/loops.service';
import type { SurveyRow } from '../surveys/surveys.service';
import { CommentTagger } from './comment-tagger';
import { NewResponse, ResponsesRepository } from './responses.repository';
import { RollupsService } from './rollups.service';

/** One response to record, already checked against its survey version. */
export interface ResponseInput {
  version: number;
  invitationId: string | null;
  externalId: string | null;
  channel: NewResponse['channel'];
  language: string | null;
  answeredAt: Date;
  accountId: string | null;
  contactId: string | null;
  userId: string | null;
  team: string | null;
  attributes?: { tier?: number; role?: string; segment?: string; team?: string };
  weight: number;
  score: number | null;
  answers: Answers;
  comment: string | null;
  outcomes: Record<string, number | boolean> | null;
  contributions: Contribution[];
}

const DAY_MS = 24 * 3600_000;

/**
 * Records responses (answered through a token or imported) in the caller's transaction:
 * snapshots the respondent's segment (tier, industry, CSM, buying role) from the read
 * models, tags the comment, stores the rows (a repeated external id is skipped), queues
 * their rollup contributions, emits response-recorded, detractor-detected and
 * engagement-scored, and opens follow-ups for recent detractors, low CSAT and complaints.
 */
@Injectable()
export class RecordingService {
  constructor(
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: FeedbackConfig,
    private readonly repo: ResponsesRepository,
    private readonly rollups: RollupsService,
    private readonly directory: DirectoryService,
    private readonly loops: LoopsService,
    private readonly tagger: CommentTagger,
  ) {}

  async recordIn(tx: Tx, ctx: RequestContext, survey: SurveyRow, inputs: ResponseInput[]): Promise<{ ids: string[]; inserted: Set<string> }> {
    const now = this.clock.now();
    const contacts = await this.directory.contactsIn(tx, inputs.flatMap((i) => (i.contactId ? [i.contactId] : [])));
    const accounts = await this.directory.accountsIn(
      tx,
      inputs.flatMap((i) => {
        const a = i.accountId ?? (i.contactId ? contacts.get(i.contactId)?.accountId : undefined);
        return a ? [a] : [];
      }),
    );
    const rows: NewResponse[] = inputs.map((i) => {
      const contact = i.contactId ? contacts.get(i.contactId) : undefined;
      const accountId = i.accountId ?? contact?.accountId ?? null;
      const account = accountId ? accounts.get(accountId) : undefined;
      // The comment and the answers to text questions are tagged together.
      const texts = [i.comment, ...Object.values(i.answers).filter((v): v is string => typeof v === 'string' && v.length > 2)].filter(Boolean).join('\n');
      const { tags, sentiment } = this.tagger.tag(texts);
      return {
        id: uuidv7(),
        surveyId: survey.id,
        kind: survey.kind,
        version: i.version,
        invitationId: i.invitationId,
        externalId: i.externalId,
        channel: i.channel,
        language: i.language,
        answeredAt: i.answeredAt,
        accountId,
        contactId: i.contactId,
        userId: i.userId,
        tier: i.attributes?.tier ?? account?.tier ?? null,
        role: i.attributes?.role ?? contact?.buyingRole ?? null,
        segment: i.attributes?.segment ?? account?.industry ?? null,
        team: i.attributes?.team ?? i.team,
        csmId: account?.csmId ?? null,
        weight: i.weight,
        score: i.score,
        answers: i.answers,
        comment: i.comment,
        tags,
        sentiment,
        outcomes: i.outcomes,
        recordedAt: now,
      };
    });
    const inserted = await this.repo.insertMany(tx, rows);
    const kept = rows.map((r, k) => ({ r, input: inputs[k]! })).filter(({ r }) => inserted.has(r.id));
    if (kept.length === 0) return { ids: rows.map((r) => r.id), inserted };

    await this.rollups.queueIn(
      tx,
      kept.map(({ r, input }) => ({
        responseId: r.id,
        month: r.answeredAt.toISOString().slice(0, 7),
        dims: { survey: r.surveyId, account: r.accountId, tier: r.tier === null ? null : String(r.tier), segment: r.segment, team: r.team, role: r.role, channel: r.channel, csm: r.csmId, contact: r.contactId, invited: r.invitationId ? '1' : null },
        contributions: input.contributions,
      })),
    );

    const emitCtx = { ...ctx, tenantId: tx.scope.tenantId };
    const recorded: ResponseRecordedEvent[] = kept.map(({ r }) => ({
      response: { id: r.id, surveyId: r.surveyId, kind: survey.kind, version: r.version, channel: r.channel as never, answeredAt: r.answeredAt.toISOString(), accountId: r.accountId, contactId: r.contactId, userId: r.userId, tier: r.tier, score: r.score, tags: r.tags },
    }));
    await this.outbox.emitMany(tx, Events.feedback.responseRecorded, recorded, emitCtx);
    const detractors = kept.filter(({ input }) => input.contributions.some((c) => c.kind === 'nps' && c.score <= 6));
    await this.outbox.emitMany(
      tx,
      Events.feedback.detractorDetected,
      detractors.map(({ r, input }) => ({ responseId: r.id, surveyId: r.surveyId, accountId: r.accountId, contactId: r.contactId, score: (input.contributions.find((c) => c.kind === 'nps') as { score: number }).score, answeredAt: r.answeredAt.toISOString() })),
      emitCtx,
    );
    const engaged = kept.flatMap(({ r, input }) => {
      const e = engagementOf(input.contributions);
      return e ? [{ responseId: r.id, accountId: r.accountId, contactId: r.contactId, userId: r.userId, ...e, answeredAt: r.answeredAt.toISOString() }] : [];
    });
    await this.outbox.emitMany(tx, Events.feedback.engagementScored, engaged, emitCtx);

    // Follow-ups for customers' recent answers only: imported history opens no case.
    if (survey.audience === 'customers') {
      const since = now.getTime() - this.config.app.loopWindowDays * DAY_MS;
      const candidates: LoopCandidate[] = kept.flatMap(({ r, input }) => {
        if (r.answeredAt.getTime() < since) return [];
        const reasons = loopReasons(input.contributions, r.tags);
        return reasons.length ? [{ responseId: r.id, surveyId: r.surveyId, accountId: r.accountId, contactId: r.contactId, csmId: r.csmId, team: r.team, reasons, score: r.score, comment: r.comment }] : [];
      });
      await this.loops.openIn(tx, emitCtx, candidates);
    }
    return { ids: rows.map((r) => r.id), inserted };
  }
}

