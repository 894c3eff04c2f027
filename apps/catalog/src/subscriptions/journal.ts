import { Inject, Injectable } from '@nestjs/common';
import { actorRef, Events, type ProrationDto, type TrialDto } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7 } from '@steward/persistence';
import { Clock, CLOCK, JobQueue, JOBS, OUTBOX } from '@steward/service-kit';
import { currentContext } from '@steward/telemetry';
import type { z } from 'zod';
import { EntitlementsService } from './entitlements.service';
import { SubscriptionRow, SubscriptionsRepository, toSubscriptionDto } from './subscriptions.repository';
import { SubscriptionTermJob, TrialEndJob } from './subscriptions.jobs';

export type SubscriptionEvent = 'started' | 'changed' | 'renewed' | 'cancellation-requested' | 'cancelled' | 'expired';
type Proration = z.infer<typeof ProrationDto>;

/** The next instant a subscription needs attention: its scheduled cancellation or the end of its term. */
export function dueAt(s: Pick<SubscriptionRow, 'status' | 'cancelAt' | 'currentTermEnd'>): Date | null {
  if (s.status !== 'active') return null;
  const times = [s.cancelAt, s.currentTermEnd].filter((t): t is Date => t !== null).map((t) => t.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/**
 * Everything that follows a change of a subscription or trial, in the transaction that made
 * it: the history line, the event (outbox), the entitlements it moves, and the job that waits
 * for its next due instant.
 */
@Injectable()
export class SubscriptionJournal {
  constructor(
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: SubscriptionsRepository,
    private readonly entitlements: EntitlementsService,
  ) {}

  async subscription(tx: Tx, row: SubscriptionRow, change: { event: SubscriptionEvent; from: string | null; at: Date; details: Record<string, unknown>; proration?: Proration | null }): Promise<void> {
    await this.repo.addHistory(tx, {
      id: uuidv7(),
      subscriptionId: row.id,
      accountId: row.accountId,
      at: change.at,
      event: change.event,
      fromStatus: change.from,
      toStatus: row.status,
      details: change.details,
      actor: actorRef(currentContext()?.actor ?? { kind: 'system', id: 'catalog' }),
    });
    const subscription = toSubscriptionDto(row);
    const c = Events.catalog;
    switch (change.event) {
      case 'started':
        await this.outbox.emit(tx, c.subscriptionStarted, { subscription });
        break;
      case 'changed':
        await this.outbox.emit(tx, c.subscriptionChanged, { subscription, proration: change.proration ?? null });
        break;
      case 'renewed':
        // A manual renewal's confirmation is history only; the term moving on is the event.
        if (change.details.termIndex !== undefined) await this.outbox.emit(tx, c.subscriptionRenewed, { subscription });
        break;
      case 'cancellation-requested':
        await this.outbox.emit(tx, c.subscriptionCancelled, { subscription });
        break;
      case 'cancelled':
      case 'expired':
        await this.outbox.emit(tx, c.subscriptionEnded, { subscription });
        break;
    }
    await this.entitlements.refreshIn(tx, row.accountId, `subscription.${change.event}`);
    await this.schedule(tx, row);
  }

  async trial(tx: Tx, trial: TrialDto, event: 'started' | 'converted' | 'lapsed'): Promise<void> {
    const c = Events.catalog;
    await this.outbox.emit(tx, event === 'started' ? c.trialStarted : event === 'converted' ? c.trialConverted : c.trialLapsed, { trial });
    await this.entitlements.refreshIn(tx, trial.accountId, `trial.${event}`);
    if (trial.status === 'active') await this.scheduleTrial(tx, trial);
  }

  /** Schedules the subscription's next due instant (one waiting job per subscription). */
  async schedule(tx: Tx, s: Pick<SubscriptionRow, 'id' | 'status' | 'cancelAt' | 'currentTermEnd'>): Promise<void> {
    const due = dueAt(s);
    if (!due) return;
    await this.jobs.enqueue(tx, SubscriptionTermJob, { subscriptionId: s.id }, { delayMs: Math.max(0, due.getTime() - this.clock.now().getTime()), debounce: { key: `term:${s.id}` } });
  }

  async scheduleTrial(tx: Tx, trial: { id: string; endsAt: string }): Promise<void> {
    await this.jobs.enqueue(tx, TrialEndJob, { trialId: trial.id }, { delayMs: Math.max(0, Date.parse(trial.endsAt) - this.clock.now().getTime()), debounce: { key: `trial:${trial.id}` } });
  }
}
