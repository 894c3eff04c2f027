import { decodeCursor, encodeCursor, idCursor, useCursorKey } from './cursor';

const ID = '0190f3c2-7a4b-7cde-8f01-23456789abcd';
const isPos = (p: unknown): p is { k: number } => typeof p === 'object' && p !== null && typeof (p as { k?: unknown }).k === 'number';
const badCursor = expect.objectContaining({ code: 'VALIDATION_FAILED', details: { errors: [expect.objectContaining({ field: 'cursor', rule: 'cursor' })] } });

describe('signed cursors', () => {
  beforeEach(() => useCursorKey('k'.repeat(32)));

  it('round-trip a position', () => {
    expect(decodeCursor(encodeCursor({ k: 7 }), isPos)).toEqual({ k: 7 });
    expect(idCursor.decode(idCursor.encode(ID))).toBe(ID);
  });

  it.each([
    ['unsigned (the old format)', () => Buffer.from(JSON.stringify({ id: ID })).toString('base64url')],
    ['with its position changed', () => `${Buffer.from(JSON.stringify({ id: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${idCursor.encode(ID).split('.')[1]}`],
    ['with its signature changed', () => `${idCursor.encode(ID).slice(0, -2)}AA`],
    ['signed with another key', () => (useCursorKey('x'.repeat(32)), idCursor.encode(ID))],
    ['of another list (more than an id)', () => encodeCursor({ s: 'name', k: 'a', id: ID })],
    ['empty', () => ''],
    ['dots only', () => '..'],
    ['not base64', () => '%%%.***'],
  ])('refuse a cursor %s with a 400 naming the cursor', (_label, make) => {
    const raw = make();
    useCursorKey('k'.repeat(32));
    expect(() => idCursor.decode(raw)).toThrow(badCursor);
  });

  it('refuse a well-signed position of the wrong shape (the check still runs)', () => {
    expect(() => decodeCursor(encodeCursor({ k: 'seven' }), isPos)).toThrow(badCursor);
  });
});
