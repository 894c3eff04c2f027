import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountDto, CreateAccountRequest, ErrorCode, Events, ListAccountsRequest, Page, StewardError, UpdateAccountRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, uuidv7, UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { OUTBOX, UOW } from '../identity/tokens';
import { toAccountDto } from './account.row';
import { AccountField, AccountsRepository, AccountValues } from './accounts.repository';
import { authorize, fieldError, Scope } from './scope';

const externalIdTaken = (externalId: unknown) =>
  new StewardError(ErrorCode.ExternalIdTaken, `Another account already has the external id "${String(externalId)}"`, {
    errors: [{ field: 'externalId', rule: 'unique', message: 'is already used by another account' }],
  });

/** Enterprise customers: create, read, update, soft delete and restore, list. */
@Injectable()
export class AccountsService {
  readonly repo = new AccountsRepository();

  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
  ) {}

  create(ctx: RequestContext, req: CreateAccountRequest): Promise<AccountDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      const account = await this.insertIn(em, scope, req);
      await this.outbox.emit(em, Events.accounts.accountCreated, { account });
      return account;
    });
  }

  /** Inserts inside the caller's transaction (shared with CSV import); emits nothing. */
  async insertIn(em: EntityManager, scope: Scope, req: CreateAccountRequest): Promise<AccountDto> {
    const values: AccountValues = { lifecycle: 'prospect', leadChannel: 'direct', ...this.partnerOwned(scope, req as AccountValues) };
    await this.checkReferences(em, values);
    const row = await this.repo.insert(em, uuidv7(), scope.tenantId, values).catch((err) => {
      throw isUniqueViolation(err, 'accounts_external_id') ? externalIdTaken(req.externalId) : err;
    });
    return toAccountDto(row);
  }

  get(ctx: RequestContext, id: string): Promise<AccountDto> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      const row = await this.repo.find(em, id, true);
      if (!row) throw StewardError.notFound('account', id);
      return toAccountDto(row);
    });
  }

  list(ctx: RequestContext, q: ListAccountsRequest): Promise<Page<AccountDto>> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      const { rows, nextCursor } = await this.repo.list(em, q);
      return { items: rows.map(toAccountDto), nextCursor };
    });
  }

  update(ctx: RequestContext, req: UpdateAccountRequest): Promise<AccountDto> {
    const scope = authorize(ctx, 'write');
    const { id, expectedVersion, ...changes } = req;
    return this.uow.forScope(scope, async (em) => {
      const before = await this.repo.find(em, id, true, true);
      if (!before) throw StewardError.notFound('account', id);
      if (before.deletedAt) throw new StewardError(ErrorCode.AccountDeleted, `Account ${id} is deleted: restore it first`);
      const values = this.partnerOwned(scope, changes as AccountValues, true);
      await this.checkReferences(em, { leadChannel: before.leadChannel, leadPartnerId: before.leadPartnerId, ...values });
      if (Object.keys(values).length === 0) return toAccountDto(before);
      const row = await this.repo.update(em, id, values, expectedVersion).catch((err) => {
        throw isUniqueViolation(err, 'accounts_external_id') ? externalIdTaken(values.externalId) : err;
      });
      if (!row) {
        throw new StewardError(ErrorCode.StaleVersion, `Account ${id} changed since version ${expectedVersion}: read it again`, {
          errors: [{ field: 'expectedVersion', rule: 'current-version', message: `is ${expectedVersion}, the account is at version ${before.version}` }],
        });
      }
      const account = toAccountDto(row);
      await this.outbox.emit(em, Events.accounts.accountUpdated, { account });
      return account;
    });
  }

  delete(ctx: RequestContext, id: string): Promise<AccountDto> {
    return this.setDeleted(ctx, id, true);
  }

  restore(ctx: RequestContext, id: string): Promise<AccountDto> {
    return this.setDeleted(ctx, id, false);
  }

  /** Idempotent: deleting a deleted account (or restoring a live one) returns it unchanged. */
  private setDeleted(ctx: RequestContext, id: string, deleted: boolean): Promise<AccountDto> {
    const scope = authorize(ctx, 'delete');
    return this.uow.forScope(scope, async (em) => {
      const row = await this.repo.setDeleted(em, id, deleted);
      if (!row) {
        const current = await this.repo.find(em, id, true);
        if (!current) throw StewardError.notFound('account', id);
        return toAccountDto(current);
      }
      const account = toAccountDto(row);
      await this.outbox.emit(em, deleted ? Events.accounts.accountDeleted : Events.accounts.accountRestored, { account });
      return account;
    });
  }

  /** A partner's accounts are always led by that partner. */
  private partnerOwned(scope: Scope, values: AccountValues, isUpdate = false): AccountValues {
    if (!scope.partnerId) return values;
    if (values.leadPartnerId !== undefined && values.leadPartnerId !== scope.partnerId) {
      throw fieldError('leadPartnerId', 'own-partner', 'must be your own partner id: partners manage only the accounts they lead');
    }
    if (values.leadChannel !== undefined && values.leadChannel !== 'partner') throw fieldError('leadChannel', 'own-partner', "must be 'partner' for accounts a partner leads");
    return isUpdate ? values : { ...values, leadChannel: 'partner', leadPartnerId: scope.partnerId };
  }

  /** References must exist in this tenant (foreign keys alone would accept another tenant's ids). */
  async checkReferences(em: EntityManager, v: AccountValues): Promise<void> {
    for (const field of ['ownerId', 'csmId'] as AccountField[]) {
      const id = v[field];
      if (typeof id === 'string' && !(await this.repo.userExists(em, id))) throw fieldError(field, 'exists', 'is not a user of this tenant');
    }
    if (typeof v.leadPartnerId === 'string' && !(await this.repo.partnerExists(em, v.leadPartnerId))) throw fieldError('leadPartnerId', 'exists', 'is not a partner of this tenant');
    if (v.leadChannel === 'partner' && !v.leadPartnerId) throw fieldError('leadPartnerId', 'required', "is required when leadChannel is 'partner'");
    if (v.leadChannel === 'direct' && v.leadPartnerId) throw fieldError('leadPartnerId', 'forbidden', "must be empty when leadChannel is 'direct'");
  }
}
