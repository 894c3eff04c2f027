import { StewardApiError } from '@steward/api-client';
import { formPathOf, readProblem } from './problem';

describe('a problem as people read it', () => {
  it('keeps the title, detail, code and each field with its rule', () => {
    const err = new StewardApiError(400, {
      type: 'https://steward.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: '1 field is not valid',
      instance: '/v1/users',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', rule: 'format', message: 'must be an e-mail address' }],
    });
    expect(readProblem(err)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Validation failed',
      detail: '1 field is not valid',
      fields: [{ field: 'email', rule: 'format', message: 'must be an e-mail address' }],
    });
  });
  it('an answer without a problem body still says its status', () => {
    expect(readProblem(new StewardApiError(502, undefined))).toMatchObject({ status: 502, title: 'HTTP 502', fields: [] });
  });
  it('a network failure is NETWORK; anything else unexpected', () => {
    expect(readProblem(new TypeError('Failed to fetch')).code).toBe('NETWORK');
    expect(readProblem(new Error('boom'))).toMatchObject({ title: 'unexpected', detail: 'boom' });
  });
});

describe('the form field a problem names', () => {
  it.each([
    ['email', ['email']],
    ['admin.email', ['admin', 'email']],
    ['records[3].month', ['records', 3, 'month']],
    ['a[1][2]', ['a', 1, 2]],
  ])('%s → %j', (field, path) => expect(formPathOf(field)).toEqual(path));
  it.each(['(body)', '(caller)', '', 'a..b', 'x[y]'])('%j names no field', (field) => expect(formPathOf(field)).toBeUndefined());
});
