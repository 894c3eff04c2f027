import type { CheckCodes } from './check-codes';
import { assertFinite, assertIntegerInRange, assertMinorUnits, assertNumber, assertRange, assertSafeInteger } from './numbers';

const FULL: CheckCodes = { type: 'INVALID_TYPE', value: 'OUT_OF_RANGE', finite: 'NOT_FINITE', integer: 'NOT_SAFE_INTEGER' };
// A library without a finite code: NaN fails as what it is not (in range, an integer).
const NO_FINITE: CheckCodes = { type: 'INVALID_TYPE', value: 'OUT_OF_RANGE', integer: 'NOT_SAFE_INTEGER' };

type Row = [string, () => void, { code: string; field: string; message?: string; details?: Record<string, unknown> } | null];

describe('number checks', () => {
  it.each<Row>([
    ['NaN is a number', () => assertNumber(Number.NaN, 'x', FULL), null],
    ['"1" is not a number', () => assertNumber('1', 'x', FULL), { code: 'INVALID_TYPE', field: 'x', message: 'x: must be a number' }],
    ['a negative fraction is finite', () => assertFinite(-0.5, 'kpi.actual', FULL), null],
    ['Infinity is not finite', () => assertFinite(Infinity, 'kpi.actual', FULL), { code: 'NOT_FINITE', field: 'kpi.actual', message: 'kpi.actual: must be finite' }],
    ['a string fails the finite check as a type', () => assertFinite('x', 'kpi.actual', FULL), { code: 'INVALID_TYPE', field: 'kpi.actual' }],
    ['both ends of a range are inside', () => (assertRange(0, 0, 1, 'rate', FULL), assertRange(1, 0, 1, 'rate', FULL)), null],
    ['above the range', () => assertRange(2, 0, 1, 'retentionRate', FULL), { code: 'OUT_OF_RANGE', field: 'retentionRate', message: 'retentionRate: must be in [0, 1], got 2' }],
    ['NaN in a range check, finite code declared', () => assertRange(Number.NaN, 0, 1, 'rate', FULL), { code: 'NOT_FINITE', field: 'rate' }],
    ['NaN in a range check, no finite code → out of range', () => assertRange(Number.NaN, 0, 1, 'rate', NO_FINITE), { code: 'OUT_OF_RANGE', field: 'rate' }],
    ['a score on its scale', () => assertIntegerInRange(10, 0, 10, 'scores[0]', 'SCORE'), null],
    [
      'a score past the scale, with min, max and value in details',
      () => assertIntegerInRange(11, 0, 10, 'scores[3]', 'SCORE'),
      { code: 'SCORE', field: 'scores[3]', message: 'scores[3]: must be an integer from 0 to 10, got 11', details: { min: 0, max: 10, value: 11 } },
    ],
    ['a fractional score with one code', () => assertIntegerInRange(7.5, 0, 10, 'scores[0]', 'SCORE'), { code: 'SCORE', field: 'scores[0]' }],
    ['a fractional count with a code table → integer', () => assertIntegerInRange(2.5, 1, 3650, 'windowDays', FULL), { code: 'NOT_SAFE_INTEGER', field: 'windowDays' }],
    ['out of range is reported before fractional', () => assertIntegerInRange(4000.5, 1, 3650, 'windowDays', FULL), { code: 'OUT_OF_RANGE', field: 'windowDays' }],
    ['a string where an integer belongs → type', () => assertIntegerInRange('9', 0, 10, 'windowDays', FULL), { code: 'INVALID_TYPE', field: 'windowDays', message: 'windowDays: must be an integer from 0 to 10, got 9' }],
    ['NaN where an integer belongs → finite', () => assertIntegerInRange(Number.NaN, 0, 10, 'windowDays', FULL), { code: 'NOT_FINITE', field: 'windowDays' }],
    ['the largest safe integer is safe', () => assertSafeInteger(Number.MAX_SAFE_INTEGER, 'n', FULL), null],
    ['2^53 is not safe', () => assertSafeInteger(2 ** 53, 'n', FULL), { code: 'NOT_SAFE_INTEGER', field: 'n', message: `n: must be a safe integer, got ${2 ** 53}` }],
    ['a count below its minimum', () => assertSafeInteger(-1, 'customers', FULL, 0), { code: 'OUT_OF_RANGE', field: 'customers', message: 'customers: must be at least 0, got -1' }],
    [
      'fractional money',
      () => assertMinorUnits(1.5, 'accounts[0].revenue', NO_FINITE),
      { code: 'NOT_SAFE_INTEGER', field: 'accounts[0].revenue', message: 'accounts[0].revenue: must be a safe integer (minor units), got 1.5' },
    ],
    ['NaN money, no finite code → not a safe integer', () => assertMinorUnits(Number.NaN, 'revenue', NO_FINITE), { code: 'NOT_SAFE_INTEGER', field: 'revenue' }],
    ['NaN money, finite code declared → not finite', () => assertMinorUnits(Number.NaN, 'revenue', FULL), { code: 'NOT_FINITE', field: 'revenue', message: 'revenue: must be finite' }],
    ['money below its minimum', () => assertMinorUnits(0, 'voucher.faceValue', FULL, 1), { code: 'OUT_OF_RANGE', field: 'voucher.faceValue', message: 'voucher.faceValue: must be at least 1, got 0' }],
    ['negative money is allowed by default', () => assertMinorUnits(-5_00, 'annualMargin', FULL), null],
  ])('%s', (_name, check, error) => {
    if (error === null) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ name: 'DomainError', ...error }));
  });
});
