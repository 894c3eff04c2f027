import { Inject, Injectable } from '@nestjs/common';
import { EventMap, Events, EventSubject, TicketDto, TicketSnapshot } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, type Tx } from '@steward/persistence';
import { JOBS, JobQueue, OUTBOX } from '@steward/service-kit';
import { statusDefinition, type SupportPolicyDocument } from '@steward/support-domain';
import { contributionOf, type ClockOutcome, type TicketFacts } from '../domain/rollup-facts';
import { feedChange, type FeedEntry } from '../domain/sla-feed';
import { ESCALATING_CLOCKS, nextStep } from '../domain/sla-replay';
import { evaluateSla, type SlaEvaluation } from '../domain/ticket-sla';
import { DirectoryService } from '../directory/directory.service';
import { PolicyService } from '../policy/policy.service';
import { RecoveryService } from '../recovery/recovery.service';
import { ReportsService } from '../reports/reports.service';
import { TeamsService } from '../teams/teams.service';
import { SlaTimerJob } from './tickets.jobs';
import { routingDto, TicketRow, toSnapshot } from './ticket.row';
import { TicketsRepository } from './tickets.repository';

/** An event a use case publishes once the ticket's final state is known (its snapshot is filled in then). */
export type PendingEvent = { [S in EventSubject]: { subject: S; payload: (ticket: TicketSnapshot) => EventMap[S] } }[EventSubject];
export const pending = <S extends EventSubject>(subject: S, payload: (ticket: TicketSnapshot) => EventMap[S]): PendingEvent => ({ subject, payload }) as PendingEvent;

/** Breaching these moves the ticket one step up its escalation chain (and may issue a voucher). */
const ESCALATING = ESCALATING_CLOCKS;
const MAX_CHAINED_ESCALATIONS = 3;

export interface SettleOptions {
  now: Date;
  /** The ticket before this change (null: a new ticket). */
  before: TicketRow | null;
  events: PendingEvent[];
  /** Entries to put first in the metric-event feed (apply-policy). */
  feed?: FeedEntry[];
  /** Imports replay history: they record the feed and rollups, but publish no SLA events and escalate nothing. */
  quiet?: boolean;
}

/**
 * Where every ticket change ends (created, changed, commented, or looked at by its SLA
 * timer): recomputes the clocks with libs/support-domain, writes the metric-event feed,
 * reports new warnings, breaches and fulfilments, moves the ticket up its escalation chain on
 * a breach, applies recovery rules, re-arms the timer for the next due time, records the
 * rollup difference and the agents' load, saves the row and publishes every event, all in the
 * caller's transaction.
 */
@Injectable()
export class TicketEngine {
  constructor(
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: TicketsRepository,
    private readonly policy: PolicyService,
    private readonly teams: TeamsService,
    private readonly reports: ReportsService,
    private readonly recovery: RecoveryService,
    private readonly directory: DirectoryService,
  ) {}

  /** The clocks of a ticket at `now` under its policy version (read paths: nothing is written). */
  async evaluateIn(tx: Tx, t: TicketRow, now: Date): Promise<{ doc: SupportPolicyDocument; ev: SlaEvaluation }> {
    const doc = await this.policy.versionIn(tx, t.policyVersion);
    return { doc, ev: evaluateSla(doc, subjectOf(t), now.toISOString()) };
  }

  async settleIn(tx: Tx, t: TicketRow, o: SettleOptions): Promise<TicketRow> {
    const nowIso = o.now.toISOString();
    const doc = await this.policy.versionIn(tx, t.policyVersion);
    const feed: FeedEntry[] = [...(o.feed ?? [])];
    const published: PendingEvent[] = [];
    const breaches: string[] = [];
    let ev = evaluateSla(doc, subjectOf(t), nowIso);
    for (let round = 0; ; round++) {
      const change = feedChange(t.sla.states, t.slaMarks, ev.clocks, ev.signals, nowIso);
      feed.push(...change.entries);
      t.sla = { ...t.sla, states: change.states };
      t.slaMarks = change.marks;
      if (ev.clocks.some((c) => c.clock.breached)) t.slaBreached = true;
      if (!o.quiet) {
        for (const s of change.signals) {
          const clock = ev.clocks.find((c) => c.key === s.key)!.clock;
          const payload = (ticket: TicketSnapshot) => ({
            ticket,
            clock: { key: s.key, kind: s.kind, targetMinutes: clock.targetMinutes, dueAt: clock.dueAt, state: clock.state },
            ...(s.fraction === undefined ? {} : { fraction: s.fraction }),
            at: s.at,
          });
          published.push(s.signal === 'breach' ? pending(Events.support.slaBreached, payload) : pending(Events.support.slaWarned, payload));
          if (s.signal === 'breach' && ESCALATING.has(s.kind)) breaches.push(s.kind);
        }
        for (const f of change.fulfilled) {
          published.push(
            pending(Events.support.slaFulfilled, (ticket) => ({
              ticket,
              clock: { key: f.key, kind: f.kind, targetMinutes: f.clock.targetMinutes, dueAt: f.clock.dueAt, state: f.clock.state },
              at: f.clock.stoppedAt ?? nowIso,
            })),
          );
        }
      }
      // On a breach the escalation chain moves the ticket to its next step (once per breached clock).
      const breach = !o.quiet && t.isOpen && round < MAX_CHAINED_ESCALATIONS ? change.signals.find((s) => s.signal === 'breach' && ESCALATING.has(s.kind) && (s.kind !== 'handoff' || s.key === `handoff@${t.step}`)) : undefined;
      if (!breach || t.step >= t.routing.steps.length - 1) break;
      published.push(...(await this.moveStepIn(tx, t, ev, `sla-breach:${breach.kind}`, o.now)));
      ev = evaluateSla(doc, subjectOf(t), nowIso);
    }
    await this.armTimerIn(tx, t, ev.nextCheckAt, o.now);
    t.rollup = await this.reports.recordIn(tx, o.before?.rollup ?? [], contributionOf(factsOf(t, ev)));
    await this.teams.moveLoadIn(tx, o.before?.isOpen ? o.before.assigneeId : null, t.isOpen ? t.assigneeId : null);
    t.updatedAt = nowIso;
    // The ticket row first: a partner's transaction may write rows hanging off a ticket (its SLA
    // feed, history) only once row-level security can see that ticket.
    if (o.before) t.version = await this.repo.update(tx, t);
    else await this.repo.insert(tx, t);
    await this.repo.addSlaEvents(tx, t.id, feed, nowIso);
    const snapshot = toSnapshot(t);
    for (const e of [...o.events, ...published]) await this.outbox.emit(tx, e.subject, e.payload(snapshot) as never);
    // Recovery vouchers after the breach they answer (consumers see sla.breached, then voucher.issued).
    if (breaches.length) {
      const account = await this.directory.accountIn(tx, t.accountId);
      for (const clock of new Set(breaches)) {
        await this.recovery.onBreachIn(tx, { ticketId: t.id, accountId: t.accountId, level: t.level, priority: t.priority, tier: account?.tier ?? null }, clock, doc.recovery);
      }
    }
    return t;
  }

  /**
   * Saves imported tickets whose SLA was replayed (`replaySla`): rows, feeds, rollup
   * differences (added up across the batch), agents' load, `ticket.created` events (with
   * `imported: true`: no CSAT for history) in a handful of statements, and a timer for each
   * ticket still open.
   */
  async saveImportedIn(tx: Tx, items: ReadonlyArray<{ t: TicketRow; feed: FeedEntry[] }>, now: Date): Promise<void> {
    const nowIso = now.toISOString();
    for (const { t } of items) if (t.isOpen && t.nextCheckAt) t.timerJobId = uuidv7();
    await this.repo.insertMany(
      tx,
      items.map((i) => i.t),
    );
    await this.repo.addSlaEventsMany(
      tx,
      items.flatMap((i) => i.feed.map((e) => ({ ...e, ticketId: i.t.id }))),
      nowIso,
    );
    await this.reports.recordIn(
      tx,
      [],
      items.flatMap((i) => i.t.rollup),
    );
    for (const { t } of items) {
      if (t.isOpen && t.assigneeId) await this.teams.moveLoadIn(tx, null, t.assigneeId);
      if (t.timerJobId) await this.jobs.enqueue(tx, SlaTimerJob, { ticketId: t.id }, { id: t.timerJobId, delayMs: Math.max(0, Date.parse(t.nextCheckAt!) - now.getTime()) });
    }
    await this.outbox.emitMany(
      tx,
      Events.support.ticketCreated,
      items.map((i) => ({ ticket: toSnapshot(i.t) })),
    );
  }

  /**
   * Moves the ticket one step along its chain (escalation): the step it leaves keeps its
   * hand-off outcome (met unless breached: "solved or escalated in time"), the next step's
   * queue and team take it, and the team's strategy may assign it.
   */
  async moveStepIn(tx: Tx, t: TicketRow, ev: SlaEvaluation, reason: string, now: Date): Promise<PendingEvent[]> {
    const nowIso = now.toISOString();
    const fromStep = t.step;
    const fromQueue = t.queue;
    const queue = t.routing.steps[t.step + 1];
    const previous = t.assigneeId;
    const a = await this.teams.assignIn(tx, queue, t.requiredSkills);
    t.steps = nextStep(t.steps, ev, t.step, queue, a.teamId, nowIso, reason);
    t.step += 1;
    t.queue = queue;
    t.escalations += 1;
    t.teamId = a.teamId;
    t.assigneeId = a.assigneeId;
    const events: PendingEvent[] = [pending(Events.support.ticketEscalated, (ticket) => ({ ticket, fromStep, fromQueue, toStep: t.step, toQueue: t.queue, reason }))];
    if (previous !== t.assigneeId) events.push(pending(Events.support.ticketAssigned, (ticket) => ({ ticket, previousAssigneeId: previous, how: a.how ?? 'manual' })));
    return events;
  }

  /** Due the next time a clock can reach something (null: nothing runs, any queued timer just finds nothing). */
  private async armTimerIn(tx: Tx, t: TicketRow, next: string | null, now: Date): Promise<void> {
    t.nextCheckAt = next;
    if (next === null) return;
    const delayMs = Math.max(0, Date.parse(next) - now.getTime());
    if (t.timerJobId && (await this.jobs.reschedule(tx, t.timerJobId, delayMs))) return;
    t.timerJobId = await this.jobs.enqueue(tx, SlaTimerJob, { ticketId: t.id }, { delayMs });
  }

  /** The ticket as the API shows it, clocks computed live at `now`. */
  async toDtoIn(tx: Tx, t: TicketRow, now: Date): Promise<TicketDto> {
    const { doc, ev } = await this.evaluateIn(tx, t, now);
    const def = statusDefinition(doc, t.status);
    const paused = def?.pausesSla ? (def.pauseReason ?? def.key) : null;
    return {
      id: t.id,
      externalId: t.externalId,
      accountId: t.accountId,
      projectId: t.projectId,
      contact: t.contact,
      category: t.category,
      priority: t.priority,
      channel: t.channel,
      subject: t.subject,
      description: t.description,
      customFields: t.customFields,
      requiredSkills: t.requiredSkills,
      status: t.status,
      statusClass: t.statusClass,
      level: t.level,
      step: t.step,
      queue: t.queue,
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      routing: routingDto(t.routing),
      steps: t.steps.map((s) => ({ step: s.step, queue: s.queue, teamId: s.teamId, enteredAt: s.enteredAt, leftAt: s.leftAt, leftBecause: s.leftBecause })),
      origin: t.originKind ? { kind: t.originKind, ref: t.originRef ?? '' } : null,
      followUp: t.followUp,
      complaint: t.complaint,
      mergedIntoId: t.mergedIntoId,
      reopenCount: t.reopenCount,
      imported: t.imported,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      firstRespondedAt: t.firstRespondedAt,
      resolvedAt: t.resolvedAt,
      closedAt: t.closedAt,
      sla: {
        calendar: t.calendar,
        policyVersion: t.policyVersion,
        targets: ev.targets,
        clocks: ev.clocks.map((c) => ({
          key: c.key,
          kind: c.kind,
          targetMinutes: c.clock.targetMinutes,
          startedAt: c.clock.startedAt,
          stoppedAt: c.clock.stoppedAt,
          dueAt: c.clock.dueAt,
          elapsedMinutes: round(c.clock.elapsedMinutes),
          remainingMinutes: round(c.clock.remainingMinutes),
          pausedMinutes: round(c.clock.pausedMinutes),
          state: c.clock.state,
          breachedAt: c.clock.breachedAt,
        })),
        breached: t.slaBreached || ev.clocks.some((c) => c.clock.breached),
        pauseReason: paused,
        nextCheckAt: ev.nextCheckAt,
        computedAt: now.toISOString(),
      },
      version: t.version,
    };
  }
}

const round = (m: number) => Math.round(m * 1000) / 1000;

export function subjectOf(t: TicketRow) {
  return { level: t.level, priority: t.priority, step: t.step, templates: t.routing.templates, calendar: t.calendar, timeline: t.timeline, steps: t.steps, overrides: t.sla.overrides };
}

const outcome = (ev: SlaEvaluation, key: string): ClockOutcome => ev.clocks.find((c) => c.key === key)?.clock.state ?? null;

/** What the ticket contributes to the rollups now. */
export function factsOf(t: TicketRow, ev: SlaEvaluation): TicketFacts {
  return {
    createdAt: t.createdAt,
    level: t.level,
    step: t.step,
    queue: t.queue,
    teamId: t.teamId,
    priority: t.priority,
    open: t.isOpen,
    resolved: t.statusClass === 'resolved' || t.statusClass === 'closed',
    merged: t.mergedIntoId !== null,
    firstResponse: outcome(ev, 'firstResponse'),
    resolution: outcome(ev, 'resolution'),
    breached: t.slaBreached,
    agentResponses: t.agentResponses,
    escalations: t.escalations,
    reopenCount: t.reopenCount,
    complaint: t.complaint,
    steps: t.steps.map((s, i) => ({
      step: s.step,
      queue: s.queue,
      teamId: s.teamId,
      enteredAt: s.enteredAt,
      leftAt: s.leftAt,
      leftBecause: s.leftBecause,
      handoff: s.handoff ?? (i === t.steps.length - 1 ? outcome(ev, `handoff@${t.step}`) : null),
    })),
  };
}
