import { DomainError } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';
import { assertTimeZone, findOffsetChange, instantsAtWallClock, isValidTimeZone, offsetAt, toWallClock, wallClockToInstant, type Disambiguation } from './zoned-time';

const wall = (iso: string): number => Date.parse(`${iso}Z`); // local wall-clock encoded as UTC
const at = (iso: string): number => Date.parse(iso);
const H = 3_600_000;

describe('offsetAt', () => {
  it.each([
    ['Berlin winter: CET = UTC+1', 'Europe/Berlin', '2026-01-15T12:00:00Z', 1 * H],
    ['Berlin summer: CEST = UTC+2', 'Europe/Berlin', '2026-07-15T12:00:00Z', 2 * H],
    ['Berlin 00:59:59Z on 2026-03-29 is still CET', 'Europe/Berlin', '2026-03-29T00:59:59Z', 1 * H],
    ['Berlin 01:00Z on 2026-03-29 is CEST (spring forward)', 'Europe/Berlin', '2026-03-29T01:00:00Z', 2 * H],
    ['Berlin 01:00Z on 2026-10-25 is CET again (fall back)', 'Europe/Berlin', '2026-10-25T01:00:00Z', 1 * H],
    ['New York winter: EST = UTC−5', 'America/New_York', '2026-01-15T12:00:00Z', -5 * H],
    ['New York 07:00Z on 2026-03-08 is EDT = UTC−4', 'America/New_York', '2026-03-08T07:00:00Z', -4 * H],
    ['Kolkata has a half-hour offset: UTC+5:30', 'Asia/Kolkata', '2026-01-15T12:00:00Z', 5.5 * H],
    ['milliseconds do not disturb the offset', 'Europe/Berlin', '2026-01-15T12:00:00.999Z', 1 * H],
  ])('%s', (_name, zone, instant, expected) => {
    expect(offsetAt(zone, at(instant))).toBe(expected);
  });

  it('toWallClock: 2026-03-29T01:30Z is 03:30 on Berlin walls', () => {
    expect(new Date(toWallClock('Europe/Berlin', at('2026-03-29T01:30:00Z'))).toISOString()).toBe('2026-03-29T03:30:00.000Z');
  });
});

describe('instantsAtWallClock', () => {
  it.each([
    ['ordinary Berlin time has one instant (10:00 CET = 09:00Z)', 'Europe/Berlin', '2026-01-15T10:00:00', ['2026-01-15T09:00:00.000Z']],
    ['Berlin 02:30 on 2026-03-29 never happens (gap 02:00→03:00)', 'Europe/Berlin', '2026-03-29T02:30:00', []],
    ['Berlin 02:30 on 2026-10-25 happens twice: 00:30Z (CEST) and 01:30Z (CET)', 'Europe/Berlin', '2026-10-25T02:30:00', ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']],
    ['New York 02:30 on 2026-03-08 never happens', 'America/New_York', '2026-03-08T02:30:00', []],
    ['New York 01:30 on 2026-11-01 happens twice: 05:30Z (EDT) and 06:30Z (EST)', 'America/New_York', '2026-11-01T01:30:00', ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']],
  ])('%s', (_name, zone, local, expected) => {
    expect(instantsAtWallClock(zone, wall(local)).map((t) => new Date(t).toISOString())).toEqual(expected);
  });
});

describe('wallClockToInstant', () => {
  it.each<[string, string, Disambiguation, string]>([
    ['gap, compatible: 02:30 → 03:30 CEST = 01:30Z (pushed forward by the 1 h gap)', '2026-03-29T02:30:00', 'compatible', '2026-03-29T01:30:00.000Z'],
    ['gap, later: same as compatible', '2026-03-29T02:30:00', 'later', '2026-03-29T01:30:00.000Z'],
    ['gap, earlier: 02:30 read with CEST = 00:30Z (01:30 CET)', '2026-03-29T02:30:00', 'earlier', '2026-03-29T00:30:00.000Z'],
    ['overlap, compatible: first 02:30 (CEST) = 00:30Z', '2026-10-25T02:30:00', 'compatible', '2026-10-25T00:30:00.000Z'],
    ['overlap, earlier: 00:30Z', '2026-10-25T02:30:00', 'earlier', '2026-10-25T00:30:00.000Z'],
    ['overlap, later: second 02:30 (CET) = 01:30Z', '2026-10-25T02:30:00', 'later', '2026-10-25T01:30:00.000Z'],
    ['ordinary time ignores the option: 10:00 CEST = 08:00Z', '2026-07-01T10:00:00', 'reject', '2026-07-01T08:00:00.000Z'],
  ])('Berlin %s', (_name, local, how, expected) => {
    expect(new Date(wallClockToInstant('Europe/Berlin', wall(local), how)).toISOString()).toBe(expected);
  });

  it.each([
    ['a skipped time', '2026-03-29T02:30:00', 'skipped'],
    ['a repeated time', '2026-10-25T02:30:00', 'repeated'],
  ])('reject throws for %s', (_name, local, word) => {
    expect(() => wallClockToInstant('Europe/Berlin', wall(local), 'reject')).toThrow(word);
  });

  it('defaults to compatible', () => {
    expect(wallClockToInstant('Europe/Berlin', wall('2026-03-29T02:30:00'))).toBe(at('2026-03-29T01:30:00Z'));
  });
});

describe('findOffsetChange', () => {
  it('finds Berlin spring-forward at 2026-03-29T01:00:00Z to the second', () => {
    expect(findOffsetChange('Europe/Berlin', at('2026-03-28T00:00:00.500Z'), at('2026-03-30T00:00:00Z'))).toBe(at('2026-03-29T01:00:00Z'));
  });
  it('finds New York fall-back at 2026-11-01T06:00:00Z', () => {
    expect(findOffsetChange('America/New_York', at('2026-10-31T00:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(at('2026-11-01T06:00:00Z'));
  });
  it('returns null when nothing changes', () => {
    expect(findOffsetChange('Europe/Berlin', at('2026-06-01T00:00:00Z'), at('2026-06-03T00:00:00Z'))).toBeNull();
  });
});

describe('time zone validation', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    [42, false],
  ])('%p valid = %p', (zone, ok) => {
    expect(isValidTimeZone(zone)).toBe(ok);
  });

  it('assertTimeZone names the field', () => {
    expect(() => assertTimeZone('Europe/Atlantis', 'calendar.timeZone')).toThrow(
      expect.objectContaining({ code: SupportDomainErrorCode.InvalidTimeZone, field: 'calendar.timeZone' }) as DomainError,
    );
    expect(assertTimeZone('Europe/Berlin', 'x')).toBe('Europe/Berlin');
  });
});
