import { z } from 'zod';
import { toFieldErrors } from './validation';

const errorsOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return toFieldErrors(r.error).map(({ field, rule }) => ({ field, rule }));
};

describe('toFieldErrors', () => {
  it('names a missing field "required", a nested path with dots and brackets, and each unknown key', () => {
    const schema = z.strictObject({ name: z.string(), rows: z.array(z.object({ n: z.number().min(1) })) });
    expect(errorsOf(schema, { rows: [{ n: 0 }], extra: 1, other: 2 })).toEqual([
      { field: 'name', rule: 'required' },
      { field: 'rows[0].n', rule: 'min' },
      { field: 'extra', rule: 'unknown-field' },
      { field: 'other', rule: 'unknown-field' },
    ]);
  });

  it('takes a refinement’s own rule from params.rule, else "custom"', () => {
    const past = z.object({ since: z.string().refine((v) => v < '2000', { message: 'must be in the past', params: { rule: 'past' } }) });
    expect(errorsOf(past, { since: '2999' })).toEqual([{ field: 'since', rule: 'past' }]);
    const plain = z.object({ a: z.string().refine(() => false) });
    expect(errorsOf(plain, { a: 'x' })).toEqual([{ field: 'a', rule: 'custom' }]);
  });
});
