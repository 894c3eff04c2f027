import { isDatabaseUnavailable } from './rpc-server';

describe('isDatabaseUnavailable: what a caller may simply retry', () => {
  it.each([
    ['a restart', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['a serialisation conflict', { code: '40001', message: 'could not serialize access' }],
    ['a prepared statement a migration made stale', { code: '0A000', message: 'cached plan must not change result type' }],
    ['a prepared statement a pooler discarded', { code: '26000', message: 'prepared statement "stw0_x" does not exist' }],
    ['a refused connection (TypeORM wraps the driver error)', { driverError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, message: 'x' }],
  ])('%s: yes', (_, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['another unsupported feature', { code: '0A000', message: 'cannot use subquery in check constraint' }],
    ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['a plain error', new Error('boom')],
  ])('%s: no', (_, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
