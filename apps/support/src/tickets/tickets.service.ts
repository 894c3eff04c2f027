import { Inject, Injectable } from '@nestjs/common';
import {
  actorRef,
  CreateTicketRequest,
  ErrorCode,
  Events,
  ListTicketsRequest,
  Page,
  PreviewRoutingRequest,
  RoutingDto,
  StewardError,
  TicketDto,
  TicketTimelineDto,
  UpdateTicketRequest,
} from '@steward/contracts';
import { Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import { calendarNameFor, type SupportPolicyDocument, type TicketCategory } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import type { FeedEntry } from '../domain/sla-feed';
import { routeFor, type RoutedTicket } from '../domain/ticket-routing';
import type { TargetOverrides } from '../domain/ticket-sla';
import { DirectoryService } from '../directory/directory.service';
import type { KnownAccount } from '../directory/directory.types';
import { PolicyService } from '../policy/policy.service';
import { RecoveryService } from '../recovery/recovery.service';
import { TeamsService, type Assignment } from '../teams/teams.service';
import { authorize, fieldError } from './access';
import { pending, PendingEvent, TicketEngine } from './ticket-engine.service';
import { routingDto, TicketRow } from './ticket.row';
import { TicketsRepository } from './tickets.repository';

/** Everything a new ticket needs besides the request: checked references, routing, policy. */
export interface TicketContext {
  account: KnownAccount;
  projectId: string | null;
  routed: RoutedTicket;
  policyVersion: number;
  doc: SupportPolicyDocument;
  overrides: TargetOverrides;
}

export const ticketClosed = (t: TicketRow) =>
  new StewardError(ErrorCode.TicketClosed, t.mergedIntoId ? `Ticket ${t.id} was merged into ${t.mergedIntoId}` : `Ticket ${t.id} is closed: reopen it first`, {
    errors: [{ field: 'id', rule: 'open', message: t.mergedIntoId ? 'is a merged duplicate' : 'is closed' }],
  });

/**
 * Tickets (DOMAIN.md §2): opened from the portal, the partner API (their accounts only) and
 * other services; routed on creation to a level, step and queue by the policy (the rule that
 * decided is kept and shown); read with their SLA clocks computed live.
 */
@Injectable()
export class TicketsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TicketsRepository,
    private readonly engine: TicketEngine,
    private readonly directory: DirectoryService,
    private readonly policy: PolicyService,
    private readonly teams: TeamsService,
    private readonly recovery: RecoveryService,
  ) {}

  create(ctx: RequestContext, req: CreateTicketRequest): Promise<TicketDto> {
    const scope = authorize(ctx, 'raise');
    if (req.followUp && ctx.actor.kind === 'api-key') throw fieldError('followUp', 'not-for-partners', 'follow-up cases are opened by users and services');
    return this.uow.forScope(scope, async (tx) => {
      const now = this.clock.now();
      if (req.origin) {
        const existing = await this.repo.byOrigin(tx, req.origin.kind, req.origin.ref);
        if (existing) return this.engine.toDtoIn(tx, existing, now);
      }
      const c = await this.contextIn(tx, req.accountId, req.projectId ?? null, req.category);
      const channel = req.channel ?? (ctx.actor.kind === 'api-key' ? 'partner-api' : ctx.actor.kind === 'system' ? 'system' : 'portal');
      const assignment = req.followUp ? await this.csmOf(tx, c.account) : await this.teams.assignIn(tx, c.routed.steps[0], req.requiredSkills ?? []);
      const t = this.newTicket(c, assignment, now, {
        ...req,
        channel,
        externalId: null,
        originKind: req.origin?.kind ?? null,
        originRef: req.origin?.ref ?? null,
        followUp: req.followUp ?? false,
        imported: false,
      });
      const by = actorRef(ctx.actor);
      const events: PendingEvent[] = [
        pending(Events.support.ticketCreated, (ticket) => ({ ticket })),
        pending(Events.support.ticketRouted, (ticket) => ({ ticket, routing: routingDto(t.routing) })),
      ];
      if (t.assigneeId) events.push(pending(Events.support.ticketAssigned, (ticket) => ({ ticket, previousAssigneeId: null, how: assignment.how ?? 'manual' })));
      if (req.category === 'complaint') t.complaint = true;
      // settleIn inserts the ticket: what hangs off it comes after (a partner's row-level
      // security admits a history row only for a ticket it can already see).
      const saved = await this.engine.settleIn(tx, t, { now, before: null, events, feed: [applyPolicy(t, now.toISOString())] });
      await this.repo.addHistory(tx, t.id, { at: t.createdAt, status: 'new', statusClass: 'new', by, reason: null });
      if (req.category === 'complaint') {
        await this.recovery.registerIn(tx, { ticketId: t.id, accountId: t.accountId, level: t.level, priority: t.priority, tier: c.account.tier }, 'category', req.subject, by, c.doc.recovery);
      }
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  get(ctx: RequestContext, id: string): Promise<TicketDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => this.engine.toDtoIn(tx, await this.requireIn(tx, id), this.clock.now()));
  }

  list(ctx: RequestContext, q: ListTicketsRequest): Promise<Page<TicketDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const { rows, nextCursor } = await this.repo.list(tx, q);
      const now = this.clock.now();
      const items: TicketDto[] = [];
      for (const r of rows) items.push(await this.engine.toDtoIn(tx, r, now));
      return { items, nextCursor };
    });
  }

  /** Subject, description, contact, custom fields, skills, and the priority (its targets move; the time already used stays). */
  update(ctx: RequestContext, req: UpdateTicketRequest): Promise<TicketDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const t = await this.requireIn(tx, req.id, true);
      if (t.mergedIntoId || t.statusClass === 'closed') throw ticketClosed(t);
      if (req.expectedVersion !== undefined && req.expectedVersion !== t.version) {
        throw new StewardError(ErrorCode.StaleVersion, `Ticket ${t.id} changed since version ${req.expectedVersion}: read it again`, {
          errors: [{ field: 'expectedVersion', rule: 'current-version', message: `is ${req.expectedVersion}, the ticket is at version ${t.version}` }],
        });
      }
      const before = structuredClone(t);
      if (req.subject !== undefined) t.subject = req.subject;
      if (req.description !== undefined) t.description = req.description;
      if (req.contact !== undefined) t.contact = req.contact;
      if (req.customFields !== undefined) t.customFields = req.customFields;
      if (req.requiredSkills !== undefined) t.requiredSkills = req.requiredSkills;
      const events: PendingEvent[] = [];
      const feed: FeedEntry[] = [];
      if (req.priority !== undefined && req.priority !== t.priority) {
        const from = t.priority;
        t.priority = req.priority;
        events.push(pending(Events.support.ticketPriorityChanged, (ticket) => ({ ticket, from, to: req.priority! })));
        feed.push(applyPolicy(t, now.toISOString(), `priority ${from} → ${t.priority}`));
      }
      const saved = await this.engine.settleIn(tx, t, { now, before, events, feed });
      return this.engine.toDtoIn(tx, saved, now);
    });
  }

  timeline(ctx: RequestContext, id: string): Promise<TicketTimelineDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.requireIn(tx, id);
      const history = await this.repo.history(tx, id);
      const events = await this.repo.slaEvents(tx, id);
      return {
        ticketId: id,
        statusChanges: history.map((h) => ({ ...h, at: new Date(h.at).toISOString(), statusClass: h.statusClass as TicketDto['statusClass'] })),
        slaEvents: events.map((e) => ({
          seq: Number(e.seq),
          at: new Date(e.at).toISOString(),
          recordedAt: new Date(e.recordedAt).toISOString(),
          kind: e.kind as TicketTimelineDto['slaEvents'][number]['kind'],
          clock: e.clock,
          details: e.details,
        })),
      };
    });
  }

  /** Where a ticket on this account and project would go now, and why (nothing is written). */
  previewRouting(ctx: RequestContext, req: PreviewRoutingRequest): Promise<RoutingDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const c = await this.contextIn(tx, req.accountId, req.projectId ?? null, req.category);
      return routingDto(this.routing(c, this.clock.now().toISOString()));
    });
  }

  /** The ticket in the caller's scope (404 for one it may not see), optionally locked. */
  async requireIn(tx: Tx, id: string, lock = false): Promise<TicketRow> {
    const t = await this.repo.find(tx, id, lock);
    if (!t) throw StewardError.notFound('ticket', id);
    return t;
  }

  /** Checks the account and project and routes: what creation and import share. */
  async contextIn(tx: Tx, accountId: string, projectId: string | null, category: TicketCategory, field = ''): Promise<TicketContext> {
    const account = await this.directory.accountIn(tx, accountId);
    if (!account) throw DirectoryService.unknownAccount(`${field}accountId`);
    if (account.deleted) throw fieldError(`${field}accountId`, 'live', 'is a deleted account: restore it first');
    let project = null;
    if (projectId) {
      project = await this.directory.projectIn(tx, projectId);
      if (!project || project.deleted) throw fieldError(`${field}projectId`, 'exists', 'is not a project support knows');
      if (project.accountId !== accountId) throw fieldError(`${field}projectId`, 'same-account', 'is a project of another account');
    }
    const entitlement = await this.directory.entitlementIn(tx, accountId, projectId);
    const { version, doc } = await this.policy.currentIn(tx);
    const routed = routeFor(doc, account, project, entitlement?.supportLevel ?? null, category);
    return { account, projectId, routed, policyVersion: version, doc, overrides: (entitlement?.slaTargets ?? {}) as TargetOverrides };
  }

  routing(c: TicketContext, at: string): TicketRow['routing'] {
    const r = c.routed;
    return { level: r.level, ruleId: r.ruleId, explanation: r.explanation, steps: r.steps, templates: r.templates, policyVersion: c.policyVersion, decidedAt: at, facts: r.facts };
  }

  /** A new ticket's row (status new at `now`, step 0), before the engine settles it. */
  newTicket(
    c: TicketContext,
    a: Assignment,
    now: Date,
    r: Pick<CreateTicketRequest, 'accountId' | 'contact' | 'category' | 'priority' | 'subject' | 'description' | 'customFields' | 'requiredSkills'> & {
      channel: TicketRow['channel'];
      externalId: string | null;
      originKind: string | null;
      originRef: string | null;
      followUp: boolean;
      imported: boolean;
    },
  ): TicketRow {
    const at = now.toISOString();
    const team = a.teamId;
    return {
      id: uuidv7(),
      externalId: r.externalId,
      accountId: r.accountId,
      projectId: c.projectId,
      contact: r.contact ?? null,
      category: r.category,
      priority: r.priority,
      channel: r.channel,
      subject: r.subject,
      description: r.description,
      customFields: r.customFields ?? {},
      requiredSkills: r.requiredSkills ?? [],
      status: 'new',
      statusClass: 'new',
      isOpen: true,
      level: c.routed.level,
      step: 0,
      queue: c.routed.steps[0],
      teamId: team,
      assigneeId: a.assigneeId,
      routing: this.routing(c, at),
      steps: [{ step: 0, queue: c.routed.steps[0], teamId: team, enteredAt: at, leftAt: null, leftBecause: null, handoff: null }],
      originKind: r.originKind,
      originRef: r.originRef,
      followUp: r.followUp,
      complaint: false,
      mergedIntoId: null,
      reopenCount: 0,
      escalations: 0,
      agentResponses: 0,
      imported: r.imported,
      policyVersion: c.policyVersion,
      calendar: calendarNameFor(c.doc, c.routed.level, c.routed.region, a.teamCalendar),
      timeline: { statusChanges: [{ at, status: 'new' }], responses: [] },
      sla: { states: {}, overrides: c.overrides },
      slaMarks: {},
      slaBreached: false,
      nextCheckAt: null,
      timerJobId: null,
      rollup: [],
      createdAt: at,
      updatedAt: at,
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
      version: 1,
    };
  }

  /** A closed-loop follow-up case is owned by the account's CSM (when support knows one who is active). */
  private async csmOf(tx: Tx, account: KnownAccount): Promise<Assignment> {
    const csm = account.csmId ? await this.directory.userIn(tx, account.csmId) : null;
    return { teamId: null, teamCalendar: null, assigneeId: csm?.active ? csm.id : null, how: csm?.active ? 'csm' : null };
  }
}

/** The metric-event feed's `apply-policy` entry: the version and targets a ticket runs under. */
export function applyPolicy(t: TicketRow, at: string, why = 'created'): FeedEntry {
  return { kind: 'apply-policy' as const, clock: null, at, details: { why, policyVersion: t.policyVersion, level: t.level, priority: t.priority, calendar: t.calendar } };
}
