import { Inject, Injectable } from '@nestjs/common';
import { termEnd } from '@steward/catalog-domain';
import type { Tx } from '@steward/persistence';
import { Clock, CLOCK, RunningJob } from '@steward/service-kit';
import { dueAt, SubscriptionJournal } from './journal';
import { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository';
import { TrialsRepository } from './trials.repository';

/**
 * Time-driven changes, run as durable jobs (ADR 14): at a term end a subscription renews (auto,
 * or manual and confirmed), expires (manual and not confirmed; a one-off at the end of its
 * validity) or ends (a cancellation scheduled for then); at its end a trial lapses. Each job
 * decides by the service's clock, so tests move time with it; one that runs early waits again.
 */
@Injectable()
export class LifecycleService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly trials: TrialsRepository,
    private readonly journal: SubscriptionJournal,
  ) {}

  async onTermJob(job: RunningJob<{ subscriptionId: string }>): Promise<void> {
    await job.step(async (tx) => {
      const s = await this.subscriptions.find(tx, job.payload.subscriptionId, true);
      if (!s) return;
      const due = dueAt(s);
      const now = this.clock.now();
      if (!due) return;
      if (due > now) return this.journal.schedule(tx, s);
      await this.advance(tx, s, now);
    });
  }

  async onTrialJob(job: RunningJob<{ trialId: string }>): Promise<void> {
    await job.step(async (tx) => {
      const trial = await this.trials.find(tx, job.payload.trialId, true);
      if (!trial || trial.status !== 'active') return;
      if (Date.parse(trial.endsAt) > this.clock.now().getTime()) return this.journal.scheduleTrial(tx, trial);
      await this.journal.trial(tx, await this.trials.lapse(tx, trial.id, new Date(trial.endsAt)), 'lapsed');
    });
  }

  /** What is due now happens; the journal schedules the next due instant (renewals run again at once when several terms passed). */
  private async advance(tx: Tx, s: SubscriptionRow, now: Date): Promise<void> {
    const end = s.currentTermEnd;
    if (s.cancelAt && s.cancelAt <= now && (!end || s.cancelAt <= end)) {
      const row = await this.subscriptions.update(tx, s.id, { status: 'cancelled', endedAt: s.cancelAt }, now);
      return this.journal.subscription(tx, row, { event: 'cancelled', from: s.status, at: s.cancelAt, details: { reason: s.cancellationReason } });
    }
    if (!end) return;
    const nextEnd = s.termUnit ? new Date(termEnd(s.startedAt.getTime(), s.termUnit, s.termIndex + 1)) : null;
    const renews = nextEnd !== null && (s.renewal === 'auto' || (s.renewedUntil !== null && s.renewedUntil >= nextEnd));
    if (!renews) {
      const row = await this.subscriptions.update(tx, s.id, { status: 'expired', endedAt: end }, now);
      return this.journal.subscription(tx, row, { event: 'expired', from: s.status, at: end, details: { reason: s.termUnit ? 'not renewed' : 'validity ended' } });
    }
    const row = await this.subscriptions.update(tx, s.id, { termIndex: s.termIndex + 1, currentTermStart: end, currentTermEnd: nextEnd }, now);
    await this.journal.subscription(tx, row, { event: 'renewed', from: s.status, at: end, details: { termIndex: s.termIndex + 1, termStart: end.toISOString(), termEnd: nextEnd.toISOString() } });
  }
}
