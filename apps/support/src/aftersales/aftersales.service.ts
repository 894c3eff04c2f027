import { Inject, Injectable } from '@nestjs/common';
import { actorRef, AddVisitRequest, CreateRmaRequest, ErrorCode, Events, ListRmaRequest, Page, RmaOrderDto, StewardError, TransitionRmaRequest, UpdateRmaPartsRequest, UpdateVisitRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { idCursor, toPage, Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import { addBusinessMinutes } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import { isFinalRma, RMA_MOVES } from '../domain/lifecycle';
import { calendarOf } from '../domain/ticket-sla';
import { DirectoryService } from '../directory/directory.service';
import { PolicyService } from '../policy/policy.service';
import { authorize, fieldError } from '../tickets/access';
import { TicketsService } from '../tickets/tickets.service';
import { AftersalesRepository, RmaRow } from './aftersales.repository';

const finished = (r: RmaRow) =>
  new StewardError(ErrorCode.RmaTransitionNotAllowed, `After-sales order ${r.id} is ${r.status}: it changes no more`, { errors: [{ field: 'id', rule: 'open', message: `is ${r.status}` }] });

/**
 * After-sales orders (RMA, DOMAIN.md §2 Level 3): installation, repair and return orders
 * raised from a ticket, with their states, field-service visits, parts, and their own
 * target (the policy's after-sales target of the kind, in business minutes of the ticket's
 * calendar): an order not completed by its due time is breached.
 */
@Injectable()
export class AftersalesService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: AftersalesRepository,
    private readonly tickets: TicketsService,
    private readonly policy: PolicyService,
    private readonly directory: DirectoryService,
  ) {}

  create(ctx: RequestContext, req: CreateRmaRequest): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const now = this.clock.now();
      const t = await this.tickets.requireIn(tx, req.ticketId).catch((err: unknown) => {
        throw err instanceof StewardError && err.code === ErrorCode.NotFound ? fieldError('ticketId', 'exists', 'is not a ticket of this tenant') : err;
      });
      if (t.mergedIntoId) throw fieldError('ticketId', 'not-merged', 'is a merged duplicate: raise the order on the ticket it was merged into');
      const doc = await this.policy.versionIn(tx, t.policyVersion);
      const target = doc.aftersales.targets[req.kind];
      const dueAt = addBusinessMinutes(calendarOf(doc, t.calendar), now.toISOString(), target);
      const row = await this.repo.insert(tx, {
        id: uuidv7(),
        ticketId: t.id,
        accountId: t.accountId,
        kind: req.kind,
        status: 'requested',
        notes: req.notes ?? null,
        parts: req.parts.map((p) => ({ ...p })),
        visits: [],
        history: [{ at: now.toISOString(), from: null, to: 'requested', by: actorRef(ctx.actor), reason: null }],
        targetMinutes: target,
        calendar: t.calendar,
        dueAt: new Date(dueAt),
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        version: 1,
      });
      return this.changed(tx, row, null, 'raised');
    });
  }

  get(ctx: RequestContext, id: string): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => this.toDto(await this.require(tx, id)));
  }

  list(ctx: RequestContext, q: ListRmaRequest): Promise<Page<RmaOrderDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => toPage(await this.repo.list(tx, q), q.limit, (r) => this.toDto(r), (r) => idCursor.encode(r.id)));
  }

  transition(ctx: RequestContext, req: TransitionRmaRequest): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const r = await this.require(tx, req.id, true);
      if (r.status === req.to) return this.toDto(r);
      if (!(RMA_MOVES[r.status] ?? []).includes(req.to)) {
        const allowed = RMA_MOVES[r.status] ?? [];
        throw new StewardError(ErrorCode.RmaTransitionNotAllowed, `${r.status} → ${req.to} is not allowed`, {
          errors: [{ field: 'to', rule: 'transition', message: allowed.length ? `a ${r.status} order moves to ${allowed.join(', ')}` : `a ${r.status} order changes no more` }],
        });
      }
      const now = this.clock.now();
      const from = r.status;
      r.status = req.to;
      r.history = [...r.history, { at: now.toISOString(), from: from as RmaRow['status'], to: req.to, by: actorRef(ctx.actor), reason: req.reason ?? null }];
      r.updatedAt = now;
      if (req.to === 'completed') r.completedAt = now;
      return this.changed(tx, await this.repo.save(tx, r), from, `status ${from} → ${req.to}`);
    });
  }

  parts(ctx: RequestContext, req: UpdateRmaPartsRequest): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const r = await this.require(tx, req.id, true);
      if (isFinalRma(r.status)) throw finished(r);
      r.parts = req.parts.map((p) => ({ ...p }));
      r.updatedAt = this.clock.now();
      return this.changed(tx, await this.repo.save(tx, r), r.status, 'parts');
    });
  }

  addVisit(ctx: RequestContext, req: AddVisitRequest): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const r = await this.require(tx, req.rmaId, true);
      if (isFinalRma(r.status)) throw finished(r);
      if (req.technicianId && !(await this.directory.userIn(tx, req.technicianId))) throw fieldError('technicianId', 'exists', 'is not a user support knows');
      if (r.visits.length >= 50) throw fieldError('rmaId', 'max-visits', 'has 50 visits already');
      r.visits = [...r.visits, { id: uuidv7(), scheduledFor: new Date(req.scheduledFor).toISOString(), technicianId: req.technicianId ?? null, status: 'scheduled', notes: req.notes ?? null, completedAt: null }];
      r.updatedAt = this.clock.now();
      return this.changed(tx, await this.repo.save(tx, r), r.status, 'visit scheduled');
    });
  }

  updateVisit(ctx: RequestContext, req: UpdateVisitRequest): Promise<RmaOrderDto> {
    return this.uow.forScope(authorize(ctx, 'work'), async (tx) => {
      const r = await this.require(tx, req.rmaId, true);
      const visit = r.visits.find((v) => v.id === req.visitId);
      if (!visit) throw fieldError('visitId', 'exists', 'is not a visit of this order');
      if (visit.status !== 'scheduled') throw fieldError('visitId', 'scheduled', `is ${visit.status} already`);
      const now = this.clock.now();
      r.visits = r.visits.map((v) => (v.id === req.visitId ? { ...v, status: req.status, notes: req.notes ?? v.notes, completedAt: req.status === 'completed' ? now.toISOString() : null } : v));
      r.updatedAt = now;
      return this.changed(tx, await this.repo.save(tx, r), r.status, `visit ${req.status}`);
    });
  }

  private async require(tx: Tx, id: string, lock = false): Promise<RmaRow> {
    const r = await this.repo.find(tx, id, lock);
    if (!r) throw StewardError.notFound('after-sales order', id);
    return r;
  }

  private async changed(tx: Tx, r: RmaRow, from: string | null, change: string): Promise<RmaOrderDto> {
    const dto = this.toDto(r);
    const { history: _h, visits: _v, ...order } = dto;
    await this.outbox.emit(tx, Events.support.rmaChanged, { order, from: from as RmaOrderDto['status'] | null, change });
    return dto;
  }

  private toDto(r: RmaRow): RmaOrderDto {
    const due = new Date(r.dueAt);
    const end = r.completedAt ? new Date(r.completedAt) : this.clock.now();
    return {
      id: r.id,
      ticketId: r.ticketId,
      accountId: r.accountId,
      kind: r.kind,
      status: r.status,
      notes: r.notes,
      parts: r.parts,
      visits: r.visits,
      targetMinutes: Number(r.targetMinutes),
      dueAt: due.toISOString(),
      breached: r.status !== 'cancelled' && r.status !== 'rejected' && end > due,
      history: r.history,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
      completedAt: r.completedAt ? new Date(r.completedAt).toISOString() : null,
      version: r.version,
    };
  }
}
