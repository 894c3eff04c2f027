import type { EntityManager } from 'typeorm';
import { returnedRows } from './pg-results';
import { deferredMark, dropDeferredSince } from './unit-of-work';

/**
 * Small builders for the repositories' hand-written SQL (docs/adr/0005-persistence.md).
 * Table and column names come from code, never from input; values are always parameters.
 */

/** The columns of the given fields that are set (not undefined), as `{ column: value }`. */
export function presentColumns<F extends string>(columnOf: Record<F, string>, values: Partial<Record<NoInfer<F>, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(columnOf) as F[]) if (values[field] !== undefined) out[columnOf[field]] = values[field];
  return out;
}

/** `INSERT INTO table (…) VALUES (…) [RETURNING …]` from a column map; returns the returned rows. */
export async function insertRow<T = Record<string, unknown>>(em: EntityManager, table: string, row: Record<string, unknown>, returning?: string): Promise<T[]> {
  const cols = Object.keys(row);
  const result: unknown = await em.query(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})${returning ? ` RETURNING ${returning}` : ''}`,
    Object.values(row),
  );
  return returning ? returnedRows<T>(result) : [];
}

/**
 * A partial `UPDATE … SET … WHERE id = $1` that also stamps `updated_at` (when `stamp` is
 * set); nothing to set is a no-op. Returns how many rows matched.
 */
export async function updateRow(em: EntityManager, table: string, id: string, row: Record<string, unknown>, { stamp = true } = {}): Promise<number> {
  const cols = Object.keys(row);
  if (cols.length === 0) return 0;
  const sets = [...cols.map((c, i) => `${c} = $${i + 2}`), ...(stamp ? ['updated_at = now()'] : [])];
  const result: unknown = await em.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1 RETURNING id`, [id, ...Object.values(row)]);
  return returnedRows(result).length;
}

/** A list page: `limit + 1` rows were read to learn whether another page follows. */
export function toPage<R, D>(rows: R[], limit: number, map: (r: R) => D, cursorOf: (last: R) => string): { items: D[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last !== undefined ? cursorOf(last) : null };
}

let savepoints = 0;

/**
 * Runs `work` inside a savepoint of the caller's transaction: if it throws, only its own
 * statements are rolled back and the transaction stays usable (a duplicate e-mail, one bad
 * CSV row), and the error is rethrown for the caller to map.
 */
export async function withSavepoint<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  const name = `sp_${++savepoints}`;
  await em.query(`SAVEPOINT ${name}`);
  const mark = deferredMark(em);
  try {
    const result = await work();
    // Sends the writes deferred inside the savepoint first: their failure is the savepoint's.
    await em.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    // Writes deferred inside and not sent yet belong to what is rolled back: never sent.
    dropDeferredSince(em, mark);
    await em.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}
