import { Inject, Injectable } from '@nestjs/common';
import { buildStakeholderMap, findReportsToCycle, StakeholderNode } from '@steward/accounts-domain';
import { ContactDto, CreateContactRequest, ErrorCode, Events, StakeholderMapDto, StakeholderNodeDto, StewardError, UpdateContactRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { AccountsService } from './accounts.service';
import { ContactsRepository } from './contacts.repository';
import { authorize, fieldError } from './scope';

/** The stakeholder map (decision chain) of an account. */
@Injectable()
export class ContactsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly repo: ContactsRepository,
    private readonly accounts: AccountsService,
  ) {}

  create(ctx: RequestContext, req: CreateContactRequest): Promise<ContactDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      await this.accounts.requireLiveIn(tx, req.accountId);
      const id = uuidv7();
      if (req.reportsToId) await this.checkReportsTo(tx, req.accountId, id, req.reportsToId);
      const { accountId, ...values } = req;
      await this.repo.insert(tx, id, accountId, values);
      const contact = await this.find(tx, id);
      await this.outbox.emit(tx, Events.accounts.contactCreated, { contact });
      return contact;
    });
  }

  update(ctx: RequestContext, req: UpdateContactRequest): Promise<ContactDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const before = await this.find(tx, req.id, true);
      await this.accounts.requireLiveIn(tx, before.accountId);
      if (req.reportsToId) await this.checkReportsTo(tx, before.accountId, req.id, req.reportsToId);
      const { id, ...values } = req;
      if (!(await this.repo.update(tx, id, values))) return before;
      const contact = await this.find(tx, id);
      await this.outbox.emit(tx, Events.accounts.contactUpdated, { contact });
      return contact;
    });
  }

  /** Removes a contact; its direct reports move up to its own manager, so the chain stays connected. */
  delete(ctx: RequestContext, id: string): Promise<ContactDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const contact = await this.find(tx, id, true);
      await this.repo.delete(tx, contact);
      await this.outbox.emit(tx, Events.accounts.contactDeleted, { contact });
      return contact;
    });
  }

  get(ctx: RequestContext, id: string): Promise<ContactDto> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.find(tx, id));
  }

  list(ctx: RequestContext, accountId: string): Promise<{ items: ContactDto[] }> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.accounts.requireVisibleIn(tx, accountId);
      return { items: await this.repo.ofAccount(tx, accountId) };
    });
  }

  stakeholderMap(ctx: RequestContext, accountId: string): Promise<StakeholderMapDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.accounts.requireVisibleIn(tx, accountId);
      const contacts = await this.repo.ofAccount(tx, accountId);
      const byId = new Map(contacts.map((c) => [c.id, c]));
      const map = buildStakeholderMap(contacts.map((c) => ({ id: c.id, name: c.name, title: c.title, department: c.department, buyingRole: c.buyingRole, influence: c.influence, reportsToId: c.reportsToId, engaged: c.engaged })));
      const toNode = (n: StakeholderNode): StakeholderNodeDto => ({ ...byId.get(n.id)!, depth: n.depth, hiddenInfluencer: n.hiddenInfluencer, reports: n.reports.map(toNode) });
      return { accountId, roots: map.roots.map(toNode), gaps: map.gaps, counts: map.counts, engagedContacts: map.engagedContacts };
    });
  }

  private async checkReportsTo(tx: Tx, accountId: string, contactId: string, reportsToId: string): Promise<void> {
    const chain = await this.repo.lockedChain(tx, accountId);
    if (reportsToId !== contactId && !chain.some((c) => c.id === reportsToId)) throw fieldError('reportsToId', 'same-account', 'must be a contact of the same account');
    const known = chain.some((c) => c.id === contactId) ? chain : [...chain, { id: contactId, reportsToId: null }];
    const cycle = findReportsToCycle(known, contactId, reportsToId);
    if (cycle) {
      throw new StewardError(ErrorCode.ReportsToCycle, `reportsToId would make a reporting cycle: ${cycle.join(' → ')}`, {
        errors: [{ field: 'reportsToId', rule: 'no-cycle', message: `would make a reporting cycle (${cycle.join(' → ')})` }],
        cycle,
      });
    }
  }

  private async find(tx: Tx, id: string, lock = false): Promise<ContactDto> {
    const contact = await this.repo.find(tx, id, { lock });
    if (!contact) throw StewardError.notFound('contact', id);
    return contact;
  }
}
