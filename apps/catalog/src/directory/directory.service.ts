import { Injectable } from '@nestjs/common';
import type { AccountChangedEvent, PartnerCreatedEvent, ProjectChangedEvent } from '@steward/contracts';
import type { ReadTx, Tx } from '@steward/persistence';
import { invalidState, notFound } from '../access';
import { DirectoryRepository } from './directory.repository';
import type { AccountRef } from './refs';

/**
 * The catalog's read models of accounts (with their lead channel and partner), projects and
 * partners, fed by accounts' events, and the lookups other features make inside their own
 * transaction. An account a partner does not lead is not found (404), never forbidden.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly repo: DirectoryRepository) {}

  onAccount(tx: Tx, { account: a }: AccountChangedEvent): Promise<void> {
    return this.repo.upsertAccount(tx, { id: a.id, name: a.name, leadChannel: a.leadChannel, leadPartnerId: a.leadPartnerId, deleted: a.deletedAt !== null, version: a.version });
  }

  onProject(tx: Tx, { project: p }: ProjectChangedEvent, deleted = false): Promise<void> {
    return this.repo.upsertProject(tx, { id: p.id, accountId: p.accountId, name: p.name, lead: p.lead, partnerId: p.partnerId, deleted, updatedAt: p.updatedAt });
  }

  onPartner(tx: Tx, { partner: p }: PartnerCreatedEvent): Promise<void> {
    return this.repo.upsertPartner(tx, { id: p.id, name: p.name, kind: p.kind });
  }

  /** A live account in the caller's scope: 404 when unknown or another partner's, 409 when deleted. */
  async requireAccountIn(tx: ReadTx, accountId: string, field = 'accountId'): Promise<AccountRef> {
    const account = await this.repo.account(tx, accountId);
    if (!account) throw notFound('account', accountId, field);
    if (account.deleted) throw invalidState(field, `Account ${accountId} is deleted: restore it first`);
    return account;
  }

  /** A live project of this account: 404 when unknown, 400 when it belongs to another account. */
  async requireProjectIn(tx: ReadTx, accountId: string, projectId: string): Promise<void> {
    const project = await this.repo.project(tx, projectId);
    if (!project || project.deleted) throw notFound('project', projectId, 'projectId');
    if (project.accountId !== accountId) throw invalidState('projectId', `Project ${projectId} belongs to another account`);
  }

  /** The kind of a partner (reseller, system-integrator, dealer), or null when the catalog has not heard of it yet. */
  partnerKindIn(tx: Tx, partnerId: string): Promise<string | null> {
    return this.repo.partnerKind(tx, partnerId);
  }

  partnerExistsIn(tx: Tx, partnerId: string): Promise<boolean> {
    return this.repo.partnerExists(tx, partnerId);
  }
}
