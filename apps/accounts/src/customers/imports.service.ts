import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountChangedEvent, CreateAccountRequest, ErrorCode, Events, FinishImportRequest, ImportChunkRequest, ImportJobDto, ImportRowError, StartImportRequest, StewardError, actorRef, toFieldErrors } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { OUTBOX, UOW } from '../identity/tokens';
import { ACCOUNT_COLUMNS, AccountRow, toAccountDto } from './account.row';
import { ACCOUNT_FIELDS, AccountField } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { authorize, Scope } from './scope';

/** JSON with sorted object keys: attribute order in a file or in jsonb must not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Row errors kept per job: enough to fix a file, bounded so a broken file cannot bloat the row. */
const MAX_ERRORS = 1000;
const BOOL: Record<string, boolean> = { true: true, yes: true, '1': true, y: true, false: false, no: false, '0': false, n: false, '': false };
/** Columns a CSV export carries that an import does not write (so an export can be re-imported as is). */
const READ_ONLY_COLUMNS = ['id', 'tier', 'computedTier', 'tierReason', 'revenue12m', 'createdAt', 'updatedAt', 'deletedAt', 'version'];
const IMPORT_COLUMNS = ['externalId', 'name', 'industry', 'region', 'sizeBand', 'ownerId', 'ownerEmail', 'csmId', 'csmEmail', 'leadChannel', 'leadPartnerId', 'strategic', 'highPotential', 'lifecycle'];

const JOB_COLUMNS = `id, status, filename, total_rows AS "totalRows", processed_rows AS "processedRows", created, updated, unchanged, failed, errors,
  started_at AS "startedAt", finished_at AS "finishedAt"`;
type JobRow = Omit<ImportJobDto, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null };
const toJob = (r: JobRow): ImportJobDto => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/**
 * CSV import of accounts, idempotent on externalId: the gateway parses the file and
 * sends rows in chunks; each chunk is one transaction; progress and per-row errors live
 * on the job, readable while it runs.
 */
@Injectable()
export class ImportsService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly accounts: AccountsService,
  ) {}

  start(ctx: RequestContext, req: StartImportRequest): Promise<ImportJobDto> {
    const scope = authorize(ctx, 'import');
    return this.uow.forTenant(scope.tenantId, async (em) => {
      const id = uuidv7();
      await em.query(`INSERT INTO accounts.import_jobs (id, tenant_id, status, filename, total_rows, created_by) VALUES ($1, $2, 'running', $3, $4, $5)`, [
        id,
        scope.tenantId,
        req.filename ?? null,
        req.totalRows,
        actorRef(ctx.actor),
      ]);
      return this.job(em, id);
    });
  }

  get(ctx: RequestContext, id: string): Promise<ImportJobDto> {
    const scope = authorize(ctx, 'import');
    return this.uow.forTenant(scope.tenantId, (em) => this.job(em, id));
  }

  finish(ctx: RequestContext, req: FinishImportRequest): Promise<ImportJobDto> {
    const scope = authorize(ctx, 'import');
    return this.uow.forTenant(scope.tenantId, async (em) => {
      await this.job(em, req.jobId, true);
      await em.query(`UPDATE accounts.import_jobs SET status = $2, finished_at = now() WHERE id = $1 AND status = 'running'`, [req.jobId, req.failed ? 'failed' : 'completed']);
      if (req.failed) await em.query(`UPDATE accounts.import_jobs SET errors = errors || $2::jsonb WHERE id = $1`, [req.jobId, JSON.stringify([{ line: 0, field: '(file)', rule: 'aborted', message: req.failed }])]);
      return this.job(em, req.jobId);
    });
  }

  /** Validates and upserts one chunk of rows; a bad row is reported and skipped, never the chunk. */
  chunk(ctx: RequestContext, req: ImportChunkRequest): Promise<ImportJobDto> {
    const scope = authorize(ctx, 'import');
    return this.uow.forTenant(scope.tenantId, async (em) => {
      const job = await this.job(em, req.jobId, true);
      if (job.status !== 'running') throw new StewardError(ErrorCode.ImportClosed, `Import ${req.jobId} is ${job.status}`);
      const errors: ImportRowError[] = [];
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const created: AccountChangedEvent[] = [];
      const updated: AccountChangedEvent[] = [];
      const users = await this.userEmails(em);
      for (let i = 0; i < req.rows.length; i++) {
        const line = req.firstLine + i;
        const rowErrors: ImportRowError[] = [];
        const values = this.toRequest(req.rows[i], users, (field, rule, message) => rowErrors.push({ line, field, rule, message }));
        if (rowErrors.length) {
          errors.push(...rowErrors);
          continue;
        }
        try {
          // A savepoint per row: one failing row (a bad reference, say) leaves the chunk's transaction usable.
          await em.query('SAVEPOINT import_row');
          const outcome = await this.upsert(em, scope, values!);
          await em.query('RELEASE SAVEPOINT import_row');
          counts[outcome.kind] += 1;
          if (outcome.kind === 'created') created.push({ account: outcome.account });
          if (outcome.kind === 'updated') updated.push({ account: outcome.account });
        } catch (err) {
          await em.query('ROLLBACK TO SAVEPOINT import_row');
          if (!(err instanceof StewardError)) throw err;
          for (const e of err.details?.errors ?? [{ field: '(row)', rule: err.code, message: err.message }]) errors.push({ line, ...e });
        }
      }
      await this.outbox.emitMany(em, Events.accounts.accountCreated, created);
      await this.outbox.emitMany(em, Events.accounts.accountUpdated, updated);
      const failedRows = new Set(errors.map((e) => e.line)).size;
      await em.query(
        `UPDATE accounts.import_jobs SET processed_rows = processed_rows + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5,
                failed = failed + $6, errors = CASE WHEN jsonb_array_length(errors) >= ${MAX_ERRORS} THEN errors ELSE errors || $7::jsonb END
         WHERE id = $1`,
        [req.jobId, req.rows.length, counts.created, counts.updated, counts.unchanged, failedRows, JSON.stringify(errors.slice(0, Math.max(0, MAX_ERRORS - job.errors.length)))],
      );
      return this.job(em, req.jobId);
    });
  }

  /** Maps a CSV row (column → string) to a create request, reporting each bad cell. */
  private toRequest(row: Record<string, string>, users: Map<string, string>, fail: (field: string, rule: string, message: string) => void): CreateAccountRequest | null {
    const v: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    for (const [rawKey, rawValue] of Object.entries(row)) {
      const key = rawKey.trim();
      const value = rawValue.trim();
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

  private async upsert(em: EntityManager, scope: Scope, req: CreateAccountRequest): Promise<{ kind: 'created' | 'updated' | 'unchanged'; account: ReturnType<typeof toAccountDto> }> {
    const [existing]: AccountRow[] = await em.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a WHERE a.external_id = $1 FOR UPDATE`, [req.externalId]);
    if (!existing) {
      return { kind: 'created', account: await this.accounts.insertIn(em, scope, req) };
    }
    const changes: Partial<Record<AccountField, unknown>> = {};
    for (const [field, value] of Object.entries(req) as Array<[AccountField, unknown]>) {
      const current = (existing as unknown as Record<string, unknown>)[field];
      if (canonical(current) !== canonical(value) && field in ACCOUNT_FIELDS) changes[field] = value;
    }
    if (existing.deletedAt || Object.keys(changes).length === 0) return { kind: 'unchanged', account: toAccountDto(existing) };
    await this.accounts.checkReferences(em, { leadChannel: existing.leadChannel, leadPartnerId: existing.leadPartnerId, ...changes });
    const row = await this.accounts.repo.update(em, existing.id, changes);
    return { kind: 'updated', account: toAccountDto(row!) };
  }

  private async userEmails(em: EntityManager): Promise<Map<string, string>> {
    const rows: Array<{ id: string; email: string }> = await em.query(`SELECT id, email FROM accounts.users`);
    return new Map(rows.map((r) => [r.email, r.id]));
  }

  private async job(em: EntityManager, id: string, lock = false): Promise<ImportJobDto> {
    const [row]: JobRow[] = await em.query(`SELECT ${JOB_COLUMNS} FROM accounts.import_jobs WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw StewardError.notFound('import', id);
    return toJob(row);
  }
}
