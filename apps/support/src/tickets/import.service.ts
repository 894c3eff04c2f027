import { Inject, Injectable } from '@nestjs/common';
import { actorRef, FieldError, ImportedTicket, ImportTicketsRequest, ImportTicketsResponse, StewardError } from '@steward/contracts';
import { uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import { slaStatusOf, statusDefinition, type StatusClass, type SupportPolicyDocument, type TicketStatus } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import { checkTransition, isOpenClass } from '../domain/lifecycle';
import { contributionOf } from '../domain/rollup-facts';
import type { FeedEntry } from '../domain/sla-feed';
import { replaySla } from '../domain/sla-replay';
import { DirectoryService } from '../directory/directory.service';
import { RecoveryService } from '../recovery/recovery.service';
import { TeamsService } from '../teams/teams.service';
import { authorize } from './access';
import { factsOf, subjectOf, TicketEngine } from './ticket-engine.service';
import { TicketRow } from './ticket.row';
import { applyPolicy, TicketContext, TicketsService } from './tickets.service';
import { TicketsRepository } from './tickets.repository';

/** Every problem of the request at once (capped), each naming its field. */
class Problems {
  readonly list: FieldError[] = [];
  add(field: string, rule: string, message: string): void {
    if (this.list.length < 50) this.list.push({ field, rule, message });
  }
  throwIfAny(): void {
    if (this.list.length) throw StewardError.validation(this.list);
  }
}

/**
 * Imports tickets with their history (e-mail, phone and CRM exports; a migration from
 * another help desk): idempotent on `externalId`; each ticket's status history and public
 * comments are replayed through the same SLA engine a live ticket goes through
 * (`replaySla`), so its clocks, metric-event feed, breaches and rollups are exactly those of
 * the same ticket handled live. A bad ticket refuses the whole request, naming its field.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly engine: TicketEngine,
    private readonly teams: TeamsService,
    private readonly directory: DirectoryService,
    private readonly recovery: RecoveryService,
  ) {}

  import(ctx: RequestContext, req: ImportTicketsRequest): Promise<ImportTicketsResponse> {
    const scope = authorize(ctx, 'manage');
    const problems = new Problems();
    const seen = new Map<string, number>();
    req.tickets.forEach((t, i) => {
      const first = seen.get(t.externalId);
      if (first !== undefined) problems.add(`tickets[${i}].externalId`, 'unique', `repeats tickets[${first}].externalId`);
      seen.set(t.externalId, i);
    });
    problems.throwIfAny();
    return this.uow.forScope(scope, async (tx) => {
      const now = this.clock.now();
      const by = actorRef(ctx.actor);
      const existing = await this.repo.byExternalIds(tx, req.tickets.map((t) => t.externalId));
      const contexts = new Map<string, TicketContext>();
      const teams = new Map<string, { teamId: string | null; teamCalendar: string | null }>();
      const items: Array<{ t: TicketRow; feed: FeedEntry[]; history: Array<{ at: string; status: string; statusClass: StatusClass; reason: string | null }>; src: ImportedTicket }> = [];
      for (let i = 0; i < req.tickets.length; i++) {
        const src = req.tickets[i];
        if (existing.has(src.externalId)) continue;
        const f = `tickets[${i}].`;
        const key = `${src.accountId}|${src.projectId ?? ''}|${src.category}`;
        let c = contexts.get(key);
        if (!c) {
          try {
            c = await this.tickets.contextIn(tx, src.accountId, src.projectId ?? null, src.category, f);
          } catch (err) {
            if (err instanceof StewardError && err.details?.errors) for (const e of err.details.errors) problems.add(e.field, e.rule, e.message);
            else throw err;
            continue;
          }
          contexts.set(key, c);
        }
        if (src.assigneeId && !(await this.directory.userIn(tx, src.assigneeId))) problems.add(`${f}assigneeId`, 'exists', 'is not a user support knows');
        for (const q of c.routed.steps) {
          if (teams.has(q)) continue;
          const row = await this.teams.teamForQueueIn(tx, q);
          teams.set(q, { teamId: row?.id ?? null, teamCalendar: row?.calendar ?? null });
        }
        const team = teams.get(c.routed.steps[0])!;
        const built = this.build(c, src, f, now, problems, { ...team, assigneeId: src.assigneeId ?? null, how: null }, (q) => teams.get(q)?.teamId ?? null);
        if (built) items.push({ ...built, src });
      }
      problems.throwIfAny();
      await this.engine.saveImportedIn(tx, items, now);
      await this.repo.addHistoryMany(
        tx,
        items.flatMap(({ t, history }) => history.map((h) => ({ ticketId: t.id, ...h, by }))),
      );
      await this.repo.addComments(
        tx,
        items.flatMap(({ t, src }) =>
          src.comments.map((cm) => ({ id: uuidv7(), ticketId: t.id, at: new Date(cm.at).toISOString(), by: cm.by, visibility: cm.visibility, body: cm.body, author: cm.author ?? `import:${cm.by}` })),
        ),
      );
      for (const { t, src } of items) {
        if (!src.complaint) continue;
        const c = contexts.get(`${src.accountId}|${src.projectId ?? ''}|${src.category}`)!;
        await this.recovery.registerIn(tx, { ticketId: t.id, accountId: t.accountId, level: t.level, priority: t.priority, tier: c.account.tier }, 'import', src.subject, by, []);
      }
      const ids = new Map(items.map((x) => [x.src.externalId, x.t.id]));
      return {
        imported: items.length,
        unchanged: req.tickets.length - items.length,
        tickets: req.tickets.map((t) => ({ externalId: t.externalId, id: existing.get(t.externalId) ?? ids.get(t.externalId)!, imported: ids.has(t.externalId) })),
      };
    });
  }

  /** One imported ticket: its history checked against the lifecycle, then replayed through the SLA engine. */
  private build(
    c: TicketContext,
    src: ImportedTicket,
    f: string,
    now: Date,
    problems: Problems,
    a: { teamId: string | null; teamCalendar: string | null; assigneeId: string | null; how: null },
    teamOf: (queue: string) => string | null,
  ): { t: TicketRow; feed: FeedEntry[]; history: Array<{ at: string; status: string; statusClass: StatusClass; reason: string | null }> } | null {
    const before = problems.list.length;
    const created = new Date(src.createdAt);
    const createdIso = created.toISOString();
    const nowIso = now.toISOString();
    if (created > now) problems.add(`${f}createdAt`, 'not-future', 'must not be in the future');
    const t = this.tickets.newTicket(c, a, created, {
      ...src,
      externalId: src.externalId,
      originKind: null,
      originRef: null,
      followUp: false,
      imported: true,
    });
    const history: Array<{ at: string; status: string; statusClass: StatusClass; reason: string | null }> = [{ at: createdIso, status: 'new', statusClass: 'new', reason: null }];
    const changes: Array<{ at: string; status: TicketStatus }> = [{ at: createdIso, status: 'new' }];
    let cls: StatusClass = 'new';
    let status = 'new';
    let prevAt = createdIso;
    let resolvedAt: string | null = null;
    let closedAt: string | null = null;
    let reopens = 0;
    src.history.forEach((h, j) => {
      const hf = `${f}history[${j}]`;
      const at = new Date(h.at).toISOString();
      if (at < prevAt) problems.add(`${hf}.at`, 'chronological', `is before the previous change (${prevAt})`);
      if (at > nowIso) problems.add(`${hf}.at`, 'not-future', 'must not be in the future');
      const def = statusDefinition(c.doc as SupportPolicyDocument, h.status);
      if (!def) return problems.add(`${hf}.status`, 'exists', 'is not a status of this tenant');
      const verdict = checkTransition(cls, def.class, { resolvedAt, now: at, reopenWindowDays: 36_500 });
      if (!verdict.ok) return problems.add(`${hf}.status`, 'transition', `${status} → ${def.key}: ${verdict.message}`);
      if (verdict.kind === 'resolve') resolvedAt = at;
      if (verdict.kind === 'close') closedAt = at;
      if (verdict.kind === 'reopen') {
        reopens += 1;
        resolvedAt = null;
        closedAt = null;
      }
      cls = def.class;
      status = def.key;
      prevAt = at;
      changes.push({ at, status: slaStatusOf(def) });
      history.push({ at, status: def.key, statusClass: def.class, reason: h.reason ?? null });
    });
    let prevComment = createdIso;
    const responses: Array<{ at: string; by: 'agent' | 'customer' }> = [];
    src.comments.forEach((cm, k) => {
      const at = new Date(cm.at).toISOString();
      if (at < prevComment) problems.add(`${f}comments[${k}].at`, 'chronological', `is before ${k === 0 ? 'the creation' : 'the previous comment'} (${prevComment})`);
      if (at > nowIso) problems.add(`${f}comments[${k}].at`, 'not-future', 'must not be in the future');
      prevComment = at;
      if (cm.visibility === 'public') responses.push({ at, by: cm.by });
    });
    if (problems.list.length > before) return null;

    const agent = responses.filter((r) => r.by === 'agent');
    Object.assign(t, {
      status,
      statusClass: cls,
      isOpen: isOpenClass(cls),
      resolvedAt,
      closedAt,
      reopenCount: reopens,
      agentResponses: agent.length,
      firstRespondedAt: agent[0]?.at ?? null,
      complaint: src.complaint,
      timeline: { statusChanges: changes, responses },
    } satisfies Partial<TicketRow>);
    const replay = replaySla(c.doc as SupportPolicyDocument, { ...subjectOf(t), queues: t.routing.steps, open: t.isOpen }, nowIso, (q) => teamOf(q));
    t.steps = replay.steps;
    t.step = replay.step;
    t.queue = t.routing.steps[t.step];
    t.teamId = t.steps[t.steps.length - 1].teamId;
    t.escalations = replay.escalations;
    if (!t.isOpen) {
      const handoff = replay.last.clocks.find((k) => k.key === `handoff@${t.step}`)?.clock;
      t.steps = t.steps.map((x, i) => (i === t.steps.length - 1 ? { ...x, leftAt: resolvedAt ?? closedAt, leftBecause: 'resolved', handoff: handoff ? (handoff.breached ? 'breached' : 'met') : null } : x));
    }
    t.sla = { ...t.sla, states: replay.states };
    t.slaMarks = replay.marks;
    t.slaBreached = replay.breached;
    t.nextCheckAt = t.isOpen ? replay.last.nextCheckAt : null;
    t.rollup = contributionOf(factsOf(t, replay.last));
    t.updatedAt = nowIso;
    return { t, feed: [applyPolicy(t, createdIso, 'imported'), ...replay.entries], history };
  }
}
