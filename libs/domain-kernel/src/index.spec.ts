import * as api from './index';

describe('public API of @steward/domain-kernel', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ACCOUNT_LEAD_CHANNELS',
        'DomainError',
        'PROJECT_KINDS',
        'PROJECT_LEADS',
        'PROJECT_SIZES',
        'RMA_KINDS',
        'SUPPORT_LEVELS',
        'TICKET_CATEGORIES',
        'TICKET_PRIORITIES',
        'TICKET_STATUS_CLASSES',
        'TIERS',
        'VOUCHER_KINDS',
        'assertArray',
        'assertBoolean',
        'assertFinite',
        'assertIntegerInRange',
        'assertKnownKeys',
        'assertMinorUnits',
        'assertNonBlank',
        'assertNullableString',
        'assertNumber',
        'assertObject',
        'assertOneOf',
        'assertRange',
        'assertSafeInteger',
        'assertString',
        'codeFor',
        'collectIssues',
        'daysFromCivil',
        'fail',
        'fieldPath',
        'instantMs',
        'isDomainError',
        'isRecord',
        'parseInstant',
        'toFieldErrors',
        'toRuleName',
        'unknownKeys',
      ].sort(),
    );
  });

  it('a check throws a DomainError that maps to {field, rule, message}', () => {
    let caught: unknown;
    try {
      api.assertRange(1.5, 0, 1, 'options.threshold', { type: 'INVALID_TYPE', value: 'OUT_OF_RANGE' });
    } catch (err) {
      caught = err;
    }
    expect(api.isDomainError(caught)).toBe(true);
    expect(api.toFieldErrors((caught as api.DomainError).issues)).toEqual([{ field: 'options.threshold', rule: 'out-of-range', message: 'must be in [0, 1], got 1.5' }]);
  });
});
