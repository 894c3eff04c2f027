import { daysFromCivil } from '@steward/domain-kernel';
import fc from 'fast-check';
import { SupportDomainErrorCode } from './errors';
import { formatInstant, parseInstant } from './instant';

describe('parseInstant', () => {
  it.each([
    ['Z with seconds', '2026-03-27T08:00:00Z', '2026-03-27T08:00:00.000Z'],
    ['no seconds', '2026-03-27T08:00Z', '2026-03-27T08:00:00.000Z'],
    ['milliseconds', '2026-03-27T08:00:00.123Z', '2026-03-27T08:00:00.123Z'],
    ['one fraction digit = 100 ms', '2026-03-27T08:00:00.1Z', '2026-03-27T08:00:00.100Z'],
    ['two fraction digits = 120 ms', '2026-03-27T08:00:00.12Z', '2026-03-27T08:00:00.120Z'],
    ['positive offset: 10:00+02:00 = 08:00Z', '2026-03-27T10:00:00+02:00', '2026-03-27T08:00:00.000Z'],
    ['negative offset: 03:00−05:00 = 08:00Z', '2026-03-27T03:00-05:00', '2026-03-27T08:00:00.000Z'],
    ['half-hour offset crossing midnight: 00:15+05:30 = 18:45Z the day before', '2026-03-01T00:15:00+05:30', '2026-02-28T18:45:00.000Z'],
    ['leap day 2028', '2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['before 1970', '1969-12-31T23:59:59Z', '1969-12-31T23:59:59.000Z'],
  ])('%s', (_name, input, expected) => {
    expect(formatInstant(parseInstant(input, 'at'))).toBe(expected);
  });

  it.each([
    ['no offset', '2026-03-27T08:00:00'],
    ['space instead of T', '2026-03-27 08:00:00Z'],
    ['30 February', '2026-02-30T08:00:00Z'],
    ['29 February 2026', '2026-02-29T08:00:00Z'],
    ['31 April', '2026-04-31T08:00:00Z'],
    ['month 13', '2026-13-01T08:00:00Z'],
    ['day 0', '2026-01-00T08:00:00Z'],
    ['hour 24', '2026-03-27T24:00:00Z'],
    ['minute 60', '2026-03-27T08:60:00Z'],
    ['second 60', '2026-03-27T08:00:60Z'],
    ['empty fraction', '2026-03-27T08:00:00.Z'],
    ['four fraction digits', '2026-03-27T08:00:00.1234Z'],
    ['offset hour 24', '2026-03-27T08:00:00+24:00'],
    ['offset minute 60', '2026-03-27T08:00:00+01:60'],
    ['offset without colon', '2026-03-27T08:00:00+0100'],
    ['letters in the year', '20x6-03-27T08:00:00Z'],
    ['trailing text', '2026-03-27T08:00:00Zz'],
    ['a number', 1_774_598_400_000],
    ['too short', '2026-03-27'],
  ])('rejects %s', (_name, input) => {
    expect(() => parseInstant(input, 'timeline.statusChanges[0].at')).toThrow(
      expect.objectContaining({ code: SupportDomainErrorCode.InvalidInstant, field: 'timeline.statusChanges[0].at' }) as Error,
    );
  });

  it('agrees with Date.parse on every valid instant (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, offsetMin) => {
        const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 23);
        const sign = offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(offsetMin);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseInstant(text, 'x')).toBe(date.getTime());
        expect(parseInstant(text, 'x')).toBe(Date.parse(text));
      }),
    );
  });

  it('daysFromCivil: 1970-01-01 = 0, 2026-03-29 = 20541, 1600-03-01 = −135080', () => {
    expect([daysFromCivil(1970, 1, 1), daysFromCivil(2026, 3, 29), daysFromCivil(1600, 3, 1)]).toEqual([0, 20541, -135080]);
  });
});
