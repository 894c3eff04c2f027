import type { EntityManager } from 'typeorm';
import { ListAccountsRequest, StewardError } from '@steward/contracts';
import { returnedRows } from '@steward/persistence';
import { ACCOUNT_COLUMNS, AccountRow } from './account.row';

/** Writable account columns (camelCase field → column). */
export const ACCOUNT_FIELDS = {
  externalId: 'external_id',
  name: 'name',
  industry: 'industry',
  region: 'region',
  sizeBand: 'size_band',
  ownerId: 'owner_id',
  csmId: 'csm_id',
  leadChannel: 'lead_channel',
  leadPartnerId: 'lead_partner_id',
  strategic: 'strategic',
  highPotential: 'high_potential',
  lifecycle: 'lifecycle',
  customAttributes: 'custom_attributes',
} as const;
export type AccountField = keyof typeof ACCOUNT_FIELDS;
export type AccountValues = Partial<Record<AccountField, unknown>>;

const encode = (v: unknown, field: AccountField) => (field === 'customAttributes' && v !== undefined && v !== null ? JSON.stringify(v) : v);

interface Cursor {
  s: string;
  k: string | null;
  id: string;
}

/**
 * Named queries on `accounts.accounts`. Every method runs inside the caller's
 * tenant (and partner) scoped transaction, so row-level security filters every row.
 */
export class AccountsRepository {
  async insert(em: EntityManager, id: string, tenantId: string, values: AccountValues): Promise<AccountRow> {
    const fields = Object.keys(values) as AccountField[];
    const cols = ['id', 'tenant_id', ...fields.map((f) => ACCOUNT_FIELDS[f])];
    const params = [id, tenantId, ...fields.map((f) => encode(values[f], f))];
    await em.query(`INSERT INTO accounts.accounts (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, params);
    return (await this.find(em, id, true))!;
  }

  async find(em: EntityManager, id: string, includeDeleted = false, lock = false): Promise<AccountRow | null> {
    const rows: AccountRow[] = await em.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a WHERE a.id = $1 ${includeDeleted ? '' : 'AND a.deleted_at IS NULL'} ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Applies changes and bumps the version; returns null when nothing matched. */
  async update(em: EntityManager, id: string, values: AccountValues, expectedVersion?: number): Promise<AccountRow | null> {
    const fields = Object.keys(values) as AccountField[];
    const sets = fields.map((f, i) => `${ACCOUNT_FIELDS[f]} = $${i + 3}`);
    const params: unknown[] = [id, expectedVersion ?? null, ...fields.map((f) => encode(values[f], f))];
    const rows = returnedRows<{ id: string }>(await em.query(
      `UPDATE accounts.accounts SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
       WHERE id = $1 AND deleted_at IS NULL AND ($2::int IS NULL OR version = $2::int) RETURNING id`,
      params,
    ));
    return rows.length ? this.find(em, id) : null;
  }

  async setDeleted(em: EntityManager, id: string, deleted: boolean): Promise<AccountRow | null> {
    const rows = returnedRows<{ id: string }>(await em.query(
      `UPDATE accounts.accounts SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), version = version + 1
       WHERE id = $1 AND deleted_at IS ${deleted ? 'NULL' : 'NOT NULL'} RETURNING id`,
      [id],
    ));
    return rows.length ? this.find(em, id, true) : null;
  }

  async userExists(em: EntityManager, id: string): Promise<boolean> {
    return (await em.query(`SELECT 1 FROM accounts.users WHERE id = $1`, [id])).length > 0;
  }

  async partnerExists(em: EntityManager, id: string): Promise<boolean> {
    return (await em.query(`SELECT 1 FROM accounts.partners WHERE id = $1`, [id])).length > 0;
  }

  /** Filtered, sorted keyset page: the sort key and id form the cursor. */
  async list(em: EntityManager, q: ListAccountsRequest): Promise<{ rows: AccountRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (!q.includeDeleted) where.push('a.deleted_at IS NULL');
    if (q.namePrefix) {
      // A range, not LIKE: under row-level security only leakproof operators may become
      // index conditions, and LIKE is not one (a seq scan of every account otherwise).
      // U+10FFFF is the highest code point, so [prefix, prefix‖U+10FFFF) holds every name
      // that starts with the prefix in the "C" collation of name_key.
      const prefix = q.namePrefix.toLowerCase();
      where.push(`a.name_key >= ${p(prefix)} AND a.name_key < ${p(prefix + '\u{10FFFF}')}`);
    }
    if (q.industry) where.push(`a.industry = ${p(q.industry)}`);
    if (q.region) where.push(`a.region = ${p(q.region)}`);
    if (q.tier) where.push(`a.tier = ${p(q.tier)}`);
    if (q.ownerId) where.push(`a.owner_id = ${p(q.ownerId)}`);
    if (q.csmId) where.push(`a.csm_id = ${p(q.csmId)}`);
    if (q.lifecycle) where.push(`a.lifecycle = ${p(q.lifecycle)}`);
    if (q.leadChannel) where.push(`a.lead_channel = ${p(q.leadChannel)}`);
    if (q.leadPartnerId) where.push(`a.lead_partner_id = ${p(q.leadPartnerId)}`);
    if (q.strategic !== undefined) where.push(`a.strategic = ${p(q.strategic)}`);
    if (q.highPotential !== undefined) where.push(`a.high_potential = ${p(q.highPotential)}`);

    const desc = q.sort.startsWith('-');
    const key = q.sort.replace('-', '');
    const column = key === 'name' ? 'a.name_key' : key === 'revenue12m' ? 'a.revenue_12m' : null;
    const dir = desc ? 'DESC' : 'ASC';
    const op = desc ? '<' : '>';
    if (q.cursor) {
      const c = decodeCursor(q.cursor, q.sort);
      if (column) where.push(`(${column}, a.id) ${op} (${p(key === 'revenue12m' ? c.k : c.k)}${key === 'revenue12m' ? '::bigint' : ''}, ${p(c.id)}::uuid)`);
      else where.push(`a.id ${op} ${p(c.id)}::uuid`);
    }
    const order = column ? `${column} ${dir}, a.id ${dir}` : `a.id ${dir}`;
    const rows: AccountRow[] = await em.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${p(q.limit + 1)}`,
      params,
    );
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    const nextCursor = more && last ? encodeCursor({ s: q.sort, k: key === 'name' ? last.nameKey : key === 'revenue12m' ? last.revenue12m : null, id: last.id }) : null;
    return { rows: page, nextCursor };
  }
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string, sort: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Cursor;
    if (c.s === sort && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id) && (c.k === null || typeof c.k === 'string')) return c;
  } catch {
    // fall through
  }
  throw StewardError.validation([{ field: 'cursor', rule: 'cursor', message: 'is not a cursor of this list with this sort' }]);
}
