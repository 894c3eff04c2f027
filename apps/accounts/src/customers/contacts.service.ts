import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { buildStakeholderMap, findReportsToCycle, StakeholderNode } from '@steward/accounts-domain';
import { ContactDto, CreateContactRequest, ErrorCode, Events, StakeholderMapDto, StakeholderNodeDto, StewardError, UpdateContactRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { OUTBOX, UOW } from '../identity/tokens';
import { authorize, fieldError } from './scope';
import { accountDeleted, insertRow, presentColumns, requireLiveAccount, updateRow } from './rows';

const COLUMNS = `c.id, c.account_id AS "accountId", c.name, c.title, c.department, c.email, c.phone, c.buying_role AS "buyingRole",
  c.influence, c.reports_to_id AS "reportsToId", c.engaged, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
type ContactRow = Omit<ContactDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: ContactRow): ContactDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

const FIELDS = { name: 'name', title: 'title', department: 'department', email: 'email', phone: 'phone', buyingRole: 'buying_role', influence: 'influence', reportsToId: 'reports_to_id', engaged: 'engaged' } as const;

/** The stakeholder map (decision chain) of an account. */
@Injectable()
export class ContactsService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
  ) {}

  create(ctx: RequestContext, req: CreateContactRequest): Promise<ContactDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      await requireLiveAccount(em, req.accountId);
      const id = uuidv7();
      if (req.reportsToId) await this.checkReportsTo(em, req.accountId, id, req.reportsToId);
      await insertRow(em, 'accounts.contacts', { id, tenant_id: scope.tenantId, account_id: req.accountId, ...presentColumns(FIELDS, req) });
      const contact = await this.find(em, id);
      await this.outbox.emit(em, Events.accounts.contactCreated, { contact });
      return contact;
    });
  }

  update(ctx: RequestContext, req: UpdateContactRequest): Promise<ContactDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      const before = await this.find(em, req.id, true);
      await requireLiveAccount(em, before.accountId);
      if (req.reportsToId) await this.checkReportsTo(em, before.accountId, req.id, req.reportsToId);
      const changes = presentColumns(FIELDS, req);
      if (Object.keys(changes).length === 0) return before;
      await updateRow(em, 'accounts.contacts', req.id, changes);
      const contact = await this.find(em, req.id);
      await this.outbox.emit(em, Events.accounts.contactUpdated, { contact });
      return contact;
    });
  }

  /** Removes a contact; its direct reports move up to its own manager, so the chain stays connected. */
  delete(ctx: RequestContext, id: string): Promise<ContactDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      const contact = await this.find(em, id, true);
      await em.query(`UPDATE accounts.contacts SET reports_to_id = $2, updated_at = now() WHERE reports_to_id = $1`, [id, contact.reportsToId]);
      await em.query(`DELETE FROM accounts.contacts WHERE id = $1`, [id]);
      await this.outbox.emit(em, Events.accounts.contactDeleted, { contact });
      return contact;
    });
  }

  list(ctx: RequestContext, accountId: string): Promise<{ items: ContactDto[] }> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      await accountDeleted(em, accountId);
      return { items: await this.contactsOf(em, accountId) };
    });
  }

  stakeholderMap(ctx: RequestContext, accountId: string): Promise<StakeholderMapDto> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      await accountDeleted(em, accountId);
      const contacts = await this.contactsOf(em, accountId);
      const byId = new Map(contacts.map((c) => [c.id, c]));
      const map = buildStakeholderMap(contacts.map((c) => ({ id: c.id, name: c.name, title: c.title, department: c.department, buyingRole: c.buyingRole, influence: c.influence, reportsToId: c.reportsToId, engaged: c.engaged })));
      const toNode = (n: StakeholderNode): StakeholderNodeDto => ({ ...byId.get(n.id)!, depth: n.depth, hiddenInfluencer: n.hiddenInfluencer, reports: n.reports.map(toNode) });
      return { accountId, roots: map.roots.map(toNode), gaps: map.gaps, counts: map.counts, engagedContacts: map.engagedContacts };
    });
  }

  private async checkReportsTo(em: EntityManager, accountId: string, contactId: string, reportsToId: string): Promise<void> {
    // Lock the account's chain: two concurrent edits could otherwise close a cycle together.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('contacts:' || $1))`, [accountId]);
    const chain: Array<{ id: string; reportsToId: string | null }> = await em.query(`SELECT id, reports_to_id AS "reportsToId" FROM accounts.contacts WHERE account_id = $1`, [accountId]);
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

  private async contactsOf(em: EntityManager, accountId: string): Promise<ContactDto[]> {
    const rows: ContactRow[] = await em.query(`SELECT ${COLUMNS} FROM accounts.contacts c WHERE c.account_id = $1 ORDER BY c.id`, [accountId]);
    return rows.map(toDto);
  }

  private async find(em: EntityManager, id: string, lock = false): Promise<ContactDto> {
    const [row]: ContactRow[] = await em.query(`SELECT ${COLUMNS} FROM accounts.contacts c WHERE c.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw StewardError.notFound('contact', id);
    return toDto(row);
  }
}
