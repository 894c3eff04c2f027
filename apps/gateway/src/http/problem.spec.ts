import { ErrorCode, StewardError } from '@steward/contracts';
import { KeyedWriteInProgress, KeyedWriteMismatch } from '@steward/persistence';
import { keyedWriteError } from '@steward/service-kit';
import { HTTP_STATUS, statusFor, toProblem } from './problem';

describe('error code → HTTP status', () => {
  it('maps every code that can cross a service boundary, and nothing else', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const status of Object.values(HTTP_STATUS)) expect([400, 401, 403, 404, 405, 409, 410, 412, 413, 415, 422, 429, 500, 503, 504]).toContain(status);
  });

  it('does not compile with a code that has no status (type test, checked by tsc in npm test)', () => {
    // @ts-expect-error an unknown code is not an ErrorCode
    expect(() => statusFor('NOT_A_CODE')).not.toThrow();
    type WithANewCode = ErrorCode | 'A_NEW_CODE';
    // @ts-expect-error a code added without a status makes the table incomplete
    const table: { readonly [C in WithANewCode]: number } = HTTP_STATUS;
    expect(table).toBe(HTTP_STATUS);
  });

  it('turns a validation error into a 400 problem that names each field and rule', () => {
    const problem = toProblem(StewardError.validation([{ field: 'targets.resolution', rule: 'out-of-range', message: 'must be above 0' }]), 'corr-1');
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'targets.resolution', rule: 'out-of-range', message: 'must be above 0' }] });
  });

  it('hides the internals of a 500 behind a reference', () => {
    const problem = toProblem(new StewardError(ErrorCode.Internal, 'accounts.user.get.v1 failed: connection refused at 10.0.0.3'), 'corr-2');
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'An internal error occurred (reference corr-2)' });
  });

  it('answers a keyed write refused by its key: 409 for a twin still in progress (retry after a second), 422 for the key used with another request', () => {
    const inProgress = keyedWriteError(new KeyedWriteInProgress());
    expect(toProblem(inProgress, 'corr-3')).toMatchObject({ status: 409, code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS', errors: [{ field: 'Idempotency-Key', rule: 'in-progress' }] });
    expect((inProgress as StewardError).details).toMatchObject({ retryAfterSeconds: 1 });
    expect(toProblem(keyedWriteError(new KeyedWriteMismatch()), 'corr-4')).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'Idempotency-Key', rule: 'same-request' }] });
    const other = new Error('boom');
    expect(keyedWriteError(other)).toBe(other);
  });
});
