import type { z } from 'zod';
import type { Tx } from '@steward/persistence';

/**
 * A kind of durable job, declared once next to the feature that runs it: its name (stored
 * in every row: a wire name) and the schema of its payload. Enqueueing and handling are
 * typed by it, as subjects type requests.
 */
export interface JobDef<P = unknown, In = P> {
  /** WARNING: stored in the jobs table; renaming one orphans queued jobs. `<service>.<noun>[-<verb>]`. */
  readonly kind: string;
  /** Parsed when enqueued (`In`) and again before each attempt (the handler gets `P`). */
  readonly payload: z.ZodType<P, In>;
  /** Attempts before the job fails for good (default 5). */
  readonly maxAttempts: number;
  /** Longest one attempt may run before it is aborted and retried (default 15 minutes). */
  readonly timeoutMs: number;
}

export type JobPayload<D> = D extends JobDef<infer P, unknown> ? P : never;

const KIND = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/;

/** Declares a job kind. */
export function defineJob<P, In = P>(kind: string, payload: z.ZodType<P, In>, options: { maxAttempts?: number; timeoutMs?: number } = {}): JobDef<P, In> {
  if (!KIND.test(kind)) throw new Error(`job kind "${kind}" must look like service.noun (lower case)`);
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`job ${kind}: maxAttempts must be a positive integer`);
  return { kind, payload, maxAttempts, timeoutMs: options.timeoutMs ?? 15 * 60_000 };
}

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** How far a job got: steps done of a total when known, as the handler reports it. */
export interface JobProgress {
  done: number;
  total: number | null;
}

/** What a feature can read about one of its jobs (tenant-scoped). */
export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progress: JobProgress | null;
  lastError: string | null;
  runAt: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** One attempt of a job, as its handler sees it. */
export interface RunningJob<P> {
  readonly id: string;
  readonly kind: string;
  readonly tenantId: string;
  readonly payload: P;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The progress the last committed step reported (where an interrupted job resumes). */
  readonly progress: JobProgress | null;
  /** Aborted on shutdown, on timeout and when the lease is lost: stop between steps. */
  readonly signal: AbortSignal;
  /**
   * Runs one unit of the job's work in one tenant transaction that first locks the job row
   * under this attempt's lease. What `work` writes and the progress it reports commit
   * together, or not at all: a step interrupted by a crash is rolled back and done again by
   * the next attempt; a step of an attempt whose lease was taken over fails with
   * {@link JobLeaseLost} and commits nothing.
   */
  step<T>(work: (tx: Tx) => Promise<T>, progress?: (result: T) => JobProgress | null): Promise<T>;
}

/** Handles one job kind: registered with `r.job(def, handler)` by a feature's `@NatsHandlers()` adapters. */
export interface JobHandler<P> {
  run(job: RunningJob<P>): Promise<void>;
  /**
   * Called once when the job fails for good (attempts used up, or {@link JobFailed}), in the
   * transaction that marks it failed: the feature records the final state and the reason.
   */
  failed?(tx: Tx, job: { id: string; tenantId: string; payload: P; reason: string }): Promise<unknown>;
}

/** Thrown by a handler to fail the job for good, without further attempts, with a reason. */
export class JobFailed extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JobFailed';
  }
}

/** The attempt no longer holds the job's lease (another runner took it over): nothing of the step was kept. */
export class JobLeaseLost extends Error {
  constructor(id: string) {
    super(`job ${id}: lease lost, the step was rolled back`);
    this.name = 'JobLeaseLost';
  }
}

/** The attempt was stopped (shutdown, timeout) between steps. */
export class JobAborted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JobAborted';
  }
}

/** How the runner schedules (the kit's JOBS_* settings). */
export interface JobRunnerSettings {
  /** Jobs run at once by this process. */
  concurrency: number;
  /** Longest wait between two looks for due jobs (other replicas' jobs, expired leases). */
  pollMs: number;
  /** How long a claim holds without renewal; a dead runner's job is taken over after this. */
  leaseMs: number;
  /** First retry delay; doubles per attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Finished jobs are deleted after this. */
  retentionMs: number;
}

export const DEFAULT_JOB_SETTINGS: JobRunnerSettings = {
  concurrency: 2,
  pollMs: 1000,
  leaseMs: 30_000,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  retentionMs: 7 * 24 * 3600_000,
};

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` failed: exponential from
 * `baseMs`, capped at `maxMs`, with up to 20 % jitter (`random` in [0, 1)) so replicas that
 * failed together do not retry together.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (1 + 0.2 * random));
}
