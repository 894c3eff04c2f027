import type { CheckCodes } from './check-codes';
import {
  assertArray,
  assertBoolean,
  assertKnownKeys,
  assertNonBlank,
  assertNullableString,
  assertObject,
  assertOneOf,
  assertString,
  fieldPath,
  isRecord,
  unknownKeys,
} from './shape';

const CODES: CheckCodes = { type: 'INVALID_TYPE', value: 'OUT_OF_RANGE', unknownKey: 'UNKNOWN_FIELD' };

// Each check in one table: what it is given, and the error it throws (null = passes).
type Row = [string, () => void, { code: string; field: string; message: string } | null];

describe('shape checks', () => {
  it.each<Row>([
    ['an object passes', () => assertObject({ a: 1 }, 'input', CODES), null],
    ['an array is not an object', () => assertObject([], 'input', CODES), { code: 'INVALID_TYPE', field: 'input', message: 'input: must be an object' }],
    ['null is not an object', () => assertObject(null, 'input', CODES), { code: 'INVALID_TYPE', field: 'input', message: 'input: must be an object' }],
    ['an array passes', () => assertArray([], 'accounts', CODES), null],
    ['an object is not an array', () => assertArray({}, 'accounts', CODES), { code: 'INVALID_TYPE', field: 'accounts', message: 'accounts: must be an array' }],
    ['false is a boolean', () => assertBoolean(false, 'a.strategic', CODES), null],
    ['"true" is not a boolean', () => assertBoolean('true', 'a.strategic', CODES), { code: 'INVALID_TYPE', field: 'a.strategic', message: 'a.strategic: must be a boolean' }],
    ['an empty string is a string', () => assertString('', 'name', CODES), null],
    ['a number is not a string', () => assertString(5, 'name', CODES), { code: 'INVALID_TYPE', field: 'name', message: 'name: must be a string' }],
    ['null is a nullable string', () => assertNullableString(null, 'title', CODES), null],
    ['undefined is not a nullable string', () => assertNullableString(undefined, 'title', CODES), { code: 'INVALID_TYPE', field: 'title', message: 'title: must be a string or null' }],
    ['a word is non-blank', () => assertNonBlank(' x ', 'id', CODES), null],
    ['blanks fail as a value', () => assertNonBlank(' \t', 'id', CODES), { code: 'OUT_OF_RANGE', field: 'id', message: 'id: must not be blank' }],
    ['a non-string fails as a type', () => assertNonBlank(7, 'id', CODES), { code: 'INVALID_TYPE', field: 'id', message: 'id: must be a string' }],
    ['a listed value passes', () => assertOneOf('mid', ['large', 'mid', 'small'], 'project.size', CODES), null],
    [
      'an unlisted value names the list',
      () => assertOneOf('xl', ['large', 'mid', 'small'], 'project.size', CODES),
      { code: 'OUT_OF_RANGE', field: 'project.size', message: 'project.size: must be one of "large", "mid", "small", got "xl"' },
    ],
    [
      'one-of compares with ===, so "1" is not tier 1',
      () => assertOneOf('1', [1, 2, 3], 'override.tier', CODES),
      { code: 'OUT_OF_RANGE', field: 'override.tier', message: 'override.tier: must be one of 1, 2, 3, got "1"' },
    ],
    ['known keys pass', () => assertKnownKeys({ a: 1, b: 2 }, ['a', 'b', 'c'], 'model', CODES), null],
    [
      'the first unknown key is named by its path',
      () => assertKnownKeys({ a: 1, weigths: {}, x: 1 }, ['a', 'weights'], 'model', CODES),
      { code: 'UNKNOWN_FIELD', field: 'model.weigths', message: 'model.weigths: is not a known field' },
    ],
    ['an unknown key at the root has no prefix', () => assertKnownKeys({ typo: 1 }, [], '', CODES), { code: 'UNKNOWN_FIELD', field: 'typo', message: 'typo: is not a known field' }],
    ['one code serves every failure', () => assertNonBlank('', 'id', 'INVALID_INPUT'), { code: 'INVALID_INPUT', field: 'id', message: 'id: must not be blank' }],
  ])('%s', (_name, check, error) => {
    if (error === null) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ name: 'DomainError', ...error }));
  });
});

describe('isRecord', () => {
  it.each<[unknown, boolean]>([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    ['x', false],
  ])('%p → %s', (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});

describe('unknownKeys', () => {
  it('lists every key not allowed, in key order', () => {
    expect(unknownKeys({ b: 1, a: 2, z: 3, y: 4 }, ['a', 'b'])).toEqual(['z', 'y']);
  });
});

describe('fieldPath', () => {
  it.each([
    ['', 'customers', 'customers'],
    ['change', 'customers', 'change.customers'],
    ['bands[2]', 'amount', 'bands[2].amount'],
  ])('(%p, %p) → %p', (prefix, key, path) => {
    expect(fieldPath(prefix, key)).toBe(path);
  });
});
