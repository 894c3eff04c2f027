import { deferWrite, ident, returnedRows, Tx } from '@steward/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { JobProgress, JobStatus, JobView } from './job';

/** A job this runner has just claimed (scheduling columns only: the relay role sees no payload). */
export interface ClaimedJob {
  id: string;
  tenantId: string;
  kind: string;
  /** Including this attempt. Above maxAttempts: the previous attempt died holding the lease. */
  attempts: number;
  maxAttempts: number;
  leaseToken: string;
}

/** The rest of a claimed job, read in its tenant's transaction. */
export interface JobBody {
  payload: unknown;
  progress: JobProgress | null;
  actor: string;
  correlationId: string;
}

const ms = (p: string) => `(${p}::double precision * interval '1 millisecond')`;
// A job's delay counts from when its statement runs (`clock_timestamp()`), not from its
// transaction's start (`now()`): the service measured the delay just before, so a job counted
// from the transaction's start could become due a few milliseconds before what it waits for.
// A deferred insert runs at the COMMIT, later still. Handlers re-check due times anyway (the
// service's and the database's clocks can differ).

const VIEW_COLUMNS = `id, kind, status, attempts, max_attempts AS "maxAttempts", progress, last_error AS "lastError", run_at AS "runAt",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

/**
 * Every statement on `<schema>.jobs`. Scheduling (claim, lease renewal, release, pruning)
 * runs on the scheduler's connection as the relay role, across tenants, touching only
 * scheduling columns; everything that reads or writes a job's content runs in the job's
 * tenant transaction (`Tx`), under row-level security, fenced by the attempt's lease token.
 */
export class JobsRepository {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${ident(schema)}.jobs`;
  }

  // ---- tenant transactions (runtime role) ----

  async insert(
    tx: Tx,
    job: { id: string; kind: string; payload: unknown; dedupeKey: string | null; delayMs: number; maxDelayMs: number | null; ifAbsent?: boolean; maxAttempts: number; actor: string; correlationId: string },
  ): Promise<string> {
    const insert = `INSERT INTO ${this.table} (id, tenant_id, kind, payload, dedupe_key, run_at, max_attempts, actor, correlation_id)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp() + ${ms('$6')}, $7, $8, $9)`;
    const params = [job.id, tx.scope.tenantId, job.kind, JSON.stringify(job.payload), job.dedupeKey, job.delayMs, job.maxAttempts, job.actor, job.correlationId];
    if (job.dedupeKey === null) {
      // Nothing to debounce, so the answer is known (the job's own id): the insert travels
      // with the transaction's next statement or its COMMIT (deferWrite).
      await deferWrite(tx, insert, params);
      return job.id;
    }
    const waiting = `ON CONFLICT (tenant_id, kind, dedupe_key) WHERE status = 'queued' AND attempts = 0 AND dedupe_key IS NOT NULL`;
    if (job.ifAbsent) {
      // DO NOTHING takes no lock on a waiting job of the key: writers never queue on it.
      const inserted: Array<{ id: string }> = await tx.query(`${insert} ${waiting} DO NOTHING RETURNING id`, params);
      return inserted[0]?.id ?? job.id;
    }
    const rows: Array<{ id: string }> = await tx.query(
      `${insert} ${waiting}
       DO UPDATE SET payload = EXCLUDED.payload, updated_at = now(),
         run_at = CASE WHEN $10::double precision IS NULL THEN GREATEST(jobs.run_at, EXCLUDED.run_at)
                       ELSE LEAST(GREATEST(jobs.run_at, EXCLUDED.run_at), GREATEST(jobs.created_at + ${ms('$10')}, now())) END
       RETURNING id`,
      [...params, job.maxDelayMs],
    );
    return rows[0]!.id;
  }

  async find(tx: Tx, id: string): Promise<JobView | null> {
    const [row]: JobView[] = await tx.query(`SELECT ${VIEW_COLUMNS} FROM ${this.table} WHERE id = $1`, [id]);
    return row ?? null;
  }

  async latest(tx: Tx, kind: string): Promise<JobView | null> {
    const [row]: JobView[] = await tx.query(`SELECT ${VIEW_COLUMNS} FROM ${this.table} WHERE kind = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [kind]);
    return row ?? null;
  }

  async reschedule(tx: Tx, id: string, delayMs: number): Promise<boolean> {
    const rows = returnedRows(await tx.query(`UPDATE ${this.table} SET run_at = clock_timestamp() + ${ms('$2')}, updated_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`, [id, delayMs]));
    return rows.length > 0;
  }

  async runNow(tx: Tx, id: string): Promise<boolean> {
    const rows = returnedRows(await tx.query(`UPDATE ${this.table} SET run_at = now(), updated_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`, [id]));
    return rows.length > 0;
  }

  async cancel(tx: Tx, id: string, reason: string): Promise<boolean> {
    const rows = returnedRows(
      await tx.query(
      `UPDATE ${this.table} SET status = 'failed', last_error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`,
      [id, reason],
      ),
    );
    return rows.length > 0;
  }

  /** The body of a claimed job, if this attempt still holds its lease. */
  async body(tx: Tx, id: string, leaseToken: string): Promise<JobBody | null> {
    const [row]: JobBody[] = await tx.query(
      `SELECT payload, progress, actor, correlation_id AS "correlationId" FROM ${this.table} WHERE id = $1 AND lease_token = $2 AND status = 'running'`,
      [id, leaseToken],
    );
    return row ?? null;
  }

  /** Locks the job row for one step; false when the attempt lost its lease. */
  async lockForStep(tx: Tx, id: string, leaseToken: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM ${this.table} WHERE id = $1 AND lease_token = $2 AND status = 'running' FOR UPDATE`, [id, leaseToken]);
    return rows.length > 0;
  }

  /** Records a step's progress and renews the lease, in the step's transaction (the row is locked). */
  async recordStep(tx: Tx, id: string, progress: JobProgress | null | undefined, leaseMs: number): Promise<void> {
    // Deferred: the row is locked by this step, so the update cannot miss; it travels with the COMMIT.
    await deferWrite(
      tx,
      `UPDATE ${this.table} SET progress = CASE WHEN $2::jsonb IS NULL THEN progress ELSE $2::jsonb END, lease_until = now() + ${ms('$3')}, updated_at = now() WHERE id = $1`,
      [id, progress === undefined || progress === null ? null : JSON.stringify(progress), leaseMs],
    );
  }

  async complete(tx: Tx, id: string, leaseToken: string): Promise<boolean> {
    const rows = returnedRows(
      await tx.query(
      `UPDATE ${this.table} SET status = 'completed', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_token = NULL, lease_until = NULL
       WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
      [id, leaseToken],
      ),
    );
    return rows.length > 0;
  }

  async retry(tx: Tx, id: string, leaseToken: string, delayMs: number, error: string): Promise<boolean> {
    const rows = returnedRows(
      await tx.query(
      `UPDATE ${this.table} SET status = 'queued', run_at = clock_timestamp() + ${ms('$3')}, last_error = $4, updated_at = now(), lease_owner = NULL, lease_token = NULL, lease_until = NULL
       WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
      [id, leaseToken, delayMs, error],
      ),
    );
    return rows.length > 0;
  }

  /** Marks the job failed for good; returns its payload (for the handler's `failed` hook), or null without the lease. */
  async fail(tx: Tx, id: string, leaseToken: string, reason: string): Promise<{ payload: unknown } | null> {
    const [row] = returnedRows<{ payload: unknown }>(await tx.query(
      `UPDATE ${this.table} SET status = 'failed', last_error = $3, finished_at = now(), updated_at = now(), lease_owner = NULL, lease_token = NULL, lease_until = NULL
       WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING payload`,
      [id, leaseToken, reason],
    ));
    return row ?? null;
  }

  // ---- scheduler connection (relay role, every tenant, scheduling columns only) ----

  /**
   * Claims up to `limit` due jobs of the given kinds: queued ones whose time has come
   * (a debounced one only while no job of its key runs), and running ones whose lease
   * expired (their runner died). SKIP LOCKED: replicas claim side by side, never the same job.
   */
  async claim(db: DataSource, owner: string, kinds: string[], limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    return returnedRows<ClaimedJob>(await db.query(
      `UPDATE ${this.table} j SET status = 'running', attempts = j.attempts + 1, lease_owner = $1, lease_token = gen_random_uuid(),
              lease_until = now() + ${ms('$4')}, started_at = coalesce(j.started_at, now()), updated_at = now()
       WHERE j.id IN (
         SELECT q.id FROM ${this.table} q
         WHERE q.kind = ANY($2::text[]) AND (
           (q.status = 'queued' AND q.run_at <= now() AND (q.dedupe_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM ${this.table} r WHERE r.status = 'running' AND r.dedupe_key = q.dedupe_key AND r.tenant_id = q.tenant_id AND r.kind = q.kind AND r.lease_until > now())))
           OR (q.status = 'running' AND q.lease_until < now()))
         ORDER BY q.run_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.tenant_id AS "tenantId", j.kind, j.attempts, j.max_attempts AS "maxAttempts", j.lease_token AS "leaseToken"`,
      [owner, kinds, limit, leaseMs],
    ));
  }

  /** Renews a lease; false when the attempt no longer holds it. */
  async heartbeat(db: DataSource, id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    const rows = returnedRows(
      await db.query(
      `UPDATE ${this.table} SET lease_until = now() + ${ms('$3')}, updated_at = now() WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
      [id, leaseToken, leaseMs],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Hands an interrupted attempt back (graceful shutdown): queued again at once and the
   * attempt not counted, unless that would collide with a newer waiting job of the same key.
   */
  async release(db: DataSource | EntityManager, id: string, leaseToken: string): Promise<boolean> {
    const rows = returnedRows(
      await db.query(
      `UPDATE ${this.table} j SET status = 'queued', run_at = now(), updated_at = now(), lease_owner = NULL, lease_token = NULL, lease_until = NULL,
              attempts = CASE WHEN j.attempts <= 1 AND j.dedupe_key IS NOT NULL AND EXISTS (
                SELECT 1 FROM ${this.table} o WHERE o.status = 'queued' AND o.attempts = 0 AND o.tenant_id = j.tenant_id AND o.kind = j.kind AND o.dedupe_key = j.dedupe_key)
                THEN j.attempts ELSE greatest(j.attempts - 1, 0) END
       WHERE j.id = $1 AND j.lease_token = $2 AND j.status = 'running' RETURNING j.id`,
      [id, leaseToken],
      ),
    );
    return rows.length > 0;
  }

  /** Milliseconds until the next queued job of these kinds is due or a lease expires (null: none). */
  async nextDueInMs(db: DataSource, kinds: string[]): Promise<number | null> {
    const [row]: Array<{ ms: number | null }> = await db.query(
      `SELECT extract(epoch FROM (min(t) - now())) * 1000 AS ms FROM (
         SELECT min(run_at) AS t FROM ${this.table} WHERE status = 'queued' AND kind = ANY($1::text[])
         UNION ALL SELECT min(lease_until) FROM ${this.table} WHERE status = 'running' AND kind = ANY($1::text[])) due`,
      [kinds],
    );
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  /** Deletes finished jobs older than the retention. */
  async prune(db: DataSource, retentionMs: number): Promise<number> {
    const rows = returnedRows(await db.query(`DELETE FROM ${this.table} WHERE finished_at < now() - ${ms('$1')} RETURNING id`, [retentionMs]));
    return rows.length;
  }
}

export type { JobStatus };
