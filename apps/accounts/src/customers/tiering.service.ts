import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { computeTiers, TieringAccount } from '@steward/accounts-domain';
import { AccountDto, AccountTierChangedEvent, ErrorCode, Events, RetierResponse, SetTierOverrideRequest, StewardError, TierNumber, TieringSummaryDto, actorRef } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { ACCOUNTS_CONFIG, OUTBOX, UOW } from '../identity/tokens';
import type { AccountsConfig } from '../config';
import { toAccountDto } from './account.row';
import { AccountsRepository } from './accounts.repository';
import { authorize } from './scope';

interface TierRow {
  id: string;
  strategic: boolean;
  highPotential: boolean;
  override: { tier: TierNumber; reason: string; expiresAt: string | null } | null;
  tier: TierNumber;
  computedTier: TierNumber;
  tierReason: string;
  computedReason: string;
  revenue12m: string;
  revenue: string;
}

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
  private readonly repo = new AccountsRepository();

  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  retierOnDemand(ctx: RequestContext): Promise<RetierResponse> {
    const scope = authorize(ctx, 'tiering');
    return this.retier(ctx, scope.tenantId);
  }

  async retier(ctx: RequestContext, tenantId: string): Promise<RetierResponse> {
    const started = Date.now();
    const now = this.config.clock();
    const window = tieringWindow(now);
    return this.uow.forTenant(tenantId, async (em) => {
      // One re-tiering per tenant at a time; a concurrent one waits and then sees our result.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('tiering:' || $1))`, [tenantId]);
      const t0 = Date.now();
      const rows: TierRow[] = await em.query(
        `SELECT a.id, a.strategic, a.high_potential AS "highPotential", a.tier_override AS override, a.tier, a.computed_tier AS "computedTier",
                a.tier_reason AS "tierReason", a.computed_reason AS "computedReason", a.revenue_12m::text AS "revenue12m", coalesce(r.revenue, 0)::text AS revenue
         FROM accounts.accounts a
         LEFT JOIN (SELECT account_id, sum(product_revenue + service_revenue) AS revenue
                    FROM accounts.revenue_records WHERE month >= $1::date AND month < $2::date GROUP BY account_id) r ON r.account_id = a.id
         WHERE a.deleted_at IS NULL`,
        [window.from, window.to],
      );
      const t1 = Date.now();
      const input: TieringAccount[] = rows.map((r) => ({ id: r.id, revenue: Number(r.revenue), strategic: r.strategic, highPotential: r.highPotential, override: r.override }));
      const result = computeTiers(input, { now: now.toISOString() });
      // Under an active override the effective reason is 'override'; the computed tier's own
      // reason comes from the same rule without overrides (a second pass only when needed).
      const computed = result.assignments.some((a) => a.reason === 'override') ? computeTiers(input.map((a) => ({ ...a, override: null })), { now: now.toISOString() }) : result;

      const changed = { id: [] as string[], tier: [] as number[], computed: [] as number[], reason: [] as string[], computedReason: [] as string[], revenue: [] as string[], dropOverride: [] as boolean[] };
      const events: AccountTierChangedEvent[] = [];
      result.assignments.forEach((a, i) => {
        const r = rows[i];
        const computedReason = computed.assignments[i].reason;
        const dropOverride = a.overrideExpired;
        if (r.tier === a.tier && r.computedTier === a.computedTier && r.tierReason === a.reason && r.revenue12m === String(a.revenue) && !dropOverride && r.computedReason === computedReason) return;
        changed.id.push(a.accountId);
        changed.tier.push(a.tier);
        changed.computed.push(a.computedTier);
        changed.reason.push(a.reason);
        changed.computedReason.push(computedReason);
        changed.revenue.push(String(a.revenue));
        changed.dropOverride.push(dropOverride);
        if (r.tier !== a.tier) events.push({ accountId: a.accountId, oldTier: r.tier, newTier: a.tier, reason: a.reason, revenue12m: a.revenue });
      });
      const t2 = Date.now();
      if (changed.id.length) {
        await em.query(
          `UPDATE accounts.accounts a SET tier = u.tier, computed_tier = u.computed, tier_reason = u.reason, computed_reason = u.computed_reason,
                  revenue_12m = u.revenue, tier_override = CASE WHEN u.drop_override THEN NULL ELSE a.tier_override END, tiered_at = now()
           FROM unnest($1::uuid[], $2::smallint[], $3::smallint[], $4::text[], $5::text[], $6::bigint[], $7::boolean[])
                AS u(id, tier, computed, reason, computed_reason, revenue, drop_override)
           WHERE a.id = u.id`,
          [changed.id, changed.tier, changed.computed, changed.reason, changed.computedReason, changed.revenue, changed.dropOverride],
        );
      }
      const t3 = Date.now();
      await this.outbox.emitMany(em, Events.accounts.accountTierChanged, events, { ...ctx, tenantId });
      const t4 = Date.now();
      const summary: TieringSummaryDto = { window, ...result.summary, computedAt: now.toISOString() };
      await em.query(
        `INSERT INTO accounts.tiering_state (tenant_id, window_from, window_to, summary, computed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE SET window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to, summary = EXCLUDED.summary, computed_at = EXCLUDED.computed_at`,
        [tenantId, window.from, window.to, JSON.stringify(summary), now.toISOString()],
      );
      return { accounts: rows.length, changed: events.length, tookMs: Date.now() - started, phasesMs: { read: t1 - t0, compute: t2 - t1, write: t3 - t2, events: t4 - t3 }, window };
    });
  }

  summary(ctx: RequestContext): Promise<TieringSummaryDto> {
    const scope = authorize(ctx, 'read');
    if (scope.partnerId) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not read the tenant tiering');
    return this.uow.forTenant(scope.tenantId, async (em) => {
      const [row] = await em.query(`SELECT summary FROM accounts.tiering_state WHERE tenant_id = $1`, [scope.tenantId]);
      if (row) return row.summary as TieringSummaryDto;
      const window = tieringWindow(this.config.clock());
      const empty = { tiers: [1, 2, 3].map((tier) => ({ tier: tier as TierNumber, accounts: 0, revenue: 0, share: 0 })), totalPositiveRevenue: 0 };
      return { window, ...empty, cutoffs: { tier1MinRevenue: null, tier1CumulativeShare: null, tier2MinRevenue: null, tier2CumulativeShare: null }, computedAt: null };
    });
  }

  /** Pins an account to a tier with a reason (and optional expiry); the computed tier is kept alongside. */
  setOverride(ctx: RequestContext, req: SetTierOverrideRequest): Promise<AccountDto> {
    const scope = authorize(ctx, 'tiering');
    const now = this.config.clock();
    if (req.expiresAt && Date.parse(req.expiresAt) <= now.getTime()) throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    const override = { tier: req.tier, reason: req.reason, expiresAt: req.expiresAt ?? null, by: actorRef(ctx.actor), at: now.toISOString() };
    return this.uow.forTenant(scope.tenantId, async (em) => {
      const before = await this.live(em, req.accountId);
      await em.query(`UPDATE accounts.accounts SET tier_override = $2, tier = $3, tier_reason = 'override', updated_at = now(), version = version + 1 WHERE id = $1`, [
        req.accountId,
        JSON.stringify(override),
        req.tier,
      ]);
      return this.afterTierChange(em, ctx, before.tier, req.accountId, `override: ${req.reason}`);
    });
  }

  clearOverride(ctx: RequestContext, accountId: string): Promise<AccountDto> {
    const scope = authorize(ctx, 'tiering');
    return this.uow.forTenant(scope.tenantId, async (em) => {
      const before = await this.live(em, accountId);
      if (!before.tierOverride) return toAccountDto(before);
      await em.query(`UPDATE accounts.accounts SET tier_override = NULL, tier = computed_tier, tier_reason = computed_reason, updated_at = now(), version = version + 1 WHERE id = $1`, [accountId]);
      return this.afterTierChange(em, ctx, before.tier, accountId, 'override cleared');
    });
  }

  private async live(em: EntityManager, id: string) {
    const row = await this.repo.find(em, id, true, true);
    if (!row) throw StewardError.notFound('account', id);
    if (row.deletedAt) throw new StewardError(ErrorCode.AccountDeleted, `Account ${id} is deleted: restore it first`);
    return row;
  }

  private async afterTierChange(em: EntityManager, ctx: RequestContext, oldTier: TierNumber, id: string, reason: string): Promise<AccountDto> {
    const account = toAccountDto((await this.repo.find(em, id))!);
    await this.outbox.emit(em, Events.accounts.accountUpdated, { account });
    if (account.tier !== oldTier) await this.outbox.emit(em, Events.accounts.accountTierChanged, { accountId: id, oldTier, newTier: account.tier, reason, revenue12m: account.revenue12m });
    return account;
  }
}
