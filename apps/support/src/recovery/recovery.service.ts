import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ComplaintDto, ErrorCode, Events, IssueVoucherRequest, ListComplaintsRequest, ListVouchersRequest, Page, RedeemVoucherRequest, ResolveComplaintRequest, StewardError, Uuid, VoucherDto } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { idCursor, toPage, Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, defineJob, JOBS, JobQueue, OUTBOX, requireRole, RunningJob, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RecoveryRule } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import { matchingRecoveryRules } from '../domain/assignment';
import { RecoveryRepository } from './recovery.repository';

/** Expires one voucher at its expiry. WARNING: stored kind. */
export const ExpireVoucherJob = defineJob('support.voucher-expire', z.object({ voucherId: Uuid }), { maxAttempts: 10 });

const RECOVERY_USERS = ['admin', 'manager', 'csm'] as const;
const READERS = ['admin', 'manager', 'csm', 'agent', 'viewer'] as const;
const DAY_MS = 86_400_000;

/** What recovery needs to know of the ticket a complaint or breach is about. */
export interface RecoveryTicket {
  ticketId: string;
  accountId: string;
  level: string;
  priority: string;
  tier: number | null;
}

/**
 * Complaints and service recovery (DOMAIN.md §2, §5): the complaint register (category
 * complaint, or flagged by an agent), vouchers issued by the policy's recovery rules on a
 * breach or a complaint or by hand, redeemed later against an order, expired by a durable
 * job at their expiry: what the value platform needs for voucher ROI and the complaint rate.
 */
@Injectable()
export class RecoveryService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: RecoveryRepository,
  ) {}

  /** Registers the ticket's complaint (once) and applies the policy's complaint rules; in the caller's transaction. */
  async registerIn(tx: Tx, t: RecoveryTicket, source: ComplaintDto['source'], reason: string, by: string, rules: readonly RecoveryRule[]): Promise<{ complaint: ComplaintDto; created: boolean }> {
    const r = await this.repo.insertComplaint(tx, { id: uuidv7(), ticketId: t.ticketId, accountId: t.accountId, source, reason, level: t.level, tier: t.tier, at: this.clock.now(), by });
    if (!r.created) return r;
    await this.outbox.emit(tx, Events.support.complaintRegistered, { complaint: r.complaint, tier: t.tier, level: t.level });
    for (const rule of matchingRecoveryRules(rules, { on: 'complaint', level: t.level, tier: t.tier, priority: t.priority })) {
      await this.issueByRuleIn(tx, t, rule, r.complaint.id, `complaint: ${reason}`.slice(0, 500));
    }
    return r;
  }

  /** A clock of the ticket was breached: issues what the policy's breach rules give (each rule once per ticket). */
  async onBreachIn(tx: Tx, t: RecoveryTicket, clock: string, rules: readonly RecoveryRule[]): Promise<void> {
    for (const rule of matchingRecoveryRules(rules, { on: 'breach', level: t.level, tier: t.tier, priority: t.priority, clock })) {
      await this.issueByRuleIn(tx, t, rule, null, `SLA breach (${clock})`);
    }
  }

  /** Issues a voucher by hand for an account (the caller checked the account, ticket and complaint). */
  async issueIn(tx: Tx, req: IssueVoucherRequest, by: string): Promise<VoucherDto> {
    const now = this.clock.now();
    const expiresAt = new Date(req.expiresAt);
    if (expiresAt <= now) throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    const voucher = (await this.repo.insertVoucher(tx, {
      id: uuidv7(),
      accountId: req.accountId,
      ticketId: req.ticketId ?? null,
      complaintId: req.complaintId ?? null,
      kind: req.kind,
      faceValue: req.faceValue,
      currency: req.currency,
      reason: req.reason,
      ruleId: null,
      at: now,
      by,
      expiresAt,
    }))!;
    await this.issued(tx, voucher);
    return voucher;
  }

  /** The complaint of a ticket, if registered (for the caller's checks). */
  complaintIn(tx: Tx, id: string): Promise<ComplaintDto | null> {
    return this.repo.complaint(tx, id);
  }

  resolveComplaint(ctx: RequestContext, req: ResolveComplaintRequest): Promise<ComplaintDto> {
    requireRole(ctx, ['admin', 'manager', 'csm', 'agent']);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const c = await this.repo.complaint(tx, req.id, true);
      if (!c) throw StewardError.notFound('complaint', req.id);
      if (c.status === 'resolved') {
        if (c.outcome === req.outcome) return c;
        throw new StewardError(ErrorCode.Conflict, `Complaint ${req.id} was already resolved as ${c.outcome}`, { errors: [{ field: 'outcome', rule: 'unchanged', message: `is already ${c.outcome}` }] });
      }
      const complaint = await this.repo.resolveComplaint(tx, req.id, req.outcome, this.clock.now());
      await this.outbox.emit(tx, Events.support.complaintResolved, { complaint, ...(await this.repo.complaintFacts(tx, req.id)) });
      return complaint;
    });
  }

  listComplaints(ctx: RequestContext, q: ListComplaintsRequest): Promise<Page<ComplaintDto>> {
    requireRole(ctx, READERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => toPage(await this.repo.listComplaints(tx, q), q.limit, (c) => c, (c) => idCursor.encode(c.id)));
  }

  getVoucher(ctx: RequestContext, id: string): Promise<VoucherDto> {
    requireRole(ctx, READERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const v = await this.repo.voucher(tx, id);
      if (!v) throw StewardError.notFound('voucher', id);
      return v;
    });
  }

  listVouchers(ctx: RequestContext, q: ListVouchersRequest): Promise<Page<VoucherDto>> {
    requireRole(ctx, READERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => toPage(await this.repo.listVouchers(tx, q), q.limit, (v) => v, (v) => idCursor.encode(v.id)));
  }

  /** Redeems an issued, unexpired voucher against an order (its value is the spend the value platform weighs against the voucher). */
  redeem(ctx: RequestContext, req: RedeemVoucherRequest): Promise<VoucherDto> {
    requireRole(ctx, RECOVERY_USERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const v = await this.repo.voucher(tx, req.id, true);
      if (!v) throw StewardError.notFound('voucher', req.id);
      const now = this.clock.now();
      if (v.status === 'redeemed') throw notRedeemable(`Voucher ${req.id} was already redeemed (order ${v.redemption?.orderRef ?? '?'})`, 'redeemed');
      if (v.status === 'expired' || new Date(v.expiresAt) <= now) throw notRedeemable(`Voucher ${req.id} expired at ${v.expiresAt}`, 'expired');
      if (req.currency !== v.currency) throw StewardError.validation([{ field: 'currency', rule: 'matches-voucher', message: `must be the voucher's currency ${v.currency}` }]);
      const voucher = await this.repo.redeem(tx, req.id, { at: now, orderRef: req.orderRef, orderAmount: req.orderAmount, currency: req.currency });
      await this.outbox.emit(tx, Events.support.voucherRedeemed, { voucher });
      return voucher;
    });
  }

  /**
   * The expiry job: an issued voucher past its expiry becomes expired (a redeemed one stays
   * redeemed). A job can start a little before the expiry by the service's clock (its start
   * is counted on the database's clock, which may differ from the service's); it then waits
   * again for the time left, so a voucher never outlives its expiry because its job came early.
   */
  async expire(job: RunningJob<{ voucherId: string }>): Promise<void> {
    await job.step(async (tx) => {
      const now = this.clock.now();
      const voucher = await this.repo.expire(tx, job.payload.voucherId, now);
      if (voucher) return this.outbox.emit(tx, Events.support.voucherExpired, { voucher });
      const current = await this.repo.voucher(tx, job.payload.voucherId);
      if (current?.status === 'issued') await this.scheduleExpiry(tx, current);
    });
  }

  private async issueByRuleIn(tx: Tx, t: RecoveryTicket, rule: RecoveryRule, complaintId: string | null, reason: string): Promise<void> {
    const now = this.clock.now();
    const voucher = await this.repo.insertVoucher(tx, {
      id: uuidv7(),
      accountId: t.accountId,
      ticketId: t.ticketId,
      complaintId,
      kind: rule.voucher.kind,
      faceValue: rule.voucher.faceValue,
      currency: rule.voucher.currency,
      reason,
      ruleId: rule.id,
      at: now,
      by: `rule:${rule.id}`,
      expiresAt: new Date(now.getTime() + rule.voucher.validDays * DAY_MS),
    });
    if (voucher) await this.issued(tx, voucher);
  }

  private async issued(tx: Tx, voucher: VoucherDto): Promise<void> {
    await this.outbox.emit(tx, Events.support.voucherIssued, { voucher });
    await this.scheduleExpiry(tx, voucher, voucher.id);
  }

  /** The first expiry job takes the voucher's id (one per voucher); a job that came early re-arms under a new id. */
  private async scheduleExpiry(tx: Tx, voucher: VoucherDto, id?: string): Promise<void> {
    await this.jobs.enqueue(tx, ExpireVoucherJob, { voucherId: voucher.id }, { id, delayMs: Math.max(0, Date.parse(voucher.expiresAt) - this.clock.now().getTime()) });
  }
}

const notRedeemable = (message: string, rule: string) => new StewardError(ErrorCode.VoucherNotRedeemable, message, { errors: [{ field: 'id', rule, message }] });
