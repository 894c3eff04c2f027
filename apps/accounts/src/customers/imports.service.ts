import { Inject, Injectable } from '@nestjs/common';
import { AccountChangedEvent, AccountDto, actorRef, CreateAccountRequest, ErrorCode, Events, FinishImportRequest, ImportChunkRequest, ImportJobDto, ImportRowError, restoreCsvCell, StartImportRequest, StewardError, toFieldErrors } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, UnitOfWork, withSavepoint } from '@steward/persistence';
import { OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { Directory } from '../identity/directory';
import { toAccountDto } from './account.row';
import { ACCOUNT_FIELDS, AccountField } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { ImportsRepository, MAX_IMPORT_ERRORS } from './imports.repository';
import { authorize } from './scope';

/** JSON with sorted object keys: attribute order in a file or in jsonb must not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const BOOL: Record<string, boolean> = { true: true, yes: true, '1': true, y: true, false: false, no: false, '0': false, n: false, '': false };
/** Columns a CSV export carries that an import does not write (so an export can be re-imported as is). */
const READ_ONLY_COLUMNS = ['id', 'tier', 'computedTier', 'tierReason', 'revenue12m', 'createdAt', 'updatedAt', 'deletedAt', 'version'];
const IMPORT_COLUMNS = ['externalId', 'name', 'industry', 'region', 'sizeBand', 'ownerId', 'ownerEmail', 'csmId', 'csmEmail', 'leadChannel', 'leadPartnerId', 'strategic', 'highPotential', 'lifecycle'];

/**
 * CSV import of accounts, idempotent on externalId: the gateway parses the file and
 * sends rows in chunks; each chunk is one transaction; progress and per-row errors live
 * on the job, readable while it runs.
 */
@Injectable()
export class ImportsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly repo: ImportsRepository,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
  ) {}

  start(ctx: RequestContext, req: StartImportRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      const id = uuidv7();
      await this.repo.insert(tx, { id, filename: req.filename ?? null, totalRows: req.totalRows, createdBy: actorRef(ctx.actor) });
      return this.job(tx, id);
    });
  }

  get(ctx: RequestContext, id: string): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, (tx) => this.job(tx, id));
  }

  finish(ctx: RequestContext, req: FinishImportRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      await this.job(tx, req.jobId, true);
      await this.repo.finish(tx, req.jobId, req.failed);
      return this.job(tx, req.jobId);
    });
  }

  /** Validates and upserts one chunk of rows; a bad row is reported and skipped, never the chunk. */
  chunk(ctx: RequestContext, req: ImportChunkRequest): Promise<ImportJobDto> {
    return this.uow.forTenant(authorize(ctx, 'import').tenantId, async (tx) => {
      const job = await this.job(tx, req.jobId, true);
      if (job.status !== 'running') throw new StewardError(ErrorCode.ImportClosed, `Import ${req.jobId} is ${job.status}`);
      const errors: ImportRowError[] = [];
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const created: AccountChangedEvent[] = [];
      const updated: AccountChangedEvent[] = [];
      const users = await this.directory.userIdsByEmail(tx);
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
      await this.repo.recordChunk(tx, req.jobId, {
        rows: req.rows.length,
        ...counts,
        failed: new Set(errors.map((e) => e.line)).size,
        errors: errors.slice(0, Math.max(0, MAX_IMPORT_ERRORS - job.errors.length)),
      });
      return this.job(tx, req.jobId);
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

  private async job(tx: Tx, id: string, lock = false): Promise<ImportJobDto> {
    const job = await this.repo.find(tx, id, { lock });
    if (!job) throw StewardError.notFound('import', id);
    return job;
  }
}
