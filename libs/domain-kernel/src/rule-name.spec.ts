import { toFieldErrors, toRuleName } from './rule-name';

describe('toRuleName', () => {
  it.each([
    ['a screaming-snake code', 'OUT_OF_RANGE', 'out-of-range'],
    ['a prefixed code', 'ACCOUNTS_DUPLICATE_ID', 'accounts-duplicate-id'],
    ['a one-word code', 'REQUIRED', 'required'],
    ['a camelCase code', 'notSafeInteger', 'not-safe-integer'],
    ['a code with digits', 'LEVEL_L1_ONLY', 'level-l1-only'],
    ['stray separators', '_INVALID__TIME_', 'invalid-time'],
    ['already kebab', 'out-of-range', 'out-of-range'],
  ])('%s: %s → %s', (_name, code, rule) => {
    expect(toRuleName(code)).toBe(rule);
  });
});

describe('toFieldErrors', () => {
  it('maps each issue to {field, rule, message} in order', () => {
    expect(
      toFieldErrors([
        { code: 'INVALID_TIME', field: 'calendar.weeklyHours.mon[0].end', message: 'expected HH:MM' },
        { code: 'INVALID_DATE', field: 'calendar.holidays[0]', message: 'no such date: x' },
      ]),
    ).toEqual([
      { field: 'calendar.weeklyHours.mon[0].end', rule: 'invalid-time', message: 'expected HH:MM' },
      { field: 'calendar.holidays[0]', rule: 'invalid-date', message: 'no such date: x' },
    ]);
  });
});
