import { Inject, Injectable } from '@nestjs/common';
import { computeTiers, TieringAccount } from '@steward/accounts-domain';
import { AccountDto, AccountTierChangedEvent, actorRef, ErrorCode, Events, RetierResponse, SetTierOverrideRequest, StewardError, TierMovementDto, TierMovementRequest, TierNumber, TieringSummaryDto } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { Tx, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, RunningJob, UNIT_OF_WORK } from '@steward/service-kit';
import { currentContext, logger, RequestContext } from '@steward/telemetry';
import { toAccountDto } from './account.row';
import { AccountsService } from './accounts.service';
import { authorize } from './scope';
import { TierChange, TieringRepository } from './tiering.repository';

/** The last 12 full calendar months (UTC) before `now`: [from, to). */
export function tieringWindow(now: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, 1));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/**
 * Pareto tiering of a tenant's accounts. The rule is the pure `computeTiers`; this
 * service reads the 12-month revenue in one aggregate query and writes back only the
 * accounts whose tier changed, set-based, with a tier-changed event for each.
 */
@Injectable()
export class TieringService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TieringRepository,
    private readonly accounts: AccountsService,
  ) {}

  retierOnDemand(ctx: RequestContext): Promise<RetierResponse> {
    const scope = authorize(ctx, 'tiering');
    return this.retier(ctx, scope.tenantId);
  }

  retier(ctx: RequestContext, tenantId: string): Promise<RetierResponse> {
    return this.uow.forTenant(tenantId, (tx) => this.retierIn(tx, ctx, tenantId));
  }

  /** The debounced re-tiering job after revenue changes: one step, fenced by the job's lease. */
  async retierJob(job: RunningJob<unknown>): Promise<void> {
    const ctx: RequestContext = { tenantId: job.tenantId, actor: { kind: 'system', id: 'tiering' }, correlationId: currentContext()?.correlationId ?? job.id };
    const result = await job.step((tx) => this.retierIn(tx, ctx, job.tenantId), () => ({ done: 1, total: 1 }));
    logger().info({ tenant_id: job.tenantId, accounts: result.accounts, changed: result.changed, tookMs: result.tookMs }, 'tenant re-tiered after revenue change');
  }

  /** Re-tiers the tenant in the caller's transaction (serialised per tenant by an advisory lock). */
  private async retierIn(tx: Tx, ctx: RequestContext, tenantId: string): Promise<RetierResponse> {
    // Durations are measured with the monotonic clock; the business time comes from the service clock.
    const elapsed = stopwatch();
    const now = this.clock.now();
    const window = tieringWindow(now);
    await this.repo.lockTenant(tx);
    const t0 = elapsed();
    const rows = await this.repo.accountsWithRevenue(tx, window);
    const { currency } = await this.repo.summary(tx);
    const t1 = elapsed();
    const input: TieringAccount[] = rows.map((r) => ({ id: r.id, revenue: Number(r.revenue), strategic: r.strategic, highPotential: r.highPotential, override: r.override }));
    const result = computeTiers(input, { now: now.toISOString() });
    // Under an active override the effective reason is 'override'; the computed tier's own
    // reason comes from the same rule without overrides (a second pass only when needed).
    const computed = result.assignments.some((a) => a.reason === 'override') ? computeTiers(input.map((a) => ({ ...a, override: null })), { now: now.toISOString() }) : result;

    const changed: TierChange[] = [];
    const events: AccountTierChangedEvent[] = [];
    result.assignments.forEach((a, i) => {
      const r = rows[i];
      const computedReason = computed.assignments[i].reason;
      const dropOverride = a.overrideExpired;
      if (r.tier === a.tier && r.computedTier === a.computedTier && r.tierReason === a.reason && r.revenue12m === String(a.revenue) && !dropOverride && r.computedReason === computedReason) return;
      changed.push({ id: a.accountId, tier: a.tier, computed: a.computedTier, reason: a.reason, computedReason, revenue: String(a.revenue), dropOverride });
      if (r.tier !== a.tier) events.push({ accountId: a.accountId, oldTier: r.tier, newTier: a.tier, reason: a.reason, revenue12m: a.revenue, currency });
    });
    const t2 = elapsed();
    await this.repo.writeTiers(tx, changed);
    const t3 = elapsed();
    await this.outbox.emitMany(tx, Events.accounts.accountTierChanged, events, { ...ctx, tenantId });
    await this.repo.recordChanges(tx, events.map((e) => ({ accountId: e.accountId, oldTier: e.oldTier, newTier: e.newTier, reason: e.reason })), now);
    const t4 = elapsed();
    await this.repo.saveSummary(tx, { window, ...result.summary, computedAt: now.toISOString() });
    return { accounts: rows.length, changed: events.length, tookMs: elapsed(), phasesMs: { read: t1 - t0, compute: t2 - t1, write: t3 - t2, events: t4 - t3 }, window };
  }

  summary(ctx: RequestContext): Promise<TieringSummaryDto> {
    const scope = authorize(ctx, 'read');
    if (scope.partnerId) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not read the tenant tiering');
    return this.uow.forTenant(scope.tenantId, async (tx) => {
      const { summary: stored, currency } = await this.repo.summary(tx);
      if (stored) return { ...stored, currency };
      const window = tieringWindow(this.clock.now());
      const empty = { tiers: [1, 2, 3].map((tier) => ({ tier: tier as TierNumber, accounts: 0, revenue: 0, share: 0 })), totalPositiveRevenue: 0 };
      return { window, currency, ...empty, cutoffs: { tier1MinRevenue: null, tier1CumulativeShare: null, tier2MinRevenue: null, tier2CumulativeShare: null }, computedAt: null };
    });
  }

  /** How accounts moved between tiers since a moment (default: the last 30 days), from the tier history. */
  movement(ctx: RequestContext, req: TierMovementRequest): Promise<TierMovementDto> {
    const scope = authorize(ctx, 'read');
    if (scope.partnerId) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not read the tenant tiering');
    const now = this.clock.now();
    const since = req.since ? new Date(req.since) : new Date(now.getTime() - 30 * 86_400_000);
    if (since.getTime() > now.getTime()) throw StewardError.validation([{ field: 'since', rule: 'past', message: 'must not be in the future' }]);
    return this.uow.forTenant(scope.tenantId, async (tx) => {
      const found = await this.repo.movement(tx, since.toISOString(), req.limit ?? 50);
      const count = (better: boolean) => found.moves.filter((m) => (better ? m.toTier < m.fromTier : m.toTier > m.fromTier)).reduce((n, m) => n + m.accounts, 0);
      return {
        since: since.toISOString(),
        until: now.toISOString(),
        recordedSince: found.recordedSince,
        moves: found.moves as TierMovementDto['moves'],
        upgraded: count(true),
        downgraded: count(false),
        accounts: found.accounts as TierMovementDto['accounts'],
      };
    });
  }

  /** Pins an account to a tier with a reason (and optional expiry); the computed tier is kept alongside. */
  setOverride(ctx: RequestContext, req: SetTierOverrideRequest): Promise<AccountDto> {
    const scope = authorize(ctx, 'override');
    const now = this.clock.now();
    if (req.expiresAt && Date.parse(req.expiresAt) <= now.getTime()) throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    const override = { tier: req.tier, reason: req.reason, expiresAt: req.expiresAt ?? null, by: actorRef(ctx.actor), at: now.toISOString() };
    return this.uow.forTenant(scope.tenantId, async (tx) => {
      const before = await this.live(tx, req.accountId);
      requireOverrideRight(ctx, before.csmId);
      this.accounts.requireVersionIn(before, req.expectedVersion);
      await this.repo.setOverride(tx, req.accountId, override);
      return this.afterTierChange(tx, ctx, before.tier, req.accountId, `override: ${req.reason}`);
    });
  }

  clearOverride(ctx: RequestContext, accountId: string, expectedVersion?: number): Promise<AccountDto> {
    const scope = authorize(ctx, 'override');
    return this.uow.forTenant(scope.tenantId, async (tx) => {
      const before = await this.live(tx, accountId);
      requireOverrideRight(ctx, before.csmId);
      this.accounts.requireVersionIn(before, expectedVersion);
      if (!before.tierOverride) return toAccountDto(before);
      await this.repo.clearOverride(tx, accountId);
      return this.afterTierChange(tx, ctx, before.tier, accountId, 'override cleared');
    });
  }

  private async live(tx: Tx, id: string) {
    const row = await this.accounts.findIn(tx, id, { lock: true });
    if (!row) throw StewardError.notFound('account', id);
    if (row.deletedAt) throw new StewardError(ErrorCode.AccountDeleted, `Account ${id} is deleted: restore it first`);
    return row;
  }

  private async afterTierChange(tx: Tx, ctx: RequestContext, oldTier: TierNumber, id: string, reason: string): Promise<AccountDto> {
    const account = toAccountDto((await this.accounts.findIn(tx, id))!);
    await this.outbox.emit(tx, Events.accounts.accountUpdated, { account });
    if (account.tier !== oldTier) {
      await this.outbox.emit(tx, Events.accounts.accountTierChanged, { accountId: id, oldTier, newTier: account.tier, reason, revenue12m: account.revenue12m, currency: account.currency });
      await this.repo.recordChanges(tx, [{ accountId: id, oldTier, newTier: account.tier, reason }], this.clock.now());
    }
    return account;
  }
}

/** Milliseconds since it was made, from the monotonic clock (durations only, never business time). */
function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number((process.hrtime.bigint() - start) / 1_000_000n);
}

/**
 * Admins and managers pin any account's tier; a CSM only the tiers of the accounts he or she is
 * the CSM of (the person who knows why a small account is strategic). Anyone else was refused by
 * `authorize` already.
 */
export function requireOverrideRight(ctx: RequestContext, csmId: string | null): void {
  const actor = ctx.actor;
  if (actor.kind === 'user' && actor.role === 'csm' && csmId !== actor.id) {
    throw new StewardError(ErrorCode.Forbidden, "A CSM may override the tier only of the accounts he or she is the CSM of", { rule: 'own-accounts' });
  }
}
