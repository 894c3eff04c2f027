import { Injectable } from '@nestjs/common';
import type { ImportJobDto, ImportRowError } from '@steward/contracts';
import { Tx } from '@steward/persistence';

const COLUMNS = `id, status, filename, total_rows AS "totalRows", processed_rows AS "processedRows", created, updated, unchanged, failed, errors,
  started_at AS "startedAt", finished_at AS "finishedAt"`;
type JobRow = Omit<ImportJobDto, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null };
const toDto = (r: JobRow): ImportJobDto => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/** Row errors kept per job: enough to fix a file, bounded so a broken file cannot bloat the row. */
export const MAX_IMPORT_ERRORS = 1000;

/** Named queries on `accounts.import_jobs` (CSV import progress and row errors). */
@Injectable()
export class ImportsRepository {
  async insert(tx: Tx, job: { id: string; filename: string | null; totalRows: number; createdBy: string }): Promise<void> {
    await tx.query(`INSERT INTO accounts.import_jobs (id, tenant_id, status, filename, total_rows, created_by) VALUES ($1, $2, 'running', $3, $4, $5)`, [
      job.id,
      tx.scope.tenantId,
      job.filename,
      job.totalRows,
      job.createdBy,
    ]);
  }

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<ImportJobDto | null> {
    const [row]: JobRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.import_jobs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  /** Closes a running job; a failure reason is kept as a file-level row error. */
  async finish(tx: Tx, id: string, failed: string | undefined): Promise<void> {
    await tx.query(`UPDATE accounts.import_jobs SET status = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [id, failed ? 'failed' : 'completed']);
    if (failed) await tx.query(`UPDATE accounts.import_jobs SET errors = errors || $2::jsonb WHERE id = $1`, [id, JSON.stringify([{ line: 0, field: '(file)', rule: 'aborted', message: failed }])]);
  }

  /** Adds one chunk's counts and row errors (errors stop growing at {@link MAX_IMPORT_ERRORS}). */
  async recordChunk(tx: Tx, id: string, c: { rows: number; created: number; updated: number; unchanged: number; failed: number; errors: ImportRowError[] }): Promise<void> {
    await tx.query(
      `UPDATE accounts.import_jobs SET processed_rows = processed_rows + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5,
              failed = failed + $6, errors = CASE WHEN jsonb_array_length(errors) >= ${MAX_IMPORT_ERRORS} THEN errors ELSE errors || $7::jsonb END
       WHERE id = $1`,
      [id, c.rows, c.created, c.updated, c.unchanged, c.failed, JSON.stringify(c.errors)],
    );
  }
}
