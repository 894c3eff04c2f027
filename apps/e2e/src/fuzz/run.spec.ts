import { judge } from './run';

const problem = (status: number, errors: unknown) => JSON.stringify({ type: 't', title: 'x', status, detail: 'd', code: 'VALIDATION_FAILED', errors });

describe('the fuzz judge', () => {
  it.each([
    ['a 2xx', 201, 'application/json', '{}'],
    ['a 3xx', 302, 'text/html', ''],
    ['a 400 problem naming field and rule', 400, 'application/problem+json; charset=utf-8', problem(400, [{ field: 'name', rule: 'min', message: 'm' }])],
    ['a 404 problem naming the path', 404, 'application/problem+json', problem(404, [{ field: 'path', rule: 'exists', message: 'm' }])],
  ])('accepts %s', (_label, status, type, body) => {
    expect(judge(status, type, body)).toBeUndefined();
  });

  it.each([
    ['a 500', 500, 'application/problem+json', problem(500, undefined), /answered 500/],
    ['a 503', 503, 'application/json', '{}', /answered 503/],
    ['a 400 in plain JSON', 400, 'application/json', '{"error":"Bad Request"}', /not application\/problem\+json/],
    ['a 414 without a content type', 414, '', '', /without a content type/],
    ['a problem without errors', 400, 'application/problem+json', problem(400, undefined), /names no field/],
    ['a problem with empty errors', 409, 'application/problem+json', problem(409, []), /names no field/],
    ['an error without a rule', 400, 'application/problem+json', problem(400, [{ field: 'name', message: 'm' }]), /without field and rule/],
    ['an error with an empty field', 400, 'application/problem+json', problem(400, [{ field: '', rule: 'x' }]), /without field and rule/],
    ['a problem whose status differs', 400, 'application/problem+json', problem(422, [{ field: 'a', rule: 'b' }]), /says status 422/],
    ['a problem that is not JSON', 400, 'application/problem+json', 'oops', /not JSON/],
  ])('flags %s', (_label, status, type, body, why) => {
    expect(judge(status, type, body)).toMatch(why);
  });
});
