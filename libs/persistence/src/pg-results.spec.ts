import { isUniqueViolation, returnedRows } from './pg-results';

describe('pg results', () => {
  it.each([
    ['a driver error on the constraint', { code: '23505', constraint: 'accounts_external_id' }, true],
    ['a TypeORM QueryFailedError wrapping it', { driverError: { code: '23505', constraint: 'accounts_external_id' } }, true],
    ['another constraint', { code: '23505', constraint: 'users_pkey' }, false],
    ['another error code', { code: '23503', constraint: 'accounts_external_id' }, false],
    ['not an error object', 'boom', false],
  ])('isUniqueViolation: %s', (_name, err, expected) => {
    expect(isUniqueViolation(err, 'accounts_external_id')).toBe(expected);
  });

  it('returnedRows unwraps TypeORM UPDATE results and passes INSERT/SELECT rows through', () => {
    expect(returnedRows([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});
