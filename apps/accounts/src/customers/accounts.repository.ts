import { Injectable } from '@nestjs/common';
import { ListAccountsRequest } from '@steward/contracts';
import { decodeCursor, encodeCursor, returnedRows, toPage, type ReadTx, Tx } from '@steward/persistence';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The sort key's shape per sort: a bigint for revenue, a name key, none for creation order. */
const KEY_SHAPE: Record<string, (k: unknown) => boolean> = {
  revenue12m: (k) => typeof k === 'string' && /^-?\d{1,19}$/.test(k),
  name: (k) => typeof k === 'string' && k.length <= 1000,
  createdAt: (k) => k === null,
};

/** A cursor of this list and sort (signed, so normally ours; checked anyway, so a cast can never fail). */
const isCursor =
  (sort: string) =>
  (c: unknown): c is Cursor => {
    const x = c as Cursor;
    return typeof c === 'object' && c !== null && x.s === sort && typeof x.id === 'string' && UUID.test(x.id) && (KEY_SHAPE[sort.replace('-', '')]?.(x.k) ?? false);
  };

/**
 * Named queries on `accounts.accounts`. Every method runs inside the caller's
 * tenant (and partner) scoped transaction, so row-level security filters every row.
 */
@Injectable()
export class AccountsRepository {
  async insert(tx: Tx, id: string, values: AccountValues): Promise<AccountRow> {
    const fields = Object.keys(values) as AccountField[];
    const cols = ['id', 'tenant_id', ...fields.map((f) => ACCOUNT_FIELDS[f])];
    const params = [id, tx.scope.tenantId, ...fields.map((f) => encode(values[f], f))];
    await tx.query(`INSERT INTO accounts.accounts (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, params);
    return (await this.find(tx, id, true))!;
  }

  async find(tx: ReadTx, id: string, includeDeleted = false, lock = false): Promise<AccountRow | null> {
    const rows: AccountRow[] = await tx.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a WHERE a.id = $1 ${includeDeleted ? '' : 'AND a.deleted_at IS NULL'} ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Applies changes and bumps the version; returns null when nothing matched. */
  /** The account with this external id (deleted ones too), locked for the transaction. */
  async findByExternalId(tx: Tx, externalId: string): Promise<AccountRow | null> {
    const [row]: AccountRow[] = await tx.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a WHERE a.external_id = $1 FOR UPDATE`, [externalId]);
    return row ?? null;
  }

  /** Whether the account is soft-deleted; null when it is not in the caller's scope. */
  async deletedState(tx: Tx, id: string): Promise<boolean | null> {
    const [row] = await tx.query(`SELECT deleted_at IS NOT NULL AS deleted FROM accounts.accounts WHERE id = $1`, [id]);
    return row ? (row.deleted as boolean) : null;
  }

  /** Which of these ids are accounts in the caller's scope. */
  async existingIds(tx: Tx, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await tx.query(`SELECT id FROM accounts.accounts WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async update(tx: Tx, id: string, values: AccountValues, expectedVersion?: number): Promise<AccountRow | null> {
    const fields = Object.keys(values) as AccountField[];
    const sets = fields.map((f, i) => `${ACCOUNT_FIELDS[f]} = $${i + 3}`);
    const params: unknown[] = [id, expectedVersion ?? null, ...fields.map((f) => encode(values[f], f))];
    const rows = returnedRows<{ id: string }>(await tx.query(
      `UPDATE accounts.accounts SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
       WHERE id = $1 AND deleted_at IS NULL AND ($2::int IS NULL OR version = $2::int) RETURNING id`,
      params,
    ));
    return rows.length ? this.find(tx, id) : null;
  }

  async setDeleted(tx: Tx, id: string, deleted: boolean): Promise<AccountRow | null> {
    const rows = returnedRows<{ id: string }>(await tx.query(
      `UPDATE accounts.accounts SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), version = version + 1
       WHERE id = $1 AND deleted_at IS ${deleted ? 'NULL' : 'NOT NULL'} RETURNING id`,
      [id],
    ));
    return rows.length ? this.find(tx, id, true) : null;
  }

  /** Filtered, sorted keyset page: the sort key and id form the cursor. */
  async list(tx: ReadTx, q: ListAccountsRequest): Promise<{ rows: AccountRow[]; nextCursor: string | null }> {
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
      const c = decodeCursor(q.cursor, isCursor(q.sort), 'is not a cursor of this list with this sort');
      if (column) where.push(`(${column}, a.id) ${op} (${p(key === 'revenue12m' ? c.k : c.k)}${key === 'revenue12m' ? '::bigint' : ''}, ${p(c.id)}::uuid)`);
      else where.push(`a.id ${op} ${p(c.id)}::uuid`);
    }
    const order = column ? `${column} ${dir}, a.id ${dir}` : `a.id ${dir}`;
    const rows: AccountRow[] = await tx.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${p(q.limit + 1)}`,
      params,
    );
    const page = toPage(rows, q.limit, (r) => r, (last) => encodeCursor({ s: q.sort, k: key === 'name' ? last.nameKey : key === 'revenue12m' ? last.revenue12m : null, id: last.id } satisfies Cursor));
    return { rows: page.items, nextCursor: page.nextCursor };
  }
}
