import { StewardError } from '@steward/contracts';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Ids are UUIDv7 (time-ordered), so the keyset cursor is the last id seen. */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

export function decodeCursor(raw: string): string {
  const id = Buffer.from(raw, 'base64url').toString();
  if (UUID.test(id)) return id;
  throw StewardError.validation([{ field: 'cursor', rule: 'cursor', message: 'is not a cursor returned by this list' }]);
}

/**
 * Applies the cursor, ordering and limit (+1 to know whether a next page exists) and
 * returns the page. `idColumn` is alias-qualified (`u.id`).
 */
export async function paginate<E extends ObjectLiteral & { id: string }, D>(
  qb: SelectQueryBuilder<E>,
  page: { limit: number; cursor?: string },
  idColumn: string,
  direction: 'ASC' | 'DESC',
  map: (e: E) => D,
): Promise<{ items: D[]; nextCursor: string | null }> {
  if (page.cursor) qb.andWhere(`${idColumn} ${direction === 'ASC' ? '>' : '<'} :cursorId`, { cursorId: decodeCursor(page.cursor) });
  qb.orderBy(idColumn, direction).take(page.limit + 1);
  const rows = await qb.getMany();
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last.id) : null };
}
