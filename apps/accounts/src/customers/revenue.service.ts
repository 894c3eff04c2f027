import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, Events, ListRevenueRequest, RevenueBatchResponse, RevenueRecordDto, RevenueRecordInput, StewardError, toFieldErrors } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import { JobQueue, JOBS, OUTBOX, SERVICE_CONFIG, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { Directory } from '../identity/directory';
import { AccountsService } from './accounts.service';
import { RevenueRepository } from './revenue.repository';
import { authorize } from './scope';
import type { AccountsConfig } from '../config';
import { RetierTenantJob } from './customers.jobs';

type RowError = RevenueBatchResponse['errors'][number];
const EVENT_CHUNK = 1000;

/** Monthly revenue and margin per account, imported in batches. */
@Injectable()
export class RevenueService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly repo: RevenueRepository,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(SERVICE_CONFIG) private readonly config: AccountsConfig,
  ) {}

  /**
   * Upserts up to 10,000 rows, idempotent by (account, month). Every row is validated on
   * its own: bad rows are reported by index and field, good rows are written, all in one
   * transaction. A changed batch enqueues, in the same transaction, the tenant's debounced
   * re-tiering job (one per tenant however many batches arrive in the quiet time).
   */
  async batchUpsert(ctx: RequestContext, records: unknown[]): Promise<RevenueBatchResponse> {
    const scope = authorize(ctx, 'revenue');
    const errors: RowError[] = [];
    const valid: Array<RevenueRecordInput & { index: number }> = [];
    const seen = new Set<string>();
    records.forEach((raw, index) => {
      const parsed = RevenueRecordInput.safeParse(raw);
      if (!parsed.success) {
        for (const e of toFieldErrors(parsed.error)) errors.push({ index, ...e });
        return;
      }
      const key = `${parsed.data.accountId}|${parsed.data.month}`;
      if (seen.has(key)) {
        errors.push({ index, field: 'month', rule: 'unique-in-batch', message: `repeats account ${parsed.data.accountId} for ${parsed.data.month} earlier in this batch` });
        return;
      }
      seen.add(key);
      valid.push({ ...parsed.data, index });
    });

    const result = await this.uow.forScope(scope, async (tx) => {
      const known = await this.accounts.existingIdsIn(tx, [...new Set(valid.map((r) => r.accountId))]);
      // One currency per tenant: the first batch decides it.
      const tenantCurrency = await this.directory.lockTenantCurrency(tx);
      let currency = tenantCurrency;
      const rows = valid.filter((r) => {
        if (!known.has(r.accountId)) {
          errors.push({ index: r.index, field: 'accountId', rule: 'exists', message: 'is not an account of this tenant' });
          return false;
        }
        currency ??= r.currency;
        if (r.currency !== currency) {
          errors.push({ index: r.index, field: 'currency', rule: 'tenant-currency', message: `must be ${currency}, the tenant's currency` });
          return false;
        }
        return true;
      });
      if (!tenantCurrency && currency) await this.directory.setTenantCurrency(tx, currency);
      if (rows.length === 0) return { inserted: 0, updated: 0, accepted: 0 };
      const changed = await this.repo.upsert(tx, rows);
      const events = [];
      for (let i = 0; i < changed.length; i += EVENT_CHUNK) events.push({ records: changed.slice(i, i + EVENT_CHUNK).map((c) => ({ accountId: c.accountId, month: c.month })) });
      await this.outbox.emitMany(tx, Events.accounts.revenueChanged, events);
      if (changed.length) {
        const { tieringDebounceMs, tieringMaxDelayMs } = this.config.app;
        await this.jobs.enqueue(tx, RetierTenantJob, {}, { delayMs: tieringDebounceMs, debounce: { key: 'tenant', maxDelayMs: tieringMaxDelayMs } });
      }
      const inserted = changed.filter((c) => c.inserted).length;
      return { inserted, updated: changed.length - inserted, accepted: rows.length };
    });

    errors.sort((a, b) => a.index - b.index);
    return {
      accepted: result.accepted,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.accepted - result.inserted - result.updated,
      rejected: new Set(errors.map((e) => e.index)).size,
      errors,
    };
  }

  list(ctx: RequestContext, q: ListRevenueRequest): Promise<{ items: RevenueRecordDto[] }> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      if (!(await this.accounts.existingIdsIn(tx, [q.accountId])).size) throw StewardError.notFound('account', q.accountId);
      if (q.from && q.to && q.from > q.to) throw new StewardError(ErrorCode.ValidationFailed, 'from must not be after to', { errors: [{ field: 'from', rule: 'range', message: 'must not be after to' }] });
      return { items: await this.repo.ofAccount(tx, q.accountId, q.from, q.to) };
    });
  }
}
