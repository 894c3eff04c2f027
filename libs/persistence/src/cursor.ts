import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { StewardError } from '@steward/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_BYTES = 16;

const badCursor = (message = 'is not a cursor returned by this list') => StewardError.validation([{ field: 'cursor', rule: 'cursor', message }]);

let key: Buffer | undefined;

/**
 * Sets the process's cursor key (the service kit does, from STEWARD_CURSOR_KEY). Every
 * replica of a service needs the same key for a cursor from one to work on another.
 * Returns false when none was given and a random key is used instead.
 */
export function useCursorKey(secret: string | undefined | null): boolean {
  key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  return Boolean(secret);
}

function mac(payload: string): Buffer {
  key ??= randomBytes(32);
  return createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
}

/**
 * An opaque, tamper-evident keyset cursor: the position of the last row of a page as
 * base64url JSON, and an HMAC-SHA256 of it (truncated to 128 bits). A client can neither
 * read a meaningful position from it nor forge one.
 */
export function encodeCursor(position: unknown): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(payload).toString('base64url')}`;
}

/**
 * Reads a cursor back: its signature first, then `accept` checks the position's shape (and
 * that it belongs to the same list and sort). Anything else is a 400 naming `cursor`,
 * never a failed cast.
 */
export function decodeCursor<T>(raw: string, accept: (position: unknown) => position is T, message?: string): T {
  const dot = raw.indexOf('.');
  if (dot > 0 && dot === raw.lastIndexOf('.')) {
    const payload = raw.slice(0, dot);
    const given = Buffer.from(raw.slice(dot + 1), 'base64url');
    const expected = mac(payload);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        const position: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString());
        if (accept(position)) return position;
      } catch {
        // fall through
      }
    }
  }
  throw badCursor(message);
}

/** Lists paged by a time-ordered UUIDv7 id alone: the cursor holds the last id seen. */
export const idCursor = {
  encode: (id: string): string => encodeCursor({ id }),
  decode: (raw: string): string =>
    decodeCursor(raw, (p): p is { id: string } => typeof p === 'object' && p !== null && Object.keys(p).length === 1 && typeof (p as { id?: unknown }).id === 'string' && UUID.test((p as { id: string }).id)).id,
};
