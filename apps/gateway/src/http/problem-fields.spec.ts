import { HttpException, NotFoundException } from '@nestjs/common';
import { ErrorCode, StewardError } from '@steward/contracts';
import { HTTP_STATUS, toProblem } from './problem';

describe('every 4xx names a field and a rule', () => {
  const clientCodes = (Object.keys(HTTP_STATUS) as ErrorCode[]).filter((c) => HTTP_STATUS[c] >= 400 && HTTP_STATUS[c] < 500);

  it.each(clientCodes)('%s without field errors of its own still names one', (code) => {
    const problem = toProblem(new StewardError(code, 'something about the request'), 'corr');
    expect(problem.errors?.length).toBeGreaterThan(0);
    for (const e of problem.errors!) {
      expect(e.field).toMatch(/\S/);
      expect(e.rule).toMatch(/^[a-z][a-z-]*$/);
    }
  });

  it.each([
    [new NotFoundException('Cannot GET /v1/nothing'), 404, 'path', 'exists'],
    [new HttpException('Method Not Allowed', 405), 405, 'method', 'allowed'],
    [{ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported Media Type: application/xml' }, 415, 'content-type', 'media-type'],
    [{ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'Request body is too large' }, 413, '(body)', 'max-size'],
    [{ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: "Body is not valid JSON but content-type is set to 'application/json'" }, 400, '(body)', 'json'],
    [{ statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY', message: "Body cannot be empty when content-type is set to 'application/json'" }, 400, '(body)', 'required'],
  ])('%o → %i naming %s (%s)', (err, status, field, rule) => {
    expect(toProblem(err, 'corr')).toMatchObject({ status, errors: [{ field, rule }] });
  });

  it('keeps the field errors an error brings', () => {
    const problem = toProblem(StewardError.validation([{ field: 'name', rule: 'min', message: 'is required' }]), 'corr');
    expect(problem.errors).toEqual([{ field: 'name', rule: 'min', message: 'is required' }]);
  });

  it('adds none to a 5xx', () => {
    expect(toProblem(new Error('boom'), 'corr').errors).toBeUndefined();
  });
});
