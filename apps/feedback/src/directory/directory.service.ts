import { Injectable } from '@nestjs/common';
import type { AccountDto, ContactDto, ProjectDto, UserDto } from '@steward/contracts';
import type { Tx } from '@steward/persistence';
import { AccountFacts, ContactFacts, DirectoryRepository, UserFacts } from './directory.repository';

/**
 * The accounts read model: kept from accounts' events (no cross-schema reads), read by the
 * other features inside their own transactions.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly repo: DirectoryRepository) {}

  accountChanged(tx: Tx, a: AccountDto, deleted = a.deletedAt !== null): Promise<void> {
    return this.repo.upsertAccount(tx, a, deleted);
  }

  tierChanged(tx: Tx, accountId: string, tier: number): Promise<void> {
    return this.repo.setTier(tx, accountId, tier);
  }

  contactChanged(tx: Tx, c: ContactDto, deleted = false): Promise<void> {
    return this.repo.upsertContact(tx, c, deleted);
  }

  userChanged(tx: Tx, u: UserDto): Promise<void> {
    return this.repo.upsertUser(tx, u);
  }

  projectChanged(tx: Tx, p: ProjectDto, deleted = false): Promise<void> {
    return this.repo.upsertProject(tx, p, deleted);
  }

  accountsIn(tx: Tx, ids: Iterable<string>): Promise<Map<string, AccountFacts>> {
    return this.repo.accounts(tx, [...new Set(ids)]);
  }

  contactsIn(tx: Tx, ids: Iterable<string>): Promise<Map<string, ContactFacts>> {
    return this.repo.contacts(tx, [...new Set(ids)]);
  }

  contactsOfAccountIn(tx: Tx, accountId: string): Promise<ContactFacts[]> {
    return this.repo.contactsOfAccount(tx, accountId);
  }

  usersIn(tx: Tx, ids: Iterable<string>): Promise<Map<string, UserFacts>> {
    return this.repo.users(tx, [...new Set(ids)]);
  }
}
