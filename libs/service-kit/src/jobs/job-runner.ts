import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeActor } from '@steward/contracts';
import { Tx, UnitOfWork } from '@steward/persistence';
import { logger, registry, runWithContext, runWithoutContext } from '@steward/telemetry';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DEFAULT_JOB_SETTINGS, JobAborted, JobDef, JobFailed, JobHandler, JobLeaseLost, JobProgress, JobRunnerSettings, retryDelayMs, RunningJob } from './job';
import { ClaimedJob, JobsRepository } from './jobs.repository';

interface Registered {
  def: JobDef<unknown>;
  handler: JobHandler<unknown>;
}

interface Attempt {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
  /** Set when the attempt was stopped for shutdown: its job is handed back, not retried. */
  shuttingDown: boolean;
  /** The handler's own promise (it may outlive an aborted attempt by its current step). */
  handler?: Promise<void>;
}

/** Rejects when the signal aborts (never unhandled: callers race it). */
function aborted(signal: AbortSignal): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  p.catch(() => undefined);
  return p;
}

const metric = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
const jobMetrics = {
  outcomes: () =>
    metric('steward_jobs_total', () => new Counter({ name: 'steward_jobs_total', help: 'Job attempts by outcome (completed, retried, failed, released, lease-lost)', labelNames: ['kind', 'outcome'], registers: [registry] })),
  running: () => metric('steward_jobs_running', () => new Gauge({ name: 'steward_jobs_running', help: 'Job attempts running in this process', registers: [registry] })),
  duration: () =>
    metric(
      'steward_job_attempt_duration_seconds',
      () => new Histogram({ name: 'steward_job_attempt_duration_seconds', help: 'Time per job attempt', labelNames: ['kind'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300], registers: [registry] }),
    ),
};

// Stored as text: PostgreSQL refuses NUL, and an error message may quote input.
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).replaceAll('\u0000', '\uFFFD').slice(0, 2000);

/**
 * Runs a service's durable jobs (docs/adr/0014-durable-jobs.md): claims due jobs with
 * `FOR UPDATE SKIP LOCKED` under a lease it renews while the job runs, runs each in its
 * tenant's context, and records the outcome fenced by the lease token: completed; retried
 * with exponential backoff; failed for good with a reason (the handler's `failed` hook
 * records it in the same transaction); or handed back on shutdown. A runner that dies
 * leaves its lease to expire, and the job is taken over by the next claim.
 */
export class JobRunner {
  private readonly repo: JobsRepository;
  private readonly handlers = new Map<string, Registered>();
  private readonly attempts = new Map<string, Attempt>();
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  /** When the current sleep ends (epoch ms); a nudge for a later job need not wake the loop. */
  private sleepUntil = 0;
  private lastPrune = 0;
  private failingSince?: number;

  private scheduler!: DataSource;
  private readonly settings: JobRunnerSettings;

  constructor(
    private readonly uow: UnitOfWork,
    schema: string,
    settings: Partial<JobRunnerSettings> = {},
  ) {
    this.repo = new JobsRepository(schema);
    this.settings = { ...DEFAULT_JOB_SETTINGS, ...settings };
  }

  register<P, In>(def: JobDef<P, In>, handler: JobHandler<P>): void {
    if (this.handlers.has(def.kind)) throw new Error(`job ${def.kind} has two handlers`);
    this.handlers.set(def.kind, { def: def as unknown as JobDef<unknown>, handler: handler as JobHandler<unknown> });
  }

  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** Jobs running in this process now (ids). */
  get running(): string[] {
    return [...this.attempts.keys()];
  }

  /**
   * Starts claiming. `scheduler` is a connection pool as the service's relay role (it sees
   * every tenant's scheduling columns); tenant work goes through the unit of work.
   */
  start(scheduler: DataSource): void {
    if (this.loop || this.handlers.size === 0) return;
    this.scheduler = scheduler;
    this.loop = runWithoutContext(() => this.run());
  }

  /**
   * Looks for due jobs now (after a commit that enqueued one), or, for a job due `delayMs`
   * from now, only if the loop would otherwise sleep past it: a timer far ahead costs the
   * runner nothing until its next poll.
   */
  readonly nudge = (delayMs = 0): void => {
    if (delayMs > 0 && Date.now() + delayMs >= this.sleepUntil) return;
    this.wake?.();
  };

  /**
   * Stops claiming, asks running attempts to stop between steps and waits up to `graceMs`
   * for them; each stopped attempt's job is handed back to the queue at once (not counted
   * as an attempt). Attempts still running after the grace keep their lease until it
   * expires, and their steps can no longer commit once another runner takes the job.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    for (const a of this.attempts.values()) {
      a.shuttingDown = true;
      a.controller.abort(new JobAborted('the service is shutting down'));
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
    const attempts = [...this.attempts.values()];
    await Promise.race([Promise.allSettled(attempts.flatMap((a) => [a.done, a.handler ?? Promise.resolve()])), grace]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const kinds = this.kinds;
    while (!this.stopping) {
      let wait = this.settings.pollMs;
      try {
        const free = this.settings.concurrency - this.attempts.size;
        if (free > 0) {
          const claimed = await this.repo.claim(this.scheduler, this.owner, kinds, free, this.settings.leaseMs);
          for (const job of claimed) this.launch(job);
          if (claimed.length === free) wait = 0;
          else {
            const due = await this.repo.nextDueInMs(this.scheduler, kinds);
            if (due !== null) wait = Math.min(this.settings.pollMs, Math.max(5, Math.ceil(due) + 5));
          }
        }
        await this.maybePrune();
        if (this.failingSince !== undefined) logger().info({ downMs: Date.now() - this.failingSince }, 'job runner reaches the database again');
        this.failingSince = undefined;
      } catch (err) {
        // One line when the database goes away, not one per poll.
        if (this.failingSince === undefined) logger().warn({ err: message(err) }, 'job runner cannot claim jobs; retrying every poll');
        this.failingSince ??= Date.now();
      }
      if (wait > 0 && !this.stopping) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    this.sleepUntil = Date.now() + ms;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.sleepUntil = 0;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private async maybePrune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3600_000) return;
    this.lastPrune = Date.now();
    const pruned = await this.repo.prune(this.scheduler, this.settings.retentionMs);
    if (pruned) logger().info({ pruned }, 'finished jobs pruned');
  }

  private launch(job: ClaimedJob): void {
    const attempt: Attempt = { job, controller: new AbortController(), done: Promise.resolve(), shuttingDown: false };
    this.attempts.set(job.id, attempt);
    jobMetrics.running().inc();
    attempt.done = this.attempt(attempt).finally(() => {
      this.attempts.delete(job.id);
      jobMetrics.running().dec();
      this.wake?.();
    });
  }

  private async attempt(a: Attempt): Promise<void> {
    const { job, controller } = a;
    const registered = this.handlers.get(job.kind)!;
    const started = process.hrtime.bigint();
    const log = { job_id: job.id, kind: job.kind, tenant_id: job.tenantId, attempt: job.attempts };
    const heartbeat = setInterval(() => {
      this.repo.heartbeat(this.scheduler, job.id, job.leaseToken, this.settings.leaseMs).then(
        (held) => (held ? undefined : controller.abort(new JobLeaseLost(job.id))),
        (err: unknown) => logger().warn({ ...log, err: message(err) }, 'job lease renewal failed'),
      );
    }, Math.max(50, Math.floor(this.settings.leaseMs / 3)));
    const timeout = setTimeout(() => controller.abort(new JobAborted(`attempt ${job.attempts} timed out after ${registered.def.timeoutMs} ms`)), registered.def.timeoutMs);
    let outcome: string;
    try {
      outcome = await this.execute(a, registered);
    } catch (err) {
      const ctx = { tenantId: job.tenantId, actor: { kind: 'system' as const, id: `job:${job.kind}` }, correlationId: job.id };
      outcome = await runWithContext(ctx, () => this.settle(a, registered, err));
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    jobMetrics.outcomes().inc({ kind: job.kind, outcome });
    jobMetrics.duration().observe({ kind: job.kind }, Number(process.hrtime.bigint() - started) / 1e9);
    const level = outcome === 'failed' ? 'error' : outcome === 'completed' ? 'info' : 'warn';
    logger()[level]({ ...log, outcome }, `job ${outcome}`);
  }

  /** Runs the handler; returns the outcome once the job is recorded as completed. */
  private async execute(a: Attempt, { def, handler }: Registered): Promise<string> {
    const { job, controller } = a;
    if (job.attempts > job.maxAttempts) throw new JobFailed(`attempt ${job.attempts - 1} of ${job.maxAttempts} stopped without finishing (its process died or hung)`);
    const body = await this.uow.forTenant(job.tenantId, (tx) => this.repo.body(tx, job.id, job.leaseToken));
    if (!body) throw new JobLeaseLost(job.id);
    const parsed = def.payload.safeParse(body.payload);
    if (!parsed.success) throw new JobFailed(`the payload does not match ${def.kind}: ${parsed.error.message.slice(0, 500)}`);
    let progress = body.progress;
    const leaseMs = this.settings.leaseMs;
    const repo = this.repo;
    const uow = this.uow;
    const running: RunningJob<unknown> = {
      id: job.id,
      kind: job.kind,
      tenantId: job.tenantId,
      payload: parsed.data,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      get progress() {
        return progress;
      },
      signal: controller.signal,
      async step<T>(work: (tx: Tx) => Promise<T>, report?: (result: T) => JobProgress | null): Promise<T> {
        if (controller.signal.aborted) throw controller.signal.reason;
        const result = await uow.forTenant(job.tenantId, async (tx) => {
          if (!(await repo.lockForStep(tx, job.id, job.leaseToken))) throw new JobLeaseLost(job.id);
          const r = await work(tx);
          const next = report?.(r);
          await repo.recordStep(tx, job.id, next, leaseMs);
          if (next) progress = next;
          return r;
        });
        return result;
      },
    };
    const ctx = { tenantId: job.tenantId, actor: decodeActor(body.actor), correlationId: body.correlationId };
    a.handler = runWithContext(ctx, () => handler.run(running));
    a.handler.catch(() => undefined); // its error is settled below (or superseded by the abort)
    // A handler that ignores the signal must not hold the slot and the lease forever: once
    // aborted, the outcome is settled; its later steps fail the lease check and commit nothing.
    await Promise.race([a.handler, aborted(controller.signal)]);
    if (controller.signal.aborted) throw controller.signal.reason;
    const completed = await this.uow.forTenant(job.tenantId, (tx) => this.repo.complete(tx, job.id, job.leaseToken));
    if (!completed) throw new JobLeaseLost(job.id);
    return 'completed';
  }

  /** Records why an attempt ended without completing; returns the outcome. */
  private async settle(a: Attempt, { def, handler }: Registered, err: unknown): Promise<string> {
    const { job } = a;
    // An abort reason beats what the handler threw because of the abort.
    const cause = a.controller.signal.aborted && !(err instanceof JobFailed) ? a.controller.signal.reason : err;
    try {
      if (cause instanceof JobLeaseLost) return 'lease-lost';
      if (cause instanceof JobAborted && a.shuttingDown) {
        await this.repo.release(this.scheduler, job.id, job.leaseToken);
        return 'released';
      }
      const reason = message(cause);
      if (!(cause instanceof JobFailed) && job.attempts < job.maxAttempts) {
        const delay = retryDelayMs(job.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs, Math.random());
        logger().warn({ job_id: job.id, kind: job.kind, attempt: job.attempts, retryInMs: delay, err: reason }, 'job attempt failed; retrying');
        await this.uow.forTenant(job.tenantId, (tx) => this.repo.retry(tx, job.id, job.leaseToken, delay, reason));
        return 'retried';
      }
      await this.uow.forTenant(job.tenantId, async (tx) => {
        const failed = await this.repo.fail(tx, job.id, job.leaseToken, reason);
        if (!failed) throw new JobLeaseLost(job.id);
        const parsed = def.payload.safeParse(failed.payload);
        await handler.failed?.(tx, { id: job.id, tenantId: job.tenantId, payload: parsed.success ? parsed.data : failed.payload, reason });
      });
      return 'failed';
    } catch (recordErr) {
      if (recordErr instanceof JobLeaseLost) return 'lease-lost';
      // The outcome could not be recorded (database down): the lease expires and the job is claimed again.
      logger().error({ job_id: job.id, kind: job.kind, err: message(recordErr) }, 'job outcome could not be recorded; it will be retried once its lease expires');
      return 'unrecorded';
    }
  }
}
