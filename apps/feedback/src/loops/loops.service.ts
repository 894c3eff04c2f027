import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, Events, ListLoopsRequest, LoopDto, Page, StewardError, UpdateLoopRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, JOBS, type JobQueue, OUTBOX, requireRole, type RunningJob, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { LoopsRepository, NewLoop } from './loops.repository';
import { OpenSupportCaseJob } from './loops.jobs';
import { SUPPORT_CASES, type SupportCasePort } from './support-cases.port';

const LOOP_WRITERS = ['admin', 'manager', 'csm'] as const;
const ORDER = ['open', 'contacted', 'resolved', 'closed'] as const;

/** A response that opens a follow-up, with why. */
export interface LoopCandidate extends Omit<NewLoop, 'id' | 'openedAt'> {
  score: number | null;
  comment: string | null;
}

/**
 * The closed loop: a detractor, a low CSAT or a complaint in a comment opens a follow-up
 * (owned by the account's CSM) and a complaint case in support; the follow-up moves open →
 * contacted → resolved → closed (with an outcome), by hand or when support resolves and
 * closes its case; time to close and per-CSM and per-team metrics.
 */
@Injectable()
export class LoopsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(SUPPORT_CASES) private readonly support: SupportCasePort,
    private readonly repo: LoopsRepository,
  ) {}

  /** Opens follow-ups inside the caller's transaction (one per response) and schedules their support cases. */
  async openIn(tx: Tx, ctx: RequestContext, candidates: LoopCandidate[]): Promise<LoopDto[]> {
    if (candidates.length === 0) return [];
    const now = this.clock.now();
    const loops = await this.repo.insertMany(tx, candidates.map((c) => ({ ...c, id: uuidv7(), openedAt: now })));
    for (const loop of loops) {
      await this.outbox.emit(tx, Events.feedback.loopOpened, { loop }, ctx);
      await this.jobs.enqueue(tx, OpenSupportCaseJob, { loopId: loop.id }, { id: loop.id });
    }
    return loops;
  }

  list(ctx: RequestContext, q: ListLoopsRequest): Promise<Page<LoopDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  update(ctx: RequestContext, req: UpdateLoopRequest): Promise<LoopDto> {
    requireRole(ctx, LOOP_WRITERS);
    if (req.status === 'closed' && !req.outcome) throw StewardError.validation([{ field: 'outcome', rule: 'required', message: 'is required to close a follow-up' }]);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const loop = await this.repo.find(tx, req.id, true);
      if (!loop) throw StewardError.notFound('follow-up', req.id);
      if (ORDER.indexOf(req.status) < ORDER.indexOf(loop.status)) {
        throw new StewardError(ErrorCode.Conflict, `The follow-up is already ${loop.status}`, { errors: [{ field: 'status', rule: 'forward-only', message: `cannot go from ${loop.status} back to ${req.status}` }] });
      }
      return this.moveIn(tx, ctx, loop, req.status, req.outcome ?? null, req.note ?? null);
    });
  }

  metrics(ctx: RequestContext, by: 'csm' | 'team') {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => ({ by, groups: await this.repo.metrics(tx, by) }));
  }

  /**
   * Support moved the case a follow-up opened (found by the ticket's origin, else its id):
   * resolved resolves the follow-up, closed closes it, with the outcome the CSM recorded or
   * `recovered` (the case was handled to its end).
   */
  async caseMovedIn(tx: Tx, ctx: RequestContext, ticket: { ticketId: string; responseId: string | null }, to: 'resolved' | 'closed'): Promise<void> {
    const loop = (ticket.responseId ? await this.repo.findByResponse(tx, ticket.responseId) : null) ?? (await this.repo.findByTicket(tx, ticket.ticketId));
    if (!loop || ORDER.indexOf(loop.status) >= ORDER.indexOf(to)) return;
    if (!loop.supportTicketId) await this.repo.setTicket(tx, loop.id, ticket.ticketId);
    await this.moveIn(tx, ctx, loop, to, to === 'closed' ? (loop.outcome ?? 'recovered') : null, null);
  }

  /** The job behind a new follow-up: opens its support case (retried, with backoff, while support is unavailable). */
  async openCase(job: RunningJob<{ loopId: string }>): Promise<void> {
    const loop = await job.step((tx) => this.repo.find(tx, job.payload.loopId));
    if (!loop || loop.supportTicketId || loop.status === 'closed') return;
    // A follow-up without an account (an answer nobody could place) has no case to open in support.
    if (!loop.accountId) return;
    const ctx: RequestContext = { tenantId: job.tenantId, actor: { kind: 'system', id: 'feedback' }, correlationId: loop.id };
    const reasons = loop.reasons.join(', ');
    const { ticketId } = await this.support.openCase(ctx, {
      responseId: loop.responseId,
      accountId: loop.accountId,
      contactId: loop.contactId,
      subject: `Customer feedback follow-up (${reasons})`,
      description: `A survey response (${loop.responseId}) needs a follow-up: ${reasons}.`,
    });
    await job.step((tx) => this.repo.setTicket(tx, loop.id, ticketId));
  }

  private async moveIn(tx: Tx, ctx: RequestContext, loop: LoopDto, status: LoopDto['status'], outcome: LoopDto['outcome'], note: string | null): Promise<LoopDto> {
    if (loop.status === status && outcome === null && note === null) return loop;
    const moved = await this.repo.move(tx, loop.id, { status, outcome, note, at: this.clock.now() });
    if (status === 'closed' && loop.status !== 'closed') await this.outbox.emit(tx, Events.feedback.loopClosed, { loop: moved }, ctx);
    return moved;
  }
}
