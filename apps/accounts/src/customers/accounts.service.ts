import { Inject, Injectable } from '@nestjs/common';
import { AccountDto, CreateAccountRequest, ErrorCode, Events, ListAccountsRequest, Page, StewardError, UpdateAccountRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { Directory } from '../identity/directory';
import { AccountRow, toAccountDto } from './account.row';
import { AccountField, AccountsRepository, AccountValues } from './accounts.repository';
import { authorize, fieldError } from './scope';

const externalIdTaken = (externalId: unknown) =>
  new StewardError(ErrorCode.ExternalIdTaken, `Another account already has the external id "${String(externalId)}"`, {
    errors: [{ field: 'externalId', rule: 'unique', message: 'is already used by another account' }],
  });

const staleVersion = (id: string, expected: number, current: number) =>
  new StewardError(ErrorCode.StaleVersion, `Account ${id} changed since version ${expected}: read it again`, {
    errors: [{ field: 'expectedVersion', rule: 'current-version', message: `is ${expected}, the account is at version ${current}` }],
  });

const accountDeleted = (id: string) => new StewardError(ErrorCode.AccountDeleted, `Account ${id} is deleted: restore it first`);

/**
 * Enterprise customers: create, read, update, soft delete and restore, list. The `…In`
 * methods run inside a caller's transaction: the rest of the customers feature (contacts,
 * projects, revenue, imports) reaches accounts through them, never through the repository.
 */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly repo: AccountsRepository,
    private readonly directory: Directory,
  ) {}

  create(ctx: RequestContext, req: CreateAccountRequest): Promise<AccountDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const account = await this.insertIn(tx, req);
      await this.outbox.emit(tx, Events.accounts.accountCreated, { account });
      return account;
    });
  }

  /** Inserts inside the caller's transaction (shared with CSV import); emits nothing. */
  async insertIn(tx: Tx, req: CreateAccountRequest): Promise<AccountDto> {
    const values: AccountValues = { lifecycle: 'prospect', leadChannel: 'direct', ...this.partnerOwned(tx, req as AccountValues) };
    await this.checkReferences(tx, values);
    const row = await this.repo.insert(tx, uuidv7(), values).catch((err) => {
      throw isUniqueViolation(err, 'accounts_external_id') ? externalIdTaken(req.externalId) : err;
    });
    return toAccountDto(row);
  }

  get(ctx: RequestContext, id: string): Promise<AccountDto> {
    return this.uow.read(authorize(ctx, 'read'), async (tx) => {
      const row = await this.repo.find(tx, id, true);
      if (!row) throw StewardError.notFound('account', id);
      return toAccountDto(row);
    });
  }

  list(ctx: RequestContext, q: ListAccountsRequest): Promise<Page<AccountDto>> {
    return this.uow.read(authorize(ctx, 'read'), async (tx) => {
      const { rows, nextCursor } = await this.repo.list(tx, q);
      return { items: rows.map(toAccountDto), nextCursor };
    });
  }

  update(ctx: RequestContext, req: UpdateAccountRequest): Promise<AccountDto> {
    const { id, expectedVersion, ...changes } = req;
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const before = await this.repo.find(tx, id, true, true);
      if (!before) throw StewardError.notFound('account', id);
      if (before.deletedAt) throw accountDeleted(id);
      const values = this.partnerOwned(tx, changes as AccountValues, true);
      await this.checkReferences(tx, { leadChannel: before.leadChannel, leadPartnerId: before.leadPartnerId, ...values });
      if (Object.keys(values).length === 0) return toAccountDto(before);
      const row = await this.write(tx, id, values, expectedVersion);
      if (!row) throw staleVersion(id, expectedVersion!, before.version);
      const account = toAccountDto(row);
      await this.outbox.emit(tx, Events.accounts.accountUpdated, { account });
      return account;
    });
  }

  delete(ctx: RequestContext, id: string, expectedVersion?: number): Promise<AccountDto> {
    return this.setDeleted(ctx, id, true, expectedVersion);
  }

  restore(ctx: RequestContext, id: string, expectedVersion?: number): Promise<AccountDto> {
    return this.setDeleted(ctx, id, false, expectedVersion);
  }

  /** The account (soft-deleted ones too), optionally locked, inside the caller's transaction. */
  findIn(tx: Tx, id: string, { lock = false } = {}): Promise<AccountRow | null> {
    return this.repo.find(tx, id, true, lock);
  }

  /** The account with this external id, locked (CSV import's upsert key). */
  findByExternalIdIn(tx: Tx, externalId: string): Promise<AccountRow | null> {
    return this.repo.findByExternalId(tx, externalId);
  }

  /** Changes an existing account inside the caller's transaction (CSV import); emits nothing. */
  async updateIn(tx: Tx, existing: AccountRow, changes: Partial<Record<AccountField, unknown>>): Promise<AccountDto> {
    await this.checkReferences(tx, { leadChannel: existing.leadChannel, leadPartnerId: existing.leadPartnerId, ...changes });
    return toAccountDto((await this.write(tx, existing.id, changes))!);
  }

  /** The account must exist in the caller's scope (404 otherwise) and not be soft-deleted (409). */
  async requireLiveIn(tx: Tx, id: string): Promise<void> {
    if (await this.requireVisibleIn(tx, id)) throw accountDeleted(id);
  }

  /** The account must exist in the caller's scope (404 otherwise); answers whether it is soft-deleted. */
  async requireVisibleIn(tx: Tx, id: string): Promise<boolean> {
    const deleted = await this.repo.deletedState(tx, id);
    if (deleted === null) throw StewardError.notFound('account', id);
    return deleted;
  }

  /** Which of these ids are accounts in the caller's scope. */
  existingIdsIn(tx: Tx, ids: string[]): Promise<Set<string>> {
    return this.repo.existingIds(tx, ids);
  }

  /** The account must be at the version the client expects (when it says one), checked under the row lock. */
  requireVersionIn(row: AccountRow, expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw staleVersion(row.id, expectedVersion, row.version);
  }

  /** Idempotent: deleting a deleted account (or restoring a live one) returns it unchanged. */
  private setDeleted(ctx: RequestContext, id: string, deleted: boolean, expectedVersion?: number): Promise<AccountDto> {
    return this.uow.forScope(authorize(ctx, 'delete'), async (tx) => {
      if (expectedVersion !== undefined) {
        const current = await this.repo.find(tx, id, true, true);
        if (!current) throw StewardError.notFound('account', id);
        this.requireVersionIn(current, expectedVersion);
      }
      const row = await this.repo.setDeleted(tx, id, deleted);
      if (!row) {
        const current = await this.repo.find(tx, id, true);
        if (!current) throw StewardError.notFound('account', id);
        return toAccountDto(current);
      }
      const account = toAccountDto(row);
      await this.outbox.emit(tx, deleted ? Events.accounts.accountDeleted : Events.accounts.accountRestored, { account });
      return account;
    });
  }

  private write(tx: Tx, id: string, values: AccountValues, expectedVersion?: number): Promise<AccountRow | null> {
    return this.repo.update(tx, id, values, expectedVersion).catch((err) => {
      throw isUniqueViolation(err, 'accounts_external_id') ? externalIdTaken(values.externalId) : err;
    });
  }

  /** A partner's accounts are always led by that partner. */
  private partnerOwned(tx: Tx, values: AccountValues, isUpdate = false): AccountValues {
    const partnerId = tx.scope.partnerId;
    if (!partnerId) return values;
    if (values.leadPartnerId !== undefined && values.leadPartnerId !== partnerId) {
      throw fieldError('leadPartnerId', 'own-partner', 'must be your own partner id: partners manage only the accounts they lead');
    }
    if (values.leadChannel !== undefined && values.leadChannel !== 'partner') throw fieldError('leadChannel', 'own-partner', "must be 'partner' for accounts a partner leads");
    return isUpdate ? values : { ...values, leadChannel: 'partner', leadPartnerId: partnerId };
  }

  /** References must exist in this tenant (foreign keys alone would accept another tenant's ids). */
  private async checkReferences(tx: Tx, v: AccountValues): Promise<void> {
    for (const field of ['ownerId', 'csmId'] as AccountField[]) {
      const id = v[field];
      if (typeof id === 'string' && !(await this.directory.userExists(tx, id))) throw fieldError(field, 'exists', 'is not a user of this tenant');
    }
    if (typeof v.leadPartnerId === 'string' && !(await this.directory.partnerExists(tx, v.leadPartnerId))) throw fieldError('leadPartnerId', 'exists', 'is not a partner of this tenant');
    if (v.leadChannel === 'partner' && !v.leadPartnerId) throw fieldError('leadPartnerId', 'required', "is required when leadChannel is 'partner'");
    if (v.leadChannel === 'direct' && v.leadPartnerId) throw fieldError('leadPartnerId', 'forbidden', "must be empty when leadChannel is 'direct'");
  }
}
