import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListUsersRequest, Page, Role, UserDto } from '@steward/contracts';
import { idCursor, insertRow, presentColumns, returnedRows, toPage, Tx, updateRow } from '@steward/persistence';

const COLUMNS = `u.id, u.tenant_id AS "tenantId", u.email, u.name, u.role, u.active, u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;
type UserRow = Omit<UserDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: UserRow): UserDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

const FIELDS = { name: 'name', role: 'role', active: 'active', passwordHash: 'password_hash' } as const;

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/** Named queries on `accounts.users` and the login directory. */
@Injectable()
export class UsersRepository {
  /**
   * The tenant of a login e-mail, before any tenant is known: a SECURITY DEFINER function
   * answers one exact e-mail, so this unscoped read cannot list anyone.
   */
  async tenantForLogin(em: EntityManager, email: string): Promise<string | null> {
    const [row] = await em.query('SELECT accounts.tenant_for_login($1) AS tenant_id', [email]);
    return (row?.tenant_id as string | null) ?? null;
  }

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<UserDto | null> {
    const [row]: UserRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.users u WHERE u.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  async findWithPassword(tx: Tx, by: { email: string } | { id: string }): Promise<{ user: UserDto; passwordHash: string } | null> {
    const [column, value] = 'email' in by ? ['email', by.email] : ['id', by.id];
    const [row]: Array<UserRow & { passwordHash: string }> = await tx.query(`SELECT ${COLUMNS}, u.password_hash AS "passwordHash" FROM accounts.users u WHERE u.${column} = $1`, [value]);
    if (!row) return null;
    const { passwordHash, ...user } = row;
    return { user: toDto(user), passwordHash };
  }

  async list(tx: Tx, q: ListUsersRequest): Promise<Page<UserDto>> {
    const params: unknown[] = [q.limit + 1];
    const where: string[] = [];
    if (q.role) where.push(`u.role = $${params.push(q.role)}`);
    if (q.active !== undefined) where.push(`u.active = $${params.push(q.active)}`);
    if (q.cursor) where.push(`u.id > $${params.push(idCursor.decode(q.cursor))}`);
    const rows: UserRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.id LIMIT $1`, params);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  /** Adds the user and claims its e-mail in the login directory (unique across tenants). */
  async insert(tx: Tx, u: NewUser): Promise<UserDto> {
    await tx.query('INSERT INTO accounts.login_directory (email, tenant_id) VALUES ($1, $2)', [u.email, tx.scope.tenantId]);
    const [row] = await insertRow<UserRow>(
      tx,
      'accounts.users',
      { id: u.id, tenant_id: tx.scope.tenantId, email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash, active: true },
      COLUMNS.replace(/u\./g, ''),
    );
    return toDto(row);
  }

  async update(tx: Tx, id: string, changes: { name?: string; role?: Role; active?: boolean; passwordHash?: string }): Promise<void> {
    await updateRow(tx, 'accounts.users', id, presentColumns(FIELDS, changes));
  }

  /** Active admins other than `exceptId`, serialised per tenant so two admins cannot demote each other at once. */
  async otherActiveAdmins(tx: Tx, exceptId: string): Promise<number> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('last-admin:' || $1))`, [tx.scope.tenantId]);
    const [row] = await tx.query(`SELECT count(*)::int AS n FROM accounts.users WHERE role = 'admin' AND active AND id <> $1`, [exceptId]);
    return row.n as number;
  }

  async exists(tx: Tx, id: string): Promise<boolean> {
    return returnedRows(await tx.query(`SELECT 1 FROM accounts.users WHERE id = $1`, [id])).length > 0;
  }

  /** Every user's e-mail → id (CSV import resolves owner and CSM e-mails). */
  async idsByEmail(tx: Tx): Promise<Map<string, string>> {
    const rows: Array<{ id: string; email: string }> = await tx.query(`SELECT id, email FROM accounts.users`);
    return new Map(rows.map((r) => [r.email, r.id]));
  }
}
