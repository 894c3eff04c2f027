import { Inject, Injectable } from '@nestjs/common';
import {
  CancelSubscriptionRequest,
  ChangeSubscriptionRequest,
  CreateSubscriptionRequest,
  ErrorCode,
  ListSubscriptionsRequest,
  Page,
  StewardError,
  SubscriptionDto,
} from '@steward/contracts';
import { cancellationEffectiveAt, prorateChange, termEnd, termPrice, type Pricing as DomainPricing } from '@steward/catalog-domain';
import { isUniqueViolation, Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, invalidState, notFound, staleVersion } from '../access';
import { SubscriptionJournal } from './journal';
import { SaleResolver } from './sales';
import { SubscriptionRow, SubscriptionsRepository, toSubscriptionDto } from './subscriptions.repository';

const DAY = 86_400_000;

export interface StartSubscription {
  accountId: string;
  projectId?: string;
  planId: string;
  planVersionId?: string;
  seats?: number;
  renewal: 'auto' | 'manual';
  noticeDays: number;
  externalRef?: string;
  trialId?: string;
}

/**
 * Subscriptions and contracts of accounts (and projects): start, change (prorated), manual
 * renewal, cancellation with notice, history. The price is fixed when a subscription starts (the
 * list price, or the selling partner's): a later version of the plan never changes it; only an
 * explicit change moves it to another version. Partners reach only the accounts they lead.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: SubscriptionsRepository,
    private readonly sales: SaleResolver,
    private readonly journal: SubscriptionJournal,
  ) {}

  create(ctx: RequestContext, req: CreateSubscriptionRequest): Promise<SubscriptionDto> {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => toSubscriptionDto(await this.startIn(tx, req)));
  }

  /** Starts a subscription inside the caller's transaction (a trial's conversion too). */
  async startIn(tx: Tx, req: StartSubscription): Promise<SubscriptionRow> {
    const sale = await this.sales.newSale(tx, req);
    const pricing = sale.pricing as DomainPricing;
    const now = this.clock.now();
    const termUnit = pricing.kind === 'one-off' ? null : pricing.billingPeriod;
    const validity = pricing.kind === 'one-off' && pricing.validityDays ? new Date(now.getTime() + pricing.validityDays * DAY) : null;
    const row = await this.repo
      .insert(tx, {
        id: uuidv7(),
        accountId: sale.account.id,
        projectId: req.projectId ?? null,
        productId: sale.version.productId,
        planId: sale.version.version.planId,
        planVersionId: sale.version.version.id,
        pricing: sale.pricing,
        priceSource: sale.priceSource,
        seats: sale.seats,
        channel: sale.account.leadChannel,
        partnerId: tx.scope.partnerId ?? null,
        startedAt: now,
        termUnit,
        currentTermEnd: termUnit ? new Date(termEnd(now.getTime(), termUnit, 0)) : validity,
        renewal: req.renewal,
        noticeDays: req.noticeDays,
        trialId: req.trialId ?? null,
        externalRef: req.externalRef ?? null,
      })
      .catch((err) => {
        if (!isUniqueViolation(err, 'subscriptions_external_ref')) throw err;
        throw new StewardError(ErrorCode.Conflict, `Another subscription already has the reference "${req.externalRef}"`, {
          errors: [{ field: 'externalRef', rule: 'unique', message: 'is already the reference of another subscription' }],
        });
      });
    await this.journal.subscription(tx, row, {
      event: 'started',
      from: null,
      at: now,
      details: { planVersionId: row.planVersionId, seats: row.seats, priceSource: row.priceSource, trialId: row.trialId },
    });
    return row;
  }

  get(ctx: RequestContext, id: string): Promise<SubscriptionDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => toSubscriptionDto(await this.requireIn(tx, id)));
  }

  list(ctx: RequestContext, q: ListSubscriptionsRequest): Promise<Page<SubscriptionDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.repo.list(tx, q));
  }

  history(ctx: RequestContext, id: string) {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.requireIn(tx, id);
      const rows = await this.repo.history(tx, id);
      return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
    });
  }

  /** Seats or plan version change now; a recurring price is prorated for the rest of the term. */
  change(ctx: RequestContext, req: ChangeSubscriptionRequest) {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => {
      const s = await this.requireIn(tx, req.id, true);
      if (req.expectedVersion !== undefined && req.expectedVersion !== s.version) throw staleVersion('subscription', req.expectedVersion, s.version);
      if (s.status !== 'active') throw invalidState('id', `Subscription ${s.id} is ${s.status}`);
      const next = await this.sales.change(tx, s, req);
      if (!next.moved && next.seats === s.seats) return { subscription: toSubscriptionDto(s), proration: null };
      const now = this.clock.now();
      const proration =
        next.pricing.kind === 'subscription' && s.currentTermEnd && now < s.currentTermEnd
          ? prorateChange({
              currency: next.pricing.currency,
              termStart: s.currentTermStart.toISOString(),
              termEnd: s.currentTermEnd.toISOString(),
              changeAt: (now < s.currentTermStart ? s.currentTermStart : now).toISOString(),
              oldTermPrice: termPrice(s.pricing as DomainPricing, s.seats),
              newTermPrice: termPrice(next.pricing as DomainPricing, next.seats),
            })
          : null;
      const moved = next.moved ? { planId: next.moved.version.planId, planVersionId: next.moved.version.id, pricing: next.pricing, priceSource: next.priceSource } : {};
      const row = await this.repo.update(tx, s.id, { ...moved, seats: next.seats }, now);
      await this.journal.subscription(tx, row, {
        event: 'changed',
        from: s.status,
        at: now,
        details: { from: { planVersionId: s.planVersionId, seats: s.seats }, to: { planVersionId: row.planVersionId, seats: row.seats }, proration },
        proration,
      });
      return { subscription: toSubscriptionDto(row), proration };
    });
  }

  /** Manual renewal: confirms the next term; asking again in the same term changes nothing. */
  renew(ctx: RequestContext, id: string): Promise<SubscriptionDto> {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => {
      const s = await this.requireIn(tx, id, true);
      if (s.status !== 'active') throw invalidState('id', `Subscription ${s.id} is ${s.status}: start a new one`);
      if (!s.termUnit || !s.currentTermEnd) throw invalidState('id', 'A one-off purchase has no terms to renew');
      if (s.renewal === 'auto') throw invalidState('id', 'This subscription renews by itself');
      if (s.cancelAt) throw invalidState('id', `Subscription ${s.id} is cancelled for ${s.cancelAt.toISOString()}`);
      const until = new Date(termEnd(s.startedAt.getTime(), s.termUnit, s.termIndex + 1));
      if (s.renewedUntil && s.renewedUntil >= until) return toSubscriptionDto(s);
      const now = this.clock.now();
      const row = await this.repo.update(tx, s.id, { renewedUntil: until }, now);
      await this.journal.subscription(tx, row, { event: 'renewed', from: s.status, at: now, details: { confirmedUntil: until.toISOString() } });
      return toSubscriptionDto(row);
    });
  }

  /** Cancels at the first term end at least the notice period away; asking again changes nothing. */
  cancel(ctx: RequestContext, req: CancelSubscriptionRequest): Promise<SubscriptionDto> {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => {
      const s = await this.requireIn(tx, req.id, true);
      if (s.status !== 'active') throw invalidState('id', `Subscription ${s.id} is already ${s.status}`);
      if (s.cancelAt) return toSubscriptionDto(s);
      if (!s.termUnit) throw invalidState('id', 'A one-off purchase cannot be cancelled (it ends with its validity)');
      const now = this.clock.now();
      const cancelAt = new Date(cancellationEffectiveAt({ anchor: s.startedAt.toISOString(), unit: s.termUnit, noticeDays: s.noticeDays, requestedAt: now.toISOString() }));
      const row = await this.repo.update(tx, s.id, { cancelAt, cancellationReason: req.reason }, now);
      await this.journal.subscription(tx, row, { event: 'cancellation-requested', from: s.status, at: now, details: { cancelAt: cancelAt.toISOString(), reason: req.reason, noticeDays: s.noticeDays } });
      return toSubscriptionDto(row);
    });
  }

  /** Outcome subscriptions of an account betting on `kpiKey`, active at some point of [from, to). */
  outcomeByKpiIn(tx: Tx, accountId: string, kpiKey: string, from: Date, to: Date): Promise<SubscriptionRow[]> {
    return this.repo.outcomeByKpi(tx, accountId, kpiKey, from, to);
  }

  /** One page of the tenant's outcome subscriptions settled per `unit` that ran during [from, to). */
  /** The subscription in the caller's scope (404 naming `field`). */
  async requireIn(tx: Tx, id: string, lock = false, field = 'id'): Promise<SubscriptionRow> {
    const s = await this.repo.find(tx, id, lock);
    if (!s) throw notFound('subscription', id, field);
    return s;
  }
}
