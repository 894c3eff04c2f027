import { encodeActor } from '@steward/contracts';
import { afterCommit, Tx, uuidv7 } from '@steward/persistence';
import { currentContext } from '@steward/telemetry';
import type { JobDef, JobView } from './job';
import { JobsRepository } from './jobs.repository';

export interface EnqueueOptions {
  /** The job's id (default: a new UUIDv7). A feature may reuse its own record's id. */
  id?: string;
  /** Start no earlier than this many milliseconds after the commit (default 0). */
  delayMs?: number;
  /**
   * Debounce: while a job of this kind and key waits un-started in the tenant, enqueueing
   * again moves its start to `delayMs` from now (never beyond `maxDelayMs` after it was
   * first enqueued) and replaces its payload, instead of adding a job. At most one job of a
   * key runs at a time. `ifAbsent`: leave a waiting job of the key as it is (no row lock on
   * it, so a hot path can ask for "a job soon" on every write without queueing on that row).
   */
  debounce?: { key: string; maxDelayMs?: number; ifAbsent?: boolean };
  /** Overrides the kind's maxAttempts. */
  maxAttempts?: number;
}

/**
 * What features use to start durable work (the kit's `JOBS` token): a job is written in the
 * caller's tenant transaction, so it exists if and only if the change that asked for it
 * committed, and runs after the commit on whichever replica claims it first.
 */
export class JobQueue {
  private readonly repo: JobsRepository;
  private nudge?: (delayMs?: number) => void;

  constructor(schema: string) {
    this.repo = new JobsRepository(schema);
  }

  /** Lets the in-process runner claim right after commit instead of at its next poll (told how far ahead the job is due). */
  onEnqueue(nudge: (delayMs?: number) => void): void {
    this.nudge = nudge;
  }

  async enqueue<P, In>(tx: Tx, def: JobDef<P, In>, payload: In, options: EnqueueOptions = {}): Promise<string> {
    const parsed = def.payload.parse(payload);
    const ctx = currentContext();
    const id = await this.repo.insert(tx, {
      id: options.id ?? uuidv7(),
      kind: def.kind,
      payload: parsed ?? null,
      dedupeKey: options.debounce?.key ?? null,
      delayMs: Math.max(0, options.delayMs ?? 0),
      maxDelayMs: options.debounce?.maxDelayMs ?? null,
      ifAbsent: options.debounce?.ifAbsent === true,
      maxAttempts: options.maxAttempts ?? def.maxAttempts,
      actor: encodeActor(ctx?.actor ?? { kind: 'system', id: def.kind }),
      correlationId: ctx?.correlationId ?? uuidv7(),
    });
    const nudge = this.nudge;
    if (nudge) afterCommit(tx, () => nudge(Math.max(0, options.delayMs ?? 0)));
    return id;
  }

  /**
   * Moves a job that waits un-started to start `delayMs` after now, earlier or later (a
   * timer whose deadline moved); false if it is not waiting (running or finished): enqueue
   * a new one then.
   */
  async reschedule(tx: Tx, id: string, delayMs: number): Promise<boolean> {
    const moved = await this.repo.reschedule(tx, id, Math.max(0, delayMs));
    const nudge = this.nudge;
    if (moved && nudge) afterCommit(tx, () => nudge(Math.max(0, delayMs)));
    return moved;
  }

  /** Starts a queued job now (e.g. once its input is complete); false if it is not waiting. */
  async runNow(tx: Tx, id: string): Promise<boolean> {
    const moved = await this.repo.runNow(tx, id);
    const nudge = this.nudge;
    if (moved && nudge) afterCommit(tx, () => nudge());
    return moved;
  }

  /** Fails a job that has not started yet, with a reason; false if it is not waiting. */
  cancel(tx: Tx, id: string, reason: string): Promise<boolean> {
    return this.repo.cancel(tx, id, reason);
  }

  /** The newest job of a kind in the transaction's tenant (e.g. the last rebuild, for its status), or null. */
  latest<P, In>(tx: Tx, def: JobDef<P, In>): Promise<JobView | null> {
    return this.repo.latest(tx, def.kind);
  }

  /** A job of the transaction's tenant, or null. */
  get(tx: Tx, id: string): Promise<JobView | null> {
    return this.repo.find(tx, id);
  }
}
