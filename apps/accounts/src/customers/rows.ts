import type { EntityManager } from 'typeorm';
import { ErrorCode, StewardError } from '@steward/contracts';

/**
 * The columns of the given fields that are set (not undefined), as
 * `{ column: value }`: what an INSERT or a partial UPDATE writes.
 */
export function presentColumns<F extends string>(columnOf: Record<F, string>, values: Partial<Record<NoInfer<F>, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(columnOf) as F[]) if (values[field] !== undefined) out[columnOf[field]] = values[field];
  return out;
}

/** `INSERT INTO table (…) VALUES (…)` from a column map. */
export async function insertRow(em: EntityManager, table: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  await em.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
}

/** A partial `UPDATE … WHERE id = $1` that also stamps `updated_at`; nothing to set is a no-op. */
export async function updateRow(em: EntityManager, table: string, id: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  if (cols.length === 0) return;
  await em.query(`UPDATE ${table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [id, ...Object.values(row)]);
}

/** The account must exist in the caller's scope (404 otherwise) and not be soft-deleted (409). */
export async function requireLiveAccount(em: EntityManager, id: string): Promise<void> {
  const deleted = await accountDeleted(em, id);
  if (deleted) throw new StewardError(ErrorCode.AccountDeleted, `Account ${id} is deleted: restore it first`);
}

/** The account must exist in the caller's scope (404 otherwise); answers whether it is soft-deleted. */
export async function accountDeleted(em: EntityManager, id: string): Promise<boolean> {
  const [row] = await em.query(`SELECT deleted_at IS NOT NULL AS deleted FROM accounts.accounts WHERE id = $1`, [id]);
  if (!row) throw StewardError.notFound('account', id);
  return row.deleted as boolean;
}
