import { Inject, Injectable } from '@nestjs/common';
import { type EngagementResponse, type RollupKind, rollupOf } from '@steward/feedback-domain';
import type { Tx } from '@steward/persistence';
import { JOBS, type JobQueue, type RunningJob, SERVICE_CONFIG } from '@steward/service-kit';
import type { FeedbackConfig } from '../config';
import { RefreshRollupsJob } from './responses.jobs';
import { QueuedContribution, ResponsesRepository, RollupDelta } from './responses.repository';

/**
 * Rollups are kept incrementally by an idempotent drain, not in each response's transaction:
 * a response's transaction only queues what it adds (no row of the rollups is locked by
 * answers arriving at once); the `feedback.rollup` job takes a batch out of the queue, adds
 * it with the library's `rollupOf` per (kind, dimension, value, month) and upserts the sums,
 * all in one step, so each response is counted exactly once even across crashes.
 */
@Injectable()
export class RollupsService {
  /** When this process last asked for a refresh, per tenant (asking is itself a write on one job row). */
  private readonly asked = new Map<string, number>();

  constructor(
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(SERVICE_CONFIG) private readonly config: FeedbackConfig,
    private readonly repo: ResponsesRepository,
  ) {}

  /**
   * Queues responses' contributions in the caller's transaction and makes sure a refresh
   * job will run after it commits. A process that asked within the last fifth of the job's
   * delay does not ask again: the job it asked for starts after this transaction commits
   * (it waits the delay, and it drains until the queue is empty, then runs once more a
   * second later if it found anything).
   */
  async queueIn(tx: Tx, items: Array<{ responseId: string } & QueuedContribution>): Promise<void> {
    await this.repo.enqueue(tx, items);
    const now = Date.now();
    const delayMs = this.config.app.rollupDelayMs;
    if ((this.asked.get(tx.scope.tenantId) ?? 0) > now - delayMs / 5) return;
    this.asked.set(tx.scope.tenantId, now);
    if (this.asked.size > 10_000) this.asked.clear();
    await this.jobs.enqueue(tx, RefreshRollupsJob, {}, { delayMs, debounce: { key: 'rollups', maxDelayMs: delayMs * 4 } });
  }

  /** The refresh job: batch after batch until the queue is empty. */
  async refresh(job: RunningJob<Record<string, never>>): Promise<void> {
    let drained = 0;
    for (;;) {
      const n = await job.step((tx) => this.drainIn(tx, this.config.app.rollupBatch));
      drained += n;
      if (n < this.config.app.rollupBatch) break;
    }
    // Rows committed just after the last batch (a transaction that relied on this job) are picked up by one more run.
    if (drained > 0) await job.step((tx) => this.jobs.enqueue(tx, RefreshRollupsJob, {}, { delayMs: 1000, debounce: { key: 'rollups-tail', maxDelayMs: 2000 } }));
  }

  /** Adds up to `limit` queued responses to the rollups in the caller's transaction; returns how many. */
  async drainIn(tx: Tx, limit: number): Promise<number> {
    const batch = await this.repo.dequeue(tx, limit);
    await this.repo.addToRollups(tx, deltasOf(batch));
    const responded = new Map<string, number>();
    for (const q of batch) if (q.dims.invited && q.dims.survey) responded.set(`${q.dims.survey}|${q.month}`, (responded.get(`${q.dims.survey}|${q.month}`) ?? 0) + 1);
    await this.repo.addResponded(tx, responded);
    return batch.length;
  }
}

/** Dimensions every response is counted under (when it has a value for them); `contact` for engagement only. */
export const ROLLUP_DIMENSIONS = ['all', 'survey', 'account', 'tier', 'segment', 'team', 'role', 'channel', 'csm', 'contact'] as const;

/** The rollup additions of a batch: per (kind, dimension, value, month), the library's rollup of its responses. */
export function deltasOf(batch: readonly QueuedContribution[]): RollupDelta[] {
  const groups = new Map<string, { kind: RollupKind; dim: string; value: string; month: string; responses: Array<number | EngagementResponse> }>();
  for (const q of batch) {
    for (const c of q.contributions) {
      for (const dim of ROLLUP_DIMENSIONS) {
        const value = dim === 'all' ? 'all' : q.dims[dim];
        if (value === null || value === undefined) continue;
        // Per stakeholder only for engagement (the account's decision chain view).
        if (dim === 'contact' && c.kind !== 'engagement') continue;
        const key = `${c.kind}|${dim}|${value}|${q.month}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { kind: c.kind, dim, value, month: q.month, responses: [] }));
        g.responses.push(c.kind === 'engagement' ? c.response : c.score);
      }
    }
  }
  return [...groups.values()].map((g) => {
    const r = rollupOf(g.kind, g.responses as never[]);
    return { kind: g.kind, dim: g.dim, value: g.value, month: g.month, n: r.n, counts: r.counts };
  });
}
