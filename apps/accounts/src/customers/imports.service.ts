import { Inject, Injectable } from '@nestjs/common';
import {
  AccountChangedEvent,
  AccountDto,
  actorRef,
  CreateAccountRequest,
  ErrorCode,
  Events,
  ImportJobDto,
  ImportRowError,
  ImportRowsRequest,
  restoreCsvCell,
  StartImportRequest,
  StewardError,
  SubmitImportRequest,
  toFieldErrors,
} from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, UnitOfWork, withSavepoint } from '@steward/persistence';
import { JobFailed, JobQueue, JOBS, OUTBOX, RunningJob, SERVICE_CONFIG, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { Directory } from '../identity/directory';
import { toAccountDto } from './account.row';
import { ACCOUNT_FIELDS, AccountField } from './accounts.repository';
import { AccountsService } from './accounts.service';
import type { AccountsConfig } from '../config';
import { ImportAccountsJob } from './customers.jobs';
import { ImportRecord, ImportsRepository, MAX_IMPORT_ERRORS, StagedRow } from './imports.repository';
import { authorize } from './scope';

/** JSON with sorted object keys: attribute order in a file or in jsonb must not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const BOOL: Record<string, boolean> = { true: true, yes: true, '1': true, y: true, false: false, no: false, '0': false, n: false, '': false };
/** Columns a CSV export carries that an import does not write (so an export can be re-imported as is). */
const READ_ONLY_COLUMNS = ['id', 'tier', 'computedTier', 'tierReason', 'revenue12m', 'currency', 'createdAt', 'updatedAt', 'deletedAt', 'version'];
const IMPORT_COLUMNS = ['externalId', 'name', 'industry', 'region', 'sizeBand', 'ownerId', 'ownerEmail', 'csmId', 'csmEmail', 'leadChannel', 'leadPartnerId', 'strategic', 'highPotential', 'lifecycle'];

/**
 * CSV import of accounts, idempotent on externalId, run as a durable job
 * (docs/adr/0014-durable-jobs.md). The gateway parses the file, opens the import (which
 * enqueues its job, due only after the upload deadline), stores the rows in chunks and
 * submits it; the job then upserts the staged rows chunk by chunk, each chunk in one
 * transaction with its counts, row errors and events, dropping the rows it processed. An
 * interrupted job resumes with the rows left; an upload that never completes fails the
 * import with a reason once the deadline passes.
 */
@Injectable()
export class ImportsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(SERVICE_CONFIG) private readonly config: AccountsConfig,
    private readonly repo: ImportsRepository,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
  ) {}

  start(ctx: RequestContext, req: StartImportRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      const id = uuidv7();
      await this.repo.insert(tx, { id, filename: req.filename ?? null, totalRows: req.totalRows, createdBy: actorRef(ctx.actor) });
      // Due only at the upload deadline: submitting the import makes it due at once.
      await this.jobs.enqueue(tx, ImportAccountsJob, { importId: id }, { id, delayMs: this.config.app.importUploadTimeoutMs });
      return this.job(tx, id);
    });
  }

  get(ctx: RequestContext, id: string): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, (tx) => this.job(tx, id));
  }

  /** Stores one chunk of an open import's rows. */
  rows(ctx: RequestContext, req: ImportRowsRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      const job = await this.open(tx, req.jobId);
      if (req.firstRow + req.rows.length > job.totalRows) {
        throw StewardError.validation([{ field: 'rows', rule: 'max', message: `rows ${req.firstRow}-${req.firstRow + req.rows.length - 1} are beyond the ${job.totalRows} announced` }]);
      }
      await this.repo.stage(tx, req.jobId, req.firstRow, req.lines, req.rows);
      return this.job(tx, req.jobId);
    });
  }

  /** The upload is complete: the job runs now. Or the upload failed: the import ends failed with the reason. */
  submit(ctx: RequestContext, req: SubmitImportRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      const current = await this.record(tx, req.jobId, true);
      if (current.submittedAt || current.status !== 'running') return this.job(tx, req.jobId); // submitted before: nothing to do
      if (req.abort) {
        await this.jobs.cancel(tx, req.jobId, req.abort);
        await this.repo.fail(tx, req.jobId, req.abort);
        return this.job(tx, req.jobId);
      }
      const staged = await this.repo.stagedCount(tx, req.jobId);
      if (staged !== current.totalRows) {
        throw StewardError.validation([{ field: 'rows', rule: 'complete', message: `${staged} of the ${current.totalRows} rows announced were uploaded` }]);
      }
      await this.repo.markSubmitted(tx, req.jobId);
      await this.jobs.runNow(tx, req.jobId);
      return this.job(tx, req.jobId);
    });
  }

  /**
   * The import job: one step per chunk of staged rows. A step's upserts, events, counts and
   * the removal of its rows commit together, so a chunk is applied exactly once however
   * often the job is interrupted and resumed.
   */
  async process(job: RunningJob<{ importId: string }>): Promise<void> {
    const { importId } = job.payload;
    const chunk = this.config.app.importChunkRows;
    for (;;) {
      const more = await job.step(
        async (tx) => {
          const current = await this.record(tx, importId, true);
          if (current.status !== 'running') return { more: false, current };
          if (!current.submittedAt) {
            const staged = await this.repo.stagedCount(tx, importId);
            throw new JobFailed(`the upload did not complete in time (${staged} of ${current.totalRows} rows received)`);
          }
          const rows = await this.repo.nextRows(tx, importId, chunk);
          if (rows.length === 0) {
            await this.repo.complete(tx, importId);
            return { more: false, current: { ...current, status: 'completed' as const } };
          }
          await this.applyChunk(tx, current, rows);
          await this.repo.dropRows(tx, importId, rows[rows.length - 1]!.seq);
          return { more: true, current: { ...current, processedRows: current.processedRows + rows.length } };
        },
        (r) => ({ done: r.current.processedRows, total: r.current.totalRows }),
      );
      if (!more.more) return;
    }
  }

  /** The import job failed for good: the import gets its final state and the reason. */
  failed(tx: Tx, job: { payload: { importId: string }; reason: string }): Promise<void> {
    return this.repo.fail(tx, job.payload.importId, job.reason);
  }

  /** Validates and upserts one chunk of staged rows; a bad row is reported and skipped, never the chunk. */
  private async applyChunk(tx: Tx, job: ImportRecord, rows: StagedRow[]): Promise<void> {
    const errors: ImportRowError[] = [];
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const created: AccountChangedEvent[] = [];
    const updated: AccountChangedEvent[] = [];
    const users = await this.directory.userIdsByEmail(tx);
    for (const row of rows) {
      const line = row.line;
      const rowErrors: ImportRowError[] = [];
      const values = this.toRequest(row.data, users, (field, rule, message) => rowErrors.push({ line, field, rule, message }));
      if (rowErrors.length) {
        errors.push(...rowErrors);
        continue;
      }
      try {
        // A savepoint per row: one failing row (a bad reference, say) leaves the chunk's transaction usable.
        const outcome = await withSavepoint(tx, () => this.upsert(tx, values!));
        counts[outcome.kind] += 1;
        if (outcome.kind === 'created') created.push({ account: outcome.account });
        if (outcome.kind === 'updated') updated.push({ account: outcome.account });
      } catch (err) {
        if (!(err instanceof StewardError)) throw err;
        for (const e of err.details?.errors ?? [{ field: '(row)', rule: err.code, message: err.message }]) errors.push({ line, ...e });
      }
    }
    await this.outbox.emitMany(tx, Events.accounts.accountCreated, created);
    await this.outbox.emitMany(tx, Events.accounts.accountUpdated, updated);
    await this.repo.recordChunk(tx, job.id, {
      rows: rows.length,
      ...counts,
      failed: new Set(errors.map((e) => e.line)).size,
      errors: errors.slice(0, Math.max(0, MAX_IMPORT_ERRORS - job.errors.length)),
    });
  }

  /** Maps a CSV row (column → string) to a create request, reporting each bad cell. */
  private toRequest(row: Record<string, string>, users: Map<string, string>, fail: (field: string, rule: string, message: string) => void): CreateAccountRequest | null {
    const v: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    for (const [rawKey, rawValue] of Object.entries(row)) {
      const key = rawKey.trim();
      // An exported cell that looked like a formula carries a leading quote: drop it.
      const value = restoreCsvCell(rawValue.trim());
      if (key.startsWith('attr.')) {
        if (value !== '') custom[key.slice(5)] = value;
        continue;
      }
      if (READ_ONLY_COLUMNS.includes(key)) continue;
      if (!IMPORT_COLUMNS.includes(key)) {
        fail(key, 'unknown-column', `is not a known column (known: ${IMPORT_COLUMNS.join(', ')}, attr.<name>)`);
        continue;
      }
      if (value === '') continue;
      if (key === 'strategic' || key === 'highPotential') {
        if (!(value.toLowerCase() in BOOL)) fail(key, 'boolean', 'must be true/false, yes/no or 1/0');
        else v[key] = BOOL[value.toLowerCase()];
      } else if (key === 'ownerEmail' || key === 'csmEmail') {
        const id = users.get(value.toLowerCase());
        if (!id) fail(key, 'exists', 'is not the e-mail of a user of this tenant');
        else v[key === 'ownerEmail' ? 'ownerId' : 'csmId'] = id;
      } else v[key] = value;
    }
    if (!v.externalId) fail('externalId', 'required', 'is required for imports (it makes re-imports update instead of duplicate)');
    if (Object.keys(custom).length) v.customAttributes = custom;
    const parsed = CreateAccountRequest.safeParse(v);
    if (!parsed.success) for (const e of toFieldErrors(parsed.error)) fail(e.field, e.rule, e.message);
    return parsed.success ? parsed.data : null;
  }

  private async upsert(tx: Tx, req: CreateAccountRequest): Promise<{ kind: 'created' | 'updated' | 'unchanged'; account: AccountDto }> {
    const existing = await this.accounts.findByExternalIdIn(tx, req.externalId!);
    if (!existing) return { kind: 'created', account: await this.accounts.insertIn(tx, req) };
    const changes: Partial<Record<AccountField, unknown>> = {};
    for (const [field, value] of Object.entries(req) as Array<[AccountField, unknown]>) {
      const current = (existing as unknown as Record<string, unknown>)[field];
      if (canonical(current) !== canonical(value) && field in ACCOUNT_FIELDS) changes[field] = value;
    }
    if (existing.deletedAt || Object.keys(changes).length === 0) return { kind: 'unchanged', account: toAccountDto(existing) };
    return { kind: 'updated', account: await this.accounts.updateIn(tx, existing, changes) };
  }

  private async record(tx: Tx, id: string, lock = false): Promise<ImportRecord> {
    const record = await this.repo.find(tx, id, { lock });
    if (!record) throw StewardError.notFound('import', id);
    return record;
  }

  /** An open import: running and not yet submitted. */
  private async open(tx: Tx, id: string): Promise<ImportRecord> {
    const record = await this.record(tx, id, true);
    if (record.status !== 'running' || record.submittedAt) throw new StewardError(ErrorCode.ImportClosed, `Import ${id} is ${record.submittedAt && record.status === 'running' ? 'submitted' : record.status}`);
    return record;
  }

  /** The contract's view: the import and its durable job's attempts. */
  private async job(tx: Tx, id: string): Promise<ImportJobDto> {
    const { submittedAt: _submitted, ...record } = await this.record(tx, id);
    const job = await this.jobs.get(tx, id);
    return { ...record, attempts: job?.attempts ?? 0 };
  }
}
