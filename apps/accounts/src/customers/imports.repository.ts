import { Injectable } from '@nestjs/common';
import type { ImportJobDto, ImportRowError } from '@steward/contracts';
import { returnedRows, Tx } from '@steward/persistence';

const COLUMNS = `id, status, filename, total_rows AS "totalRows", processed_rows AS "processedRows", created, updated, unchanged, failed, errors,
  started_at AS "startedAt", finished_at AS "finishedAt", submitted_at AS "submittedAt", failure_reason AS "failureReason"`;
type JobRow = Omit<ImportRecord, 'startedAt' | 'finishedAt' | 'submittedAt'> & { startedAt: Date; finishedAt: Date | null; submittedAt: Date | null };

/** An import as stored: the contract's job without the durable job's attempts, plus when its upload completed. */
export type ImportRecord = Omit<ImportJobDto, 'attempts'> & { submittedAt: string | null };

const toRecord = (r: JobRow): ImportRecord => ({
  ...r,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  submittedAt: r.submittedAt?.toISOString() ?? null,
});

/** One staged CSV row waiting for the import job. */
export interface StagedRow {
  seq: number;
  line: number;
  data: Record<string, string>;
}

/** Row errors kept per job: enough to fix a file, bounded so a broken file cannot bloat the row. */
export const MAX_IMPORT_ERRORS = 1000;

/** Named queries on `accounts.import_jobs` (progress, row errors) and `accounts.import_rows` (rows staged for the job). */
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

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<ImportRecord | null> {
    const [row]: JobRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.import_jobs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toRecord(row) : null;
  }

  /** Stages rows `firstRow…` of the file; rows already staged (a chunk sent again) are kept as they are. */
  async stage(tx: Tx, id: string, firstRow: number, lines: number[], rows: Array<Record<string, string>>): Promise<number> {
    const inserted = returnedRows(
      await tx.query(
        `INSERT INTO accounts.import_rows (import_id, seq, tenant_id, line, data)
         SELECT $1, $2 + u.ord - 1, $3, u.line, d.data FROM unnest($4::int[]) WITH ORDINALITY AS u(line, ord)
         JOIN jsonb_array_elements($5::jsonb) WITH ORDINALITY AS d(data, ord) USING (ord)
         ON CONFLICT (import_id, seq) DO NOTHING RETURNING seq`,
        // The rows as one JSON array, not a jsonb[] (whose text form escapes every quote again and is parsed twice).
        [id, firstRow, tx.scope.tenantId, lines, JSON.stringify(rows)],
      ),
    );
    return inserted.length;
  }

  async stagedCount(tx: Tx, id: string): Promise<number> {
    const [row]: Array<{ n: string }> = await tx.query(`SELECT count(*) AS n FROM accounts.import_rows WHERE import_id = $1`, [id]);
    return Number(row?.n ?? 0);
  }

  async markSubmitted(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE accounts.import_jobs SET submitted_at = now() WHERE id = $1`, [id]);
  }

  /** The next staged rows in file order. */
  async nextRows(tx: Tx, id: string, limit: number): Promise<StagedRow[]> {
    return tx.query(`SELECT seq, line, data FROM accounts.import_rows WHERE import_id = $1 ORDER BY seq LIMIT $2`, [id, limit]);
  }

  /** Drops staged rows once processed (in the transaction that processed them). */
  async dropRows(tx: Tx, id: string, upToSeq: number): Promise<void> {
    await tx.query(`DELETE FROM accounts.import_rows WHERE import_id = $1 AND seq <= $2`, [id, upToSeq]);
  }

  async complete(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE accounts.import_jobs SET status = 'completed', finished_at = now() WHERE id = $1 AND status = 'running'`, [id]);
  }

  /** Ends a running import as failed with its reason (kept as a file-level row error too) and drops what was left unprocessed. */
  async fail(tx: Tx, id: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE accounts.import_jobs SET status = 'failed', finished_at = now(), failure_reason = $2, errors = errors || $3::jsonb WHERE id = $1 AND status = 'running'`,
      [id, reason, JSON.stringify([{ line: 0, field: '(file)', rule: 'aborted', message: reason }])],
    );
    await tx.query(`DELETE FROM accounts.import_rows WHERE import_id = $1`, [id]);
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
