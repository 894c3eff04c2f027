import { Injectable } from '@nestjs/common';
import type { AccountDto, ContactDto, ProjectDto, UserDto } from '@steward/contracts';
import type { Tx } from '@steward/persistence';

/** What feedback keeps of an account (accounts' events). */
export interface AccountFacts {
  id: string;
  name: string;
  tier: number;
  industry: string | null;
  region: string | null;
  csmId: string | null;
  deleted: boolean;
}

/** What feedback keeps of a contact (a customer stakeholder). */
export interface ContactFacts {
  id: string;
  accountId: string;
  name: string;
  email: string | null;
  phone: string | null;
  buyingRole: string | null;
  influence: string | null;
  deleted: boolean;
}

export interface UserFacts {
  id: string;
  name: string;
  email: string | null;
  role: string;
  active: boolean;
}

const ACCOUNT = `id, name, tier, industry, region, csm_id AS "csmId", deleted`;
const CONTACT = `id, account_id AS "accountId", name, email, phone, buying_role AS "buyingRole", influence, deleted`;

/**
 * Read models of accounts' facts: accounts, contacts, users, projects. Upserts keep the
 * newest state (`updated_at`), so a late or repeated event never overwrites a newer one.
 */
@Injectable()
export class DirectoryRepository {
  async upsertAccount(tx: Tx, a: AccountDto, deleted: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.accounts (id, tenant_id, name, tier, industry, region, csm_id, owner_id, lifecycle, deleted, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, tier = excluded.tier, industry = excluded.industry, region = excluded.region,
         csm_id = excluded.csm_id, owner_id = excluded.owner_id, lifecycle = excluded.lifecycle, deleted = excluded.deleted, updated_at = excluded.updated_at
       WHERE feedback.accounts.updated_at <= excluded.updated_at`,
      [a.id, tx.scope.tenantId, a.name, a.tier, a.industry, a.region, a.csmId, a.ownerId, a.lifecycle, deleted, a.updatedAt],
    );
  }

  async setTier(tx: Tx, accountId: string, tier: number): Promise<void> {
    await tx.query(`UPDATE feedback.accounts SET tier = $2 WHERE id = $1`, [accountId, tier]);
  }

  async upsertContact(tx: Tx, c: ContactDto, deleted: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.contacts (id, tenant_id, account_id, name, email, phone, buying_role, influence, deleted, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, email = excluded.email, phone = excluded.phone,
         buying_role = excluded.buying_role, influence = excluded.influence, deleted = excluded.deleted, updated_at = excluded.updated_at
       WHERE feedback.contacts.updated_at <= excluded.updated_at`,
      [c.id, tx.scope.tenantId, c.accountId, c.name, c.email, c.phone, c.buyingRole, c.influence, deleted, c.updatedAt],
    );
  }

  async upsertUser(tx: Tx, u: UserDto): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.users (id, tenant_id, name, email, role, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role, active = excluded.active, updated_at = excluded.updated_at
       WHERE feedback.users.updated_at <= excluded.updated_at`,
      [u.id, tx.scope.tenantId, u.name, u.email, u.role, u.active, u.updatedAt],
    );
  }

  async upsertProject(tx: Tx, p: ProjectDto, deleted: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.projects (id, tenant_id, account_id, name, lead, size, status, deleted, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, lead = excluded.lead, size = excluded.size, status = excluded.status,
         deleted = excluded.deleted, updated_at = excluded.updated_at
       WHERE feedback.projects.updated_at <= excluded.updated_at`,
      [p.id, tx.scope.tenantId, p.accountId, p.name, p.lead, p.size, p.status, deleted, p.updatedAt],
    );
  }

  async accounts(tx: Tx, ids: string[]): Promise<Map<string, AccountFacts>> {
    if (ids.length === 0) return new Map();
    const rows: AccountFacts[] = await tx.query(`SELECT ${ACCOUNT} FROM feedback.accounts WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  async contacts(tx: Tx, ids: string[]): Promise<Map<string, ContactFacts>> {
    if (ids.length === 0) return new Map();
    const rows: ContactFacts[] = await tx.query(`SELECT ${CONTACT} FROM feedback.contacts WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  async contactsOfAccount(tx: Tx, accountId: string): Promise<ContactFacts[]> {
    return tx.query(`SELECT ${CONTACT} FROM feedback.contacts WHERE account_id = $1 AND NOT deleted ORDER BY name, id`, [accountId]);
  }

  async users(tx: Tx, ids: string[]): Promise<Map<string, UserFacts>> {
    if (ids.length === 0) return new Map();
    const rows: UserFacts[] = await tx.query(`SELECT id, name, email, role, active FROM feedback.users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  }
}
