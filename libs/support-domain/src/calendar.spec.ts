import fc from 'fast-check';
import { addBusinessMinutes, businessMinutesBetween, calendarEngine, validateBusinessCalendar, type BusinessCalendar, type BusinessHoursCalendar } from './calendar';
import { DomainError } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';

const lunchBreak = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
/** Berlin office: Mon–Fri 09:00–12:00 + 13:00–18:00 (8 h/day), Good Friday and Easter Monday 2026 off. */
const berlin: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: lunchBreak, tue: lunchBreak, wed: lunchBreak, thu: lunchBreak, fri: lunchBreak },
  holidays: ['2026-04-03', '2026-04-06', '2026-12-25'],
};
const nineToFive = [{ start: '09:00', end: '17:00' }];
const newYork: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'America/New_York',
  weeklyHours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
};
const sundayOnly = (zone: string, start: string, end: string): BusinessHoursCalendar => ({ kind: 'business-hours', timeZone: zone, weeklyHours: { sun: [{ start, end }] } });
const allDay = { start: '00:00', end: '24:00' };
const berlinAllDays: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] },
};

describe('businessMinutesBetween', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['same morning: 09:30–11:00 CET = 90', berlin, '2026-03-02T08:30:00Z', '2026-03-02T10:00:00Z', 90],
    ['over lunch: 11:00–14:00 CET = 60 + 60 = 120', berlin, '2026-03-02T10:00:00Z', '2026-03-02T13:00:00Z', 120],
    ['whole Monday 00:00–24:00 CET = 3 h + 5 h = 480', berlin, '2026-03-01T23:00:00Z', '2026-03-02T23:00:00Z', 480],
    ['overnight Mon 17:00 → Tue 10:00 CET = 60 + 60 = 120', berlin, '2026-03-02T16:00:00Z', '2026-03-03T09:00:00Z', 120],
    ['weekend Fri 17:00 CET → Mon 10:00 CEST across spring-forward = 60 + 60 = 120', berlin, '2026-03-27T16:00:00Z', '2026-03-30T08:00:00Z', 120],
    ['Easter: Thu 2 Apr 17:00 → Tue 7 Apr 10:00 CEST skips Good Friday and Easter Monday = 60 + 60', berlin, '2026-04-02T15:00:00Z', '2026-04-07T08:00:00Z', 120],
    ['created on a holiday (Good Friday 10:00) → Tue 09:30: only Tue 09:00–09:30 = 30', berlin, '2026-04-03T08:00:00Z', '2026-04-07T07:30:00Z', 30],
    ['fall-back weekend Fri 23 Oct 17:00 CEST → Mon 26 Oct 10:00 CET = 60 + 60', berlin, '2026-10-23T15:00:00Z', '2026-10-26T09:00:00Z', 120],
    ['lunch to lunch is zero: 12:10–12:50 CET', berlin, '2026-03-02T11:10:00Z', '2026-03-02T11:50:00Z', 0],
    ['New York across spring-forward: Fri 6 Mar 16:00 EST → Mon 9 Mar 10:00 EDT = 60 + 60', newYork, '2026-03-06T21:00:00Z', '2026-03-09T14:00:00Z', 120],
    ['New York across fall-back: Fri 30 Oct 16:00 EDT → Mon 2 Nov 10:00 EST = 60 + 60', newYork, '2026-10-30T20:00:00Z', '2026-11-02T15:00:00Z', 120],
    ['spring-forward Sunday 00:00–24:00 is 23 h = 1380', sundayOnly('Europe/Berlin', '00:00', '24:00'), '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', 1380],
    ['fall-back Sunday 00:00–24:00 is 25 h = 1500', sundayOnly('Europe/Berlin', '00:00', '24:00'), '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', 1500],
    ['spring-forward Sunday 02:00–03:00 never happens = 0', sundayOnly('Europe/Berlin', '02:00', '03:00'), '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', 0],
    ['spring-forward Sunday 01:00–04:00 = 01:00 CET (00:00Z) → 04:00 CEST (02:00Z) = 120', sundayOnly('Europe/Berlin', '01:00', '04:00'), '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', 120],
    ['spring-forward Sunday 02:30–06:00 starts when clocks jump to 03:00: 01:00Z → 04:00Z = 180', sundayOnly('Europe/Berlin', '02:30', '06:00'), '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', 180],
    ['fall-back Sunday 02:00–03:00 happens twice = 120', sundayOnly('Europe/Berlin', '02:00', '03:00'), '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z', 120],
    ['fall-back Sunday 01:00–04:00 = 23:00Z Sat → 03:00Z = 240', sundayOnly('Europe/Berlin', '01:00', '04:00'), '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z', 240],
    ['New York fall-back Sunday 00:00–24:00 is 25 h = 1500', sundayOnly('America/New_York', '00:00', '24:00'), '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z', 1500],
    ['24x7: wall-clock minutes, 1 h 30', { kind: '24x7' }, '2026-03-29T00:30:00Z', '2026-03-29T02:00:00Z', 90],
    ['reversed instants give a negative count', berlin, '2026-03-02T10:00:00Z', '2026-03-02T08:30:00Z', -90],
  ])('%s', (_name, calendar, from, to, minutes) => {
    expect(businessMinutesBetween(calendar, from, to)).toBe(minutes);
  });

  it('a long span crosses many 64-day blocks: the 2026 office year is 258 working days × 480', () => {
    // 2026 has 261 weekdays; minus the three weekday holidays listed = 258 days × 480 min.
    expect(businessMinutesBetween(berlin, '2025-12-31T23:00:00Z', '2026-12-31T23:00:00Z')).toBe(258 * 480);
  });
});

describe('addBusinessMinutes', () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['Fri 16:00 CET + 480 → Mon 30 Mar 16:00 CEST (14:00Z, not 15:00Z): 120 Fri, 180 + 180 Mon', berlin, '2026-03-27T15:00:00Z', 480, '2026-03-30T14:00:00.000Z'],
    ['11:00 + 60 ends exactly at the lunch break: 12:00 CET, not 13:00', berlin, '2026-03-02T10:00:00Z', 60, '2026-03-02T11:00:00.000Z'],
    ['11:00 + 61 → 13:01 CET', berlin, '2026-03-02T10:00:00Z', 61, '2026-03-02T12:01:00.000Z'],
    ['created Saturday → starts Monday 09:00 CET: + 30 → 09:30 (08:30Z)', berlin, '2026-02-28T10:00:00Z', 30, '2026-03-02T08:30:00.000Z'],
    ['0 minutes outside hours → next working instant (Mon 09:00 CET)', berlin, '2026-02-28T10:00:00Z', 0, '2026-03-02T08:00:00.000Z'],
    ['0 minutes inside hours → now', berlin, '2026-03-02T10:00:00Z', 0, '2026-03-02T10:00:00.000Z'],
    ['0 minutes during lunch → 13:00', berlin, '2026-03-02T11:30:00Z', 0, '2026-03-02T12:00:00.000Z'],
    ['Thu 2 Apr 17:30 CEST + 60 → Tue 7 Apr 09:30 CEST over Easter', berlin, '2026-04-02T15:30:00Z', 60, '2026-04-07T07:30:00.000Z'],
    ['New York Fri 6 Mar 16:00 EST + 120 → Mon 9 Mar 10:00 EDT = 14:00Z', newYork, '2026-03-06T21:00:00Z', 120, '2026-03-09T14:00:00.000Z'],
    ['a year of work: Fri 2 Jan 09:00 CET + 257 days × 480 (258 minus Thu 1 Jan, not listed as a holiday) → Thu 31 Dec 18:00 CET', berlin, '2026-01-02T08:00:00Z', 257 * 480, '2026-12-31T17:00:00.000Z'],
    ['24x7 adds wall-clock minutes across spring-forward', { kind: '24x7' }, '2026-03-29T00:30:00Z', 60, '2026-03-29T01:30:00.000Z'],
    ['24x7 with 0 minutes is now', { kind: '24x7' }, '2026-03-29T00:30:00Z', 0, '2026-03-29T00:30:00.000Z'],
  ])('%s', (_name, calendar, from, minutes, due) => {
    expect(addBusinessMinutes(calendar, from, minutes)).toBe(due);
  });

  it.each([
    ['negative', -1],
    ['NaN', NaN],
    ['a string', '5' as unknown as number],
  ])('rejects %s minutes', (_name, minutes) => {
    expect(() => addBusinessMinutes(berlin, '2026-03-02T10:00:00Z', minutes)).toThrow(expect.objectContaining({ field: 'minutes' }) as Error);
  });

  it('throws DEADLINE_UNREACHABLE when every working day for ~7 years is a holiday', () => {
    const holidays: string[] = [];
    // Only Mondays are open; make every Monday from 2026 to 2034 a holiday.
    for (let t = Date.UTC(2026, 0, 5); t < Date.UTC(2034, 0, 1); t += 7 * 86_400_000) holidays.push(new Date(t).toISOString().slice(0, 10));
    const closed: BusinessHoursCalendar = { kind: 'business-hours', timeZone: 'UTC', weeklyHours: { mon: nineToFive }, holidays };
    for (const minutes of [0, 30]) {
      expect(() => addBusinessMinutes(closed, '2026-01-01T00:00:00Z', minutes)).toThrow(
        expect.objectContaining({ code: SupportDomainErrorCode.DeadlineUnreachable }) as Error,
      );
    }
  });
});

describe('calendar properties', () => {
  const t2026 = Date.UTC(2026, 0, 1);
  const instant = fc.integer({ min: 0, max: 2 * 366 * 1440 }).map((m) => t2026 + m * 60_000);
  it('Berlin open 00:00–24:00 every day equals 24x7 across both 2026 DST changes', () => {
    const engine = calendarEngine(berlinAllDays);
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(engine.businessMsBetween(lo, hi)).toBe(hi - lo);
      }),
    );
  });
  it('addBusinessMs inverts businessMsBetween on the lunch-break calendar', () => {
    const engine = calendarEngine(berlin);
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20_000 }), (from, minutes) => {
        const due = engine.addBusinessMs(from, minutes * 60_000);
        expect(engine.businessMsBetween(from, due)).toBe(minutes * 60_000);
        // Earliest such instant: one millisecond earlier is short of the target.
        expect(engine.businessMsBetween(from, due - 1)).toBeLessThan(minutes * 60_000);
      }),
    );
  });
});

describe('validateBusinessCalendar', () => {
  const base = { kind: 'business-hours', timeZone: 'Europe/Berlin', weeklyHours: { mon: nineToFive } };
  it.each<[string, unknown, SupportDomainErrorCode, string]>([
    ['not an object', null, SupportDomainErrorCode.Required, 'calendar'],
    ['unknown kind', { kind: '9to5' }, SupportDomainErrorCode.InvalidValue, 'calendar.kind'],
    ['24x7 with extra fields', { kind: '24x7', timeZone: 'UTC' }, SupportDomainErrorCode.UnknownField, 'calendar.timeZone'],
    ['unknown field', { ...base, holyday: [] }, SupportDomainErrorCode.UnknownField, 'calendar.holyday'],
    ['bad zone', { ...base, timeZone: 'Europe/Atlantis' }, SupportDomainErrorCode.InvalidTimeZone, 'calendar.timeZone'],
    ['missing weekly hours', { kind: 'business-hours', timeZone: 'UTC' }, SupportDomainErrorCode.Required, 'calendar.weeklyHours'],
    ['unknown weekday', { ...base, weeklyHours: { monday: nineToFive } }, SupportDomainErrorCode.UnknownField, 'calendar.weeklyHours.monday'],
    ['weekday not an array', { ...base, weeklyHours: { mon: nineToFive[0] } }, SupportDomainErrorCode.Required, 'calendar.weeklyHours.mon'],
    ['interval not an object', { ...base, weeklyHours: { mon: ['09:00-17:00'] } }, SupportDomainErrorCode.Required, 'calendar.weeklyHours.mon[0]'],
    ['bad start time', { ...base, weeklyHours: { mon: [{ start: '9:00', end: '17:00' }] } }, SupportDomainErrorCode.InvalidTime, 'calendar.weeklyHours.mon[0].start'],
    ['minute 60', { ...base, weeklyHours: { mon: [{ start: '09:00', end: '16:60' }] } }, SupportDomainErrorCode.InvalidTime, 'calendar.weeklyHours.mon[0].end'],
    ['24:30', { ...base, weeklyHours: { mon: [{ start: '09:00', end: '24:30' }] } }, SupportDomainErrorCode.InvalidTime, 'calendar.weeklyHours.mon[0].end'],
    ['end equals start', { ...base, weeklyHours: { mon: [{ start: '09:00', end: '09:00' }] } }, SupportDomainErrorCode.InvalidInterval, 'calendar.weeklyHours.mon[0].end'],
    ['end before start', { ...base, weeklyHours: { tue: [{ start: '18:00', end: '09:00' }] } }, SupportDomainErrorCode.InvalidInterval, 'calendar.weeklyHours.tue[0].end'],
    [
      'overlapping intervals (listed out of order)',
      { ...base, weeklyHours: { wed: [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '13:30' }] } },
      SupportDomainErrorCode.OverlappingIntervals,
      'calendar.weeklyHours.wed[0]',
    ],
    ['no working hours at all', { ...base, weeklyHours: { mon: [] } }, SupportDomainErrorCode.NoWorkingHours, 'calendar.weeklyHours'],
    ['holidays not an array', { ...base, holidays: '2026-12-25' }, SupportDomainErrorCode.Required, 'calendar.holidays'],
    ['holiday 30 February', { ...base, holidays: ['2026-12-25', '2026-02-30'] }, SupportDomainErrorCode.InvalidDate, 'calendar.holidays[1]'],
    ['holiday in another format', { ...base, holidays: ['25.12.2026'] }, SupportDomainErrorCode.InvalidDate, 'calendar.holidays[0]'],
  ])('%s → %s at %s', (_name, calendar, code, field) => {
    const issues = validateBusinessCalendar(calendar);
    expect(issues[0]).toMatchObject({ code, field });
    expect(() => calendarEngine(calendar as BusinessCalendar)).toThrow(expect.objectContaining({ code, field }) as DomainError);
  });

  it('collects every problem, not only the first', () => {
    const issues = validateBusinessCalendar({ ...base, timeZone: 'Nowhere', weeklyHours: { mon: [{ start: '10:00', end: '09:00' }] }, holidays: ['x'] });
    expect(issues.map((i) => i.field)).toEqual(['calendar.timeZone', 'calendar.weeklyHours.mon[0].end', 'calendar.holidays[0]']);
  });

  it('accepts touching intervals and treats them as one (09:00–12:00 + 12:00–13:00 = 240 min)', () => {
    const touching: BusinessHoursCalendar = { kind: 'business-hours', timeZone: 'UTC', weeklyHours: { mon: [{ start: '12:00', end: '13:00' }, { start: '09:00', end: '12:00' }] } };
    expect(validateBusinessCalendar(touching)).toEqual([]);
    expect(businessMinutesBetween(touching, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(240);
  });

  it('sees a changed calendar object (cache by content, not identity)', () => {
    const cal: BusinessHoursCalendar = { kind: 'business-hours', timeZone: 'UTC', weeklyHours: { mon: nineToFive } };
    expect(businessMinutesBetween(cal, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(480);
    cal.holidays = ['2026-03-02'];
    expect(businessMinutesBetween(cal, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).toBe(0);
  });

  it('rejects a bad instant with the field name', () => {
    expect(() => businessMinutesBetween(berlin, '2026-03-02 10:00', '2026-03-02T10:00:00Z')).toThrow(expect.objectContaining({ field: 'from' }) as Error);
  });
});
