import { StewardError } from '@steward/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const badCursor = (message = 'is not a cursor returned by this list') => StewardError.validation([{ field: 'cursor', rule: 'cursor', message }]);

/** An opaque keyset cursor: the position of the last row of a page. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Reads a cursor back; `accept` checks the position's shape (and that it belongs to the
 * same list and sort). Anything else is a 400 naming `cursor`, never a failed cast.
 */
export function decodeCursor<T>(raw: string, accept: (position: unknown) => position is T, message?: string): T {
  try {
    const position: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (accept(position)) return position;
  } catch {
    // fall through
  }
  throw badCursor(message);
}

/** Lists paged by a time-ordered UUIDv7 id alone: the cursor holds the last id seen. */
export const idCursor = {
  encode: (id: string): string => encodeCursor({ id }),
  decode: (raw: string): string => decodeCursor(raw, (p): p is { id: string } => typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string' && UUID.test((p as { id: string }).id)).id,
};
