import { Inject, Injectable } from '@nestjs/common';
import {
  actorRef,
  AddCommentRequest,
  AssignTicketRequest,
  ChangeStatusRequest,
  CommentDto,
  ComplaintDto,
  ErrorCode,
  EscalateTicketRequest,
  Events,
  IssueVoucherRequest,
  ListCommentsRequest,
  MergeTicketRequest,
  Page,
  RegisterComplaintRequest,
  StewardError,
  TicketDto,
  VoucherDto,
} from '@steward/contracts';
import { uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, RunningJob, UNIT_OF_WORK } from '@steward/service-kit';
import { slaStatusOf, statusDefinition } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import { checkTransition, isOpenClass } from '../domain/lifecycle';
import { evaluateSla } from '../domain/ticket-sla';
import { DirectoryService } from '../directory/directory.service';
import { PolicyService } from '../policy/policy.service';
import { RecoveryService } from '../recovery/recovery.service';
import { TeamsService } from '../teams/teams.service';
import { authorize, fieldError } from './access';
import { pending, PendingEvent, subjectOf, TicketEngine } from './ticket-engine.service';
import { toCommentDto } from './ticket.row';
import { applyPolicy, ticketClosed, TicketsService } from './tickets.service';
import { TicketsRepository } from './tickets.repository';

const notAllowed = (message: string, field = 'status', rule = 'transition') => new StewardError(ErrorCode.TicketTransitionNotAllowed, message, { errors: [{ field, rule, message }] });
const REAPPLY_PAGE = 100;

/**
 * Work on a ticket: its lifecycle (custom statuses, pauses, resolution, reopening within
 * the window), assignment, escalation, merging duplicates, comments (agents' answers and
 * customers' replies drive the response clocks), complaints and vouchers; and what the SLA
 * timer and a policy re-application do to it. Every change ends in the engine.
 */
@Injectable()
export class WorkflowService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly engine: TicketEngine,
    private readonly policy: PolicyService,
    private readonly teams: TeamsService,
    private readonly directory: DirectoryService,
    private readonly recovery: RecoveryService,
  ) {}

  changeStatus(ctx: RequestContext, req: ChangeStatusRequest): Promise<TicketDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const nowIso = now.toISOString();
      const t = await this.tickets.requireIn(tx, req.id, true);
      if (t.mergedIntoId) throw ticketClosed(t);
      const { doc } = await this.policy.currentIn(tx);
      const to = statusDefinition(doc, req.status);
      if (!to) throw fieldError('status', 'exists', `is not a status of this tenant (${[...doc.statuses.map((s) => s.key), 'new', 'triaged', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'].join(', ')})`);
      if (to.key === t.status) return this.engine.toDtoIn(tx, t, now);
      const verdict = checkTransition(t.statusClass, to.class, { resolvedAt: t.resolvedAt, now: nowIso, reopenWindowDays: doc.reopenWindowDays });
      if (!verdict.ok) {
        if (verdict.reason === 'reopen-window') throw new StewardError(ErrorCode.ReopenWindowPassed, verdict.message, { errors: [{ field: 'status', rule: 'reopen-window', message: verdict.message }] });
        throw notAllowed(`${t.status} → ${to.key}: ${verdict.message}`);
      }
      const before = structuredClone(t);
      const from = { status: t.status, statusClass: t.statusClass };
      const { ev } = await this.engine.evaluateIn(tx, t, now);
      t.status = to.key;
      t.statusClass = to.class;
      t.isOpen = isOpenClass(to.class);
      t.timeline = { ...t.timeline, statusChanges: [...t.timeline.statusChanges, { at: nowIso, status: slaStatusOf(to) }] };
      const current = t.steps.length - 1;
      const events: PendingEvent[] = [
        pending(Events.support.ticketStatusChanged, (ticket) => ({ ticket, from, to: { status: to.key, statusClass: to.class }, reason: req.reason ?? null, pauseReason: to.pausesSla ? (to.pauseReason ?? to.key) : null })),
      ];
      if (verdict.kind === 'resolve') {
        t.resolvedAt = nowIso;
        const handoff = ev.clocks.find((c) => c.key === `handoff@${t.step}`)?.clock;
        t.steps = t.steps.map((s, i) => (i === current ? { ...s, leftAt: nowIso, leftBecause: 'resolved', handoff: handoff?.breached ? 'breached' : handoff ? 'met' : null } : s));
      } else if (verdict.kind === 'close') {
        t.closedAt = nowIso;
        events.push(pending(Events.support.ticketClosed, (ticket) => ({ ticket })));
      } else if (verdict.kind === 'reopen') {
        t.reopenCount += 1;
        t.resolvedAt = null;
        t.closedAt = null;
        t.steps = t.steps.map((s, i) => (i === current ? { ...s, leftAt: null, leftBecause: null, handoff: null } : s));
        events.push(pending(Events.support.ticketReopened, (ticket) => ({ ticket })));
      }
      await this.repo.addHistory(tx, t.id, { at: nowIso, status: to.key, statusClass: to.class, by: actorRef(ctx.actor), reason: req.reason ?? null });
      const resolvedDoc = await this.policy.versionIn(tx, t.policyVersion);
      if (verdict.kind === 'resolve') {
        // The resolution's own figures come from the clocks as the change leaves them.
        events.push(
          pending(Events.support.ticketResolved, (ticket) => {
            const after = evaluateSla(resolvedDoc, subjectOf(t), nowIso).clocks.find((c) => c.key === 'resolution')?.clock;
            return { ticket, resolutionMinutes: after ? Math.round(after.elapsedMinutes * 1000) / 1000 : null, firstContactResolution: t.agentResponses <= 1 && t.escalations === 0 && t.reopenCount === 0, resolutionSla: after?.state ?? null };
          }),
        );
      }
      const saved = await this.engine.settleIn(tx, t, { now, before, events });
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  assign(ctx: RequestContext, req: AssignTicketRequest): Promise<TicketDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const t = await this.tickets.requireIn(tx, req.id, true);
      if (!t.isOpen) throw ticketClosed(t);
      const before = structuredClone(t);
      let how: 'manual' | 'round-robin' | 'least-loaded' | 'csm' = 'manual';
      if (req.assigneeId === undefined) {
        const a = await this.teams.assignIn(tx, t.queue, t.requiredSkills);
        if (!a.assigneeId) throw fieldError('assigneeId', 'queue-assigns', `the queue ${t.queue} has no team member with the skills and room to take it: name an assignee`);
        t.assigneeId = a.assigneeId;
        how = a.how ?? 'manual';
      } else if (req.assigneeId !== null) {
        const user = await this.directory.userIn(tx, req.assigneeId);
        if (!user) throw fieldError('assigneeId', 'exists', 'is not a user support knows');
        if (!user.active) throw fieldError('assigneeId', 'active', 'is a deactivated user');
        t.assigneeId = user.id;
      } else t.assigneeId = null;
      if (t.assigneeId === before.assigneeId) return this.engine.toDtoIn(tx, t, now);
      const saved = await this.engine.settleIn(tx, t, { now, before, events: [pending(Events.support.ticketAssigned, (ticket) => ({ ticket, previousAssigneeId: before.assigneeId, how }))] });
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  escalate(ctx: RequestContext, req: EscalateTicketRequest): Promise<TicketDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const t = await this.tickets.requireIn(tx, req.id, true);
      if (!t.isOpen) throw ticketClosed(t);
      if (t.step >= t.routing.steps.length - 1) {
        throw new StewardError(ErrorCode.NoNextStep, `Ticket ${t.id} is at the last step of its chain (${t.queue})`, { errors: [{ field: 'id', rule: 'next-step', message: 'is at the last step of its escalation chain' }] });
      }
      const before = structuredClone(t);
      const { ev } = await this.engine.evaluateIn(tx, t, now);
      const events = await this.engine.moveStepIn(tx, t, ev, `manual: ${req.reason}`.slice(0, 200), now);
      const saved = await this.engine.settleIn(tx, t, { now, before, events });
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  /** Closes a duplicate into another open ticket of the same account (an internal note on the one that stays). */
  merge(ctx: RequestContext, req: MergeTicketRequest): Promise<TicketDto> {
    if (req.id === req.intoTicketId) throw fieldError('intoTicketId', 'other-ticket', 'must be another ticket');
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const nowIso = now.toISOString();
      // Lock both in id order: two merges of the same pair cannot deadlock.
      const [first, second] = [req.id, req.intoTicketId].sort();
      await this.tickets.requireIn(tx, first, true);
      await this.tickets.requireIn(tx, second, true);
      const t = await this.tickets.requireIn(tx, req.id);
      const into = await this.tickets.requireIn(tx, req.intoTicketId);
      if (t.mergedIntoId || t.statusClass === 'closed') throw ticketClosed(t);
      if (!into.isOpen) throw fieldError('intoTicketId', 'open', 'is not open');
      if (into.accountId !== t.accountId) throw fieldError('intoTicketId', 'same-account', 'belongs to another account');
      const before = structuredClone(t);
      const from = { status: t.status, statusClass: t.statusClass };
      t.status = 'closed';
      t.statusClass = 'closed';
      t.isOpen = false;
      t.mergedIntoId = into.id;
      t.closedAt = nowIso;
      t.timeline = { ...t.timeline, statusChanges: [...t.timeline.statusChanges, { at: nowIso, status: 'closed' }] };
      t.steps = t.steps.map((s, i) => (i === t.steps.length - 1 && s.leftAt === null ? { ...s, leftAt: nowIso, leftBecause: 'merged' } : s));
      const by = actorRef(ctx.actor);
      await this.repo.addHistory(tx, t.id, { at: nowIso, status: 'closed', statusClass: 'closed', by, reason: `merged into ${into.id}` });
      await this.repo.addComment(tx, { id: uuidv7(), ticketId: into.id, at: nowIso, by: 'agent', visibility: 'internal', body: `Ticket ${t.id} ("${t.subject}") was merged into this one.`, author: by, attachments: [] });
      const saved = await this.engine.settleIn(tx, t, {
        now,
        before,
        events: [
          pending(Events.support.ticketStatusChanged, (ticket) => ({ ticket, from, to: { status: 'closed', statusClass: 'closed' }, reason: `merged into ${into.id}`, pauseReason: null })),
          pending(Events.support.ticketMerged, (ticket) => ({ ticket, intoTicketId: into.id })),
          pending(Events.support.ticketClosed, (ticket) => ({ ticket })),
        ],
      });
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  addComment(ctx: RequestContext, req: AddCommentRequest): Promise<CommentDto> {
    return this.uow.forScope(authorize(ctx, 'raise'), async (tx) => {
      const partner = ctx.actor.kind === 'api-key';
      if (partner && req.visibility === 'internal') throw fieldError('visibility', 'public-only', 'partners write public comments only');
      const by = req.by ?? (partner ? 'customer' : 'agent');
      if (partner && by === 'agent') throw fieldError('by', 'customer-only', 'partners speak for their customers');
      const now = this.clock.now();
      const nowIso = now.toISOString();
      const t = await this.tickets.requireIn(tx, req.ticketId, true);
      if (t.mergedIntoId || t.statusClass === 'closed') throw ticketClosed(t);
      const comment = await this.repo.addComment(tx, { id: uuidv7(), ticketId: t.id, at: nowIso, by, visibility: req.visibility, body: req.body, author: actorRef(ctx.actor), attachments: req.attachments });
      if (req.visibility === 'public') {
        const before = structuredClone(t);
        t.timeline = { ...t.timeline, responses: [...t.timeline.responses, { at: nowIso, by }] };
        if (by === 'agent') {
          t.agentResponses += 1;
          t.firstRespondedAt ??= nowIso;
        }
        await this.engine.settleIn(tx, t, { now, before, events: [] });
      }
      return toCommentDto(comment);
    });
  }

  listComments(ctx: RequestContext, q: ListCommentsRequest): Promise<Page<CommentDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.tickets.requireIn(tx, q.ticketId);
      const { rows, nextCursor } = await this.repo.comments(tx, q);
      return { items: rows.map(toCommentDto), nextCursor };
    });
  }

  /** An agent flags a ticket as a complaint (once; a second time returns the registered one). */
  registerComplaint(ctx: RequestContext, req: RegisterComplaintRequest): Promise<ComplaintDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const t = await this.tickets.requireIn(tx, req.ticketId, true);
      const account = await this.directory.accountIn(tx, t.accountId);
      const { doc } = await this.policy.currentIn(tx);
      const r = await this.recovery.registerIn(tx, { ticketId: t.id, accountId: t.accountId, level: t.level, priority: t.priority, tier: account?.tier ?? null }, 'agent', req.reason, actorRef(ctx.actor), doc.recovery);
      if (!t.complaint) {
        const before = structuredClone(t);
        t.complaint = true;
        await this.engine.settleIn(tx, t, { now, before, events: [] });
      }
      return r.complaint;
    });
  }

  /** A voucher by hand: the account, and the ticket or complaint it answers, must be the tenant's and agree. */
  issueVoucher(ctx: RequestContext, req: IssueVoucherRequest): Promise<VoucherDto> {
    return this.uow.forScope(authorize(ctx, 'manage'), async (tx) => {
      const account = await this.directory.accountIn(tx, req.accountId);
      if (!account) throw DirectoryService.unknownAccount();
      if (req.ticketId) {
        const t = await this.repo.find(tx, req.ticketId);
        if (!t) throw fieldError('ticketId', 'exists', 'is not a ticket of this tenant');
        if (t.accountId !== req.accountId) throw fieldError('ticketId', 'same-account', 'is a ticket of another account');
      }
      if (req.complaintId) {
        const c = await this.recovery.complaintIn(tx, req.complaintId);
        if (!c) throw fieldError('complaintId', 'exists', 'is not a complaint of this tenant');
        if (c.accountId !== req.accountId) throw fieldError('complaintId', 'same-account', 'is a complaint of another account');
      }
      return this.recovery.issueIn(tx, req, actorRef(ctx.actor));
    });
  }

  /**
   * The SLA timer: recomputes the ticket's clocks at the time it was due, which reports the
   * warnings and breaches reached (once), escalates on a breach, and re-arms the timer. A
   * ticket locked by a change right now is skipped: that change settles it and re-arms.
   */
  async onTimer(job: RunningJob<{ ticketId: string }>): Promise<void> {
    await job.step(async (tx) => {
      const t = await this.repo.lockIfFree(tx, job.payload.ticketId);
      if (t === null || t === 'busy') return;
      await this.engine.settleIn(tx, t, { now: this.clock.now(), before: structuredClone(t), events: [] });
    });
  }

  /** Re-applies a policy version to open tickets, a page per step (a ticket already on it is skipped). */
  async reapply(job: RunningJob<{ version: number }>): Promise<void> {
    let done = job.progress?.done ?? 0;
    let after: string | null = null;
    for (;;) {
      const page = await job.step(
        async (tx) => {
          const ids = await this.repo.openIds(tx, after, REAPPLY_PAGE);
          const now = this.clock.now();
          for (const id of ids) {
            const t = await this.repo.find(tx, id, true);
            if (!t || !t.isOpen || t.policyVersion >= job.payload.version) continue;
            const before = structuredClone(t);
            t.policyVersion = job.payload.version;
            await this.engine.settleIn(tx, t, { now, before, events: [], feed: [applyPolicy(t, now.toISOString(), 'policy re-applied')] });
          }
          return ids;
        },
        (ids) => ({ done: (done += ids.length), total: null }),
      );
      if (page.length < REAPPLY_PAGE) return;
      after = page[page.length - 1];
    }
  }
}
