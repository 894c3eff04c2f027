import { Inject, Injectable } from '@nestjs/common';
import { ConvertTrialRequest, ListTrialsRequest, Page, StartTrialRequest, TrialDto, TrialFunnelRequest } from '@steward/contracts';
import { trialFunnel } from '@steward/catalog-domain';
import { isUniqueViolation, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, invalidState, notFound } from '../access';
import { SubscriptionJournal } from './journal';
import { SaleResolver } from './sales';
import { SubscriptionsService } from './subscriptions.service';
import { toSubscriptionDto } from './subscriptions.repository';
import { TrialsRepository } from './trials.repository';

const DAY = 86_400_000;

/**
 * Free trials: one per account and plan, for the plan's trial days; converted into a paid
 * subscription (at the plan's current price) or lapsed at the end (a job). A trial grants the
 * plan's entitlements while it runs. The funnel counts them per product and channel.
 */
@Injectable()
export class TrialsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TrialsRepository,
    private readonly sales: SaleResolver,
    private readonly journal: SubscriptionJournal,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  start(ctx: RequestContext, req: StartTrialRequest): Promise<TrialDto> {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => {
      const sale = await this.sales.newSale(tx, req);
      const days = sale.version.version.trialDays;
      if (!days) throw invalidState('planId', `Plan ${req.planId} offers no trial`);
      const now = this.clock.now();
      const trial = await this.repo
        .insert(tx, {
          id: uuidv7(),
          accountId: sale.account.id,
          projectId: req.projectId ?? null,
          productId: sale.version.productId,
          planId: sale.version.version.planId,
          planVersionId: sale.version.version.id,
          channel: sale.account.leadChannel,
          partnerId: tx.scope.partnerId ?? null,
          startedAt: now,
          endsAt: new Date(now.getTime() + days * DAY),
        })
        .catch((err) => {
          throw isUniqueViolation(err, 'trials_once') ? invalidState('planId', `Account ${req.accountId} already had a trial of plan ${req.planId}`) : err;
        });
      await this.journal.trial(tx, trial, 'started');
      return trial;
    });
  }

  /** An active trial becomes a paid subscription; converting a converted trial again returns the same subscription. */
  convert(ctx: RequestContext, req: ConvertTrialRequest) {
    return this.uow.forScope(authorize(ctx, 'sell'), async (tx) => {
      const trial = await this.repo.find(tx, req.id, true);
      if (!trial) throw notFound('trial', req.id);
      if (trial.status === 'converted' && trial.subscriptionId) {
        return { trial, subscription: toSubscriptionDto(await this.subscriptions.requireIn(tx, trial.subscriptionId)) };
      }
      if (trial.status !== 'active' || Date.parse(trial.endsAt) <= this.clock.now().getTime()) throw invalidState('id', `Trial ${trial.id} has ended: start a subscription instead`);
      const subscription = await this.subscriptions.startIn(tx, {
        accountId: trial.accountId,
        projectId: trial.projectId ?? undefined,
        planId: trial.planId,
        seats: req.seats,
        renewal: req.renewal,
        noticeDays: req.noticeDays,
        trialId: trial.id,
      });
      const converted = await this.repo.convert(tx, trial.id, this.clock.now(), subscription.id);
      await this.journal.trial(tx, converted, 'converted');
      return { trial: converted, subscription: toSubscriptionDto(subscription) };
    });
  }

  get(ctx: RequestContext, id: string): Promise<TrialDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => (await this.repo.find(tx, id)) ?? Promise.reject(notFound('trial', id)));
  }

  list(ctx: RequestContext, q: ListTrialsRequest): Promise<Page<TrialDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.repo.list(tx, q));
  }

  funnel(ctx: RequestContext, q: TrialFunnelRequest) {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => ({
      items: trialFunnel(await this.repo.facts(tx, { from: q.from ?? null, to: q.to ?? null, productId: q.productId ?? null })),
    }));
  }
}
