import { Injectable } from '@nestjs/common';
import type { ContactDto } from '@steward/contracts';
import { insertRow, presentColumns, Tx, updateRow } from '@steward/persistence';

const COLUMNS = `c.id, c.account_id AS "accountId", c.name, c.title, c.department, c.email, c.phone, c.buying_role AS "buyingRole",
  c.influence, c.reports_to_id AS "reportsToId", c.engaged, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
type ContactRow = Omit<ContactDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: ContactRow): ContactDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** Writable contact fields → columns. */
export const CONTACT_FIELDS = {
  name: 'name',
  title: 'title',
  department: 'department',
  email: 'email',
  phone: 'phone',
  buyingRole: 'buying_role',
  influence: 'influence',
  reportsToId: 'reports_to_id',
  engaged: 'engaged',
} as const;
export type ContactValues = Partial<Record<keyof typeof CONTACT_FIELDS, unknown>>;

/** Named queries on `accounts.contacts` (the stakeholder map of each account). */
@Injectable()
export class ContactsRepository {
  async find(tx: Tx, id: string, { lock = false } = {}): Promise<ContactDto | null> {
    const [row]: ContactRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.contacts c WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  async ofAccount(tx: Tx, accountId: string): Promise<ContactDto[]> {
    const rows: ContactRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.contacts c WHERE c.account_id = $1 ORDER BY c.id`, [accountId]);
    return rows.map(toDto);
  }

  /**
   * The account's reporting lines, locked against concurrent edits of the same chain (two
   * edits could otherwise close a cycle together).
   */
  async lockedChain(tx: Tx, accountId: string): Promise<Array<{ id: string; reportsToId: string | null }>> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('contacts:' || $1))`, [accountId]);
    return tx.query(`SELECT id, reports_to_id AS "reportsToId" FROM accounts.contacts WHERE account_id = $1`, [accountId]);
  }

  async insert(tx: Tx, id: string, accountId: string, values: ContactValues): Promise<void> {
    await insertRow(tx, 'accounts.contacts', { id, tenant_id: tx.scope.tenantId, account_id: accountId, ...presentColumns(CONTACT_FIELDS, values) });
  }

  /** Applies the given fields; false when there was nothing to change. */
  async update(tx: Tx, id: string, values: ContactValues): Promise<boolean> {
    return (await updateRow(tx, 'accounts.contacts', id, presentColumns(CONTACT_FIELDS, values))) > 0;
  }

  /** Removes a contact; its direct reports move up to its own manager, so the chain stays connected. */
  async delete(tx: Tx, contact: ContactDto): Promise<void> {
    await tx.query(`UPDATE accounts.contacts SET reports_to_id = $2, updated_at = now() WHERE reports_to_id = $1`, [contact.id, contact.reportsToId]);
    await tx.query(`DELETE FROM accounts.contacts WHERE id = $1`, [contact.id]);
  }
}
