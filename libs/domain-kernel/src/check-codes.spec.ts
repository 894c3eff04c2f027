import { codeFor, type CheckCodes, type CheckFailure } from './check-codes';

describe('codeFor', () => {
  const full: CheckCodes = { type: 'T', value: 'V', finite: 'F', integer: 'I', unknownKey: 'K', instant: 'S' };
  const typeAndValue: CheckCodes = { type: 'T', value: 'V' };
  const typeOnly: CheckCodes = { type: 'T' };
  const withInteger: CheckCodes = { type: 'T', value: 'V', integer: 'I' };
  it.each<[string, CheckCodes, CheckFailure, CheckFailure | undefined, string]>([
    ['one code serves every failure', 'INVALID_INPUT', 'instant', undefined, 'INVALID_INPUT'],
    ['a declared failure uses its own code', full, 'unknownKey', undefined, 'K'],
    ['an undeclared failure falls back to value', typeAndValue, 'instant', undefined, 'V'],
    ['without value it falls back to type', typeOnly, 'integer', undefined, 'T'],
    ['undeclared finite in an integer check → the integer code', withInteger, 'finite', 'integer', 'I'],
    ['undeclared finite in a range check → the value code', withInteger, 'finite', undefined, 'V'],
    ['declared finite wins over the fallback', full, 'finite', 'integer', 'F'],
  ])('%s', (_name, codes, failure, otherwise, expected) => {
    expect(codeFor(codes, failure, otherwise)).toBe(expected);
  });
});
