import { addBusinessMinutes, businessMinutesBetween, validateBusinessCalendar, type BusinessHoursCalendar } from './calendar';
import { SupportDomainErrorCode } from './errors';

// Shanghai office (UTC+8, no DST): Mon–Fri 09:00–12:00 + 13:30–18:00 (7.5 h a day).
const office = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const shanghai: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Asia/Shanghai',
  weeklyHours: { mon: office, tue: office, wed: office, thu: office, fri: office },
  holidays: ['10-01', '2026-10-02'],
  specialDays: [
    // A Saturday worked to make up for the holiday, mornings only.
    { date: '2026-10-10', hours: [{ start: '09:00', end: '12:00' }] },
    // Christmas Eve closes at noon.
    { date: '2026-12-24', hours: [{ start: '09:00', end: '12:00' }] },
    // A yearly holiday that falls on a special day: the special day wins.
    { date: '2027-10-01', hours: [{ start: '10:00', end: '11:00' }] },
  ],
};

describe('yearly holidays and special days', () => {
  it.each<[string, string, string, number]>([
    ['1 Oct 2026 (yearly) and 2 Oct 2026 (once) are off: Wed 30 Sep 17:00 → Mon 5 Oct 10:00 CST = 60 + 60', '2026-09-30T09:00:00Z', '2026-10-05T02:00:00Z', 120],
    ['the yearly holiday recurs: Fri 1 Oct 2027 09:00–18:00 has 60 min (its special hours win)', '2027-10-01T01:00:00Z', '2027-10-01T10:00:00Z', 60],
    ['a yearly holiday on a weekday in 2028 (Sun 1 Oct 2028 is off anyway; Mon 2 Oct is a normal day) = 450', '2028-10-02T00:00:00Z', '2028-10-03T00:00:00Z', 450],
    ['the make-up Saturday counts its morning: Sat 10 Oct = 180', '2026-10-10T00:00:00Z', '2026-10-11T00:00:00Z', 180],
    ['Christmas Eve closes at noon: Thu 24 Dec = 180', '2026-12-24T00:00:00Z', '2026-12-25T00:00:00Z', 180],
    ['a normal Thursday = 450', '2026-12-17T00:00:00Z', '2026-12-18T00:00:00Z', 450],
  ])('%s', (_name, from, to, minutes) => {
    expect(businessMinutesBetween(shanghai, from, to)).toBe(minutes);
  });

  it('a deadline skips the yearly holiday: Wed 30 Sep 2026 17:00 CST + 120 min → Mon 5 Oct 10:00 CST', () => {
    expect(addBusinessMinutes(shanghai, '2026-09-30T09:00:00Z', 120)).toBe('2026-10-05T02:00:00.000Z');
  });

  it('a closed special day ([] hours) counts nothing', () => {
    const closed: BusinessHoursCalendar = { ...shanghai, specialDays: [{ date: '2026-12-17', hours: [] }] };
    expect(businessMinutesBetween(closed, '2026-12-17T00:00:00Z', '2026-12-18T00:00:00Z')).toBe(0);
  });

  it.each<[string, unknown, SupportDomainErrorCode, string]>([
    ['a yearly holiday on 31 Feb', { ...shanghai, holidays: ['02-31'] }, SupportDomainErrorCode.InvalidDate, 'calendar.holidays[0]'],
    ['a holiday that is neither form', { ...shanghai, holidays: ['Oct 1'] }, SupportDomainErrorCode.InvalidDate, 'calendar.holidays[0]'],
    ['a special day without a date', { ...shanghai, specialDays: [{ hours: [] }] }, SupportDomainErrorCode.InvalidDate, 'calendar.specialDays[0].date'],
    ['a special day listed twice', { ...shanghai, specialDays: [{ date: '2026-10-10', hours: [] }, { date: '2026-10-10', hours: [] }] }, SupportDomainErrorCode.InvalidValue, 'calendar.specialDays[1].date'],
    ['special hours that end before they start', { ...shanghai, specialDays: [{ date: '2026-10-10', hours: [{ start: '12:00', end: '09:00' }] }] }, SupportDomainErrorCode.InvalidInterval, 'calendar.specialDays[0].hours[0].end'],
    ['an unknown special day field', { ...shanghai, specialDays: [{ date: '2026-10-10', hours: [], note: 'x' }] }, SupportDomainErrorCode.UnknownField, 'calendar.specialDays[0].note'],
    ['special days that are not a list', { ...shanghai, specialDays: {} }, SupportDomainErrorCode.Required, 'calendar.specialDays'],
  ])('refuses %s', (_name, calendar, code, field) => {
    expect(validateBusinessCalendar(calendar)).toContainEqual(expect.objectContaining({ code, field }));
  });
});
