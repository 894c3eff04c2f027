import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, Events, RecordUsageRequest, StewardError, UsageRecordDto, UsageSummaryRequest } from '@steward/contracts';
import { currentTerm, priceUsage, type UsagePricing } from '@steward/catalog-domain';
import type { Outbox } from '@steward/messaging';
import { uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, fieldError } from '../access';
import type { SubscriptionRow } from '../subscriptions/subscription.row';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { UsageRepository } from './usage.repository';

/** A usage subscription, or a 400 naming the field. */
export function usageTerms(s: SubscriptionRow, field = 'subscriptionId'): UsagePricing & { billingPeriod: 'month' | 'year' } {
  if (s.pricing.kind !== 'usage') throw fieldError(field, 'usage-plan', `subscription ${s.id} is priced '${s.pricing.kind}', not by usage`);
  return s.pricing as UsagePricing;
}

/**
 * Metered usage of usage-priced subscriptions. A record is identified by the metering system's
 * external id: recording it again (a retry, a replayed batch) stores nothing and answers the
 * first record with `replayed: true`; the same id with another quantity or time is a conflict.
 */
@Injectable()
export class UsageService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: UsageRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  record(ctx: RequestContext, req: RecordUsageRequest): Promise<{ record: UsageRecordDto; replayed: boolean }> {
    return this.uow.forScope(authorize(ctx, 'meter'), async (tx) => {
      const s = await this.subscriptions.requireIn(tx, req.subscriptionId, false, 'subscriptionId');
      usageTerms(s);
      const at = Date.parse(req.at);
      if (at < s.startedAt.getTime() || (s.endedAt && at >= s.endedAt.getTime())) {
        throw fieldError('at', 'within-subscription', `must fall while the subscription ran (from ${s.startedAt.toISOString()}${s.endedAt ? ` to ${s.endedAt.toISOString()}` : ''})`);
      }
      const record = await this.repo.insert(tx, { id: uuidv7(), subscriptionId: s.id, externalId: req.externalId, quantity: req.quantity, at: new Date(at).toISOString(), recordedAt: this.clock.now() });
      if (record) {
        await this.outbox.emit(tx, Events.catalog.usageRecorded, { record, accountId: s.accountId });
        return { record, replayed: false };
      }
      const first = (await this.repo.byExternalId(tx, s.id, req.externalId))!;
      if (first.quantity !== req.quantity || Date.parse(first.at) !== at) {
        throw new StewardError(ErrorCode.UsageRecordConflict, `Usage ${req.externalId} was recorded before with other values`, {
          errors: [{ field: 'externalId', rule: 'same-record', message: `was recorded as ${first.quantity} at ${first.at}: a new reading needs a new external id` }],
        });
      }
      return { record: first, replayed: true };
    });
  }

  /** The billing period containing `at` (default now): its records, units and price. */
  summary(ctx: RequestContext, req: UsageSummaryRequest) {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const s = await this.subscriptions.requireIn(tx, req.subscriptionId, false, 'subscriptionId');
      const terms = usageTerms(s);
      const term = currentTerm(s.startedAt.toISOString(), terms.billingPeriod, req.at ?? this.clock.now().toISOString());
      const { records, quantity } = await this.repo.total(tx, s.id, new Date(term.start), new Date(term.end));
      const price = priceUsage(terms, quantity);
      return {
        subscriptionId: s.id,
        periodStart: term.start,
        periodEnd: term.end,
        records,
        quantity,
        currency: price.currency,
        charge: price.charge,
        minimumApplied: price.minimumApplied,
        lines: price.lines.map((l) => l.text),
      };
    });
  }
}
