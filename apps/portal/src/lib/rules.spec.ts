import { BODY_RULES } from '@steward/api-client';
import { rulesFor, rulesOf } from './rules';

const t = (key: string, values?: Record<string, unknown>) => (values ? `${key}:${JSON.stringify(values)}` : key);

describe("form rules are the API's", () => {
  it('CreateUserBody.email: required, an e-mail, at most 254 characters', () => {
    expect(rulesOf('CreateUserBody', 'email', t)).toEqual([
      { required: true, type: 'string', whitespace: true, message: 'validation.required' },
      { type: 'email', message: 'validation.email' },
      { max: 254, message: 'validation.maxLength:{"count":254}' },
    ]);
  });
  it('CreateUserBody.password: at least 10 characters, as the gateway demands', () => {
    expect(rulesOf('CreateUserBody', 'password', t)).toContainEqual({ min: 10, message: 'validation.minLength:{"count":10}' });
  });
  it('an enum field accepts only its values; a tier is 1, 2 or 3', () => {
    expect(rulesOf('CreateUserBody', 'role', t)).toContainEqual({ type: 'enum', enum: ['admin', 'manager', 'csm', 'agent', 'viewer'], message: 'validation.enum' });
    expect(rulesOf('TierOverrideBody', 'tier', t)).toContainEqual({ type: 'enum', enum: [1, 2, 3], message: 'validation.enum' });
  });
  it('a required numeric choice is checked as one (a tier of 1 is present, not missing)', () => {
    expect(rulesOf('TierOverrideBody', 'tier', t)[0]).toEqual({ required: true, type: 'enum', enum: [1, 2, 3], whitespace: false, message: 'validation.required' });
    expect(rulesFor({ required: true, type: 'integer' }, t)[0]).toMatchObject({ required: true, type: 'number' });
  });
  it('numbers get their bounds; optional fields are not required', () => {
    expect(rulesFor({ type: 'integer', minimum: 1, maximum: 5 }, t)).toEqual([
      { type: 'number', message: 'validation.number' },
      { type: 'number', min: 1, message: 'validation.minimum:{"value":1}' },
      { type: 'number', max: 5, message: 'validation.maximum:{"value":5}' },
    ]);
    expect(rulesOf('UpdateUserBody', 'name', t).some((r) => 'required' in r)).toBe(false);
  });
  it('every field of every body yields rules (the generator and this mapping agree)', () => {
    for (const [body, fields] of Object.entries(BODY_RULES)) for (const field of Object.keys(fields)) expect(() => rulesOf(body as keyof typeof BODY_RULES, field as never, t)).not.toThrow();
  });
  it('an unknown field is a programming error', () => {
    expect(() => rulesOf('CreateUserBody', 'nope' as never, t)).toThrow(/no field nope/);
  });
});
