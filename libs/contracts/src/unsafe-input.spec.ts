import fc from 'fast-check';
import { z } from 'zod';
import { StewardError } from './errors';
import { MAX_INPUT_DEPTH, unsafeInput, validate } from './validation';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

describe('input no schema should see', () => {
  it.each([
    ['a NUL in a value', { name: 'a\u0000b' }, [{ field: 'name', rule: 'no-nul' }]],
    ['a NUL in a nested array value', { records: [{ month: 'x' }, { month: '\u0000' }] }, [{ field: 'records[1].month', rule: 'no-nul' }]],
    ['a NUL in a field name', { customAttributes: { 'k\u0000': 1 } }, [{ field: 'customAttributes.k\u0000', rule: 'no-nul' }]],
    ['a lone high surrogate', { customAttributes: { a: 'x\ud800' } }, [{ field: 'customAttributes.a', rule: 'unicode' }]],
    ['a lone low surrogate', { name: '\udc00y' }, [{ field: 'name', rule: 'unicode' }]],
    ['a reversed pair', { name: '\ude00\ud83d' }, [{ field: 'name', rule: 'unicode' }]],
    ['a bare string', 'a\u0000', [{ field: '(root)', rule: 'no-nul' }]],
  ])('flags %s, naming the field', (_label, input, expected) => {
    expect(unsafeInput(input)).toMatchObject(expected);
  });

  it.each([
    ['an emoji (a valid surrogate pair)', { name: 'Acme 😀' }],
    ['Chinese text', { name: '售后服务平台' }],
    ['other control characters', { name: 'tab\tline\nbell\u0007' }],
    ['numbers, booleans, null', { a: 1, b: -0.5, c: true, d: null, e: [] }],
    [`nesting of exactly ${MAX_INPUT_DEPTH}`, nested(MAX_INPUT_DEPTH)],
  ])('accepts %s', (_label, input) => {
    expect(unsafeInput(input)).toEqual([]);
  });

  it(`flags nesting deeper than ${MAX_INPUT_DEPTH} once, at the level where it goes too deep`, () => {
    const issues = unsafeInput({ customAttributes: nested(MAX_INPUT_DEPTH) });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'depth' });
    expect(issues[0]!.field.startsWith('customAttributes')).toBe(true);
  });

  it('checks 10,000 levels without overflowing the stack', () => {
    expect(unsafeInput(nested(10_000))).toMatchObject([{ rule: 'depth' }]);
  });

  it('prefixes fields (query strings, path parameters)', () => {
    expect(unsafeInput({ industry: 'a\u0000' }, { prefix: ['query'] })).toMatchObject([{ field: 'query.industry', rule: 'no-nul' }]);
  });

  it('validate() refuses such input before the schema runs', () => {
    const schema = z.object({ name: z.string() });
    expect(() => validate(schema, { name: 'a\u0000' })).toThrow(StewardError);
    try {
      validate(schema, { name: 'a\u0000' });
    } catch (err) {
      expect((err as StewardError).details?.errors).toEqual([{ field: 'name', rule: 'no-nul', message: 'must not contain a NUL character' }]);
    }
    expect(validate(schema, { name: 'ok' })).toEqual({ name: 'ok' });
  });

  it('property: JSON without NUL or lone surrogates passes; a NUL put into any of its strings is found', () => {
    const clean = (s: string) => s.replace(/\p{Cs}/gu, '').replaceAll('\u0000', '');
    const cleanJson = (v: unknown): unknown =>
      typeof v === 'string' ? clean(v) : Array.isArray(v) ? v.map(cleanJson) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), cleanJson(x)])) : v;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.nat(), (raw, pick) => {
        const value = cleanJson(raw);
        expect(unsafeInput(value)).toEqual([]);
        const strings: Array<{ set: (s: string) => void; get: () => string }> = [];
        const collect = (v: unknown) => {
          if (Array.isArray(v)) v.forEach((x, i) => (typeof x === 'string' ? strings.push({ get: () => v[i] as string, set: (s) => (v[i] = s) }) : collect(x)));
          else if (v && typeof v === 'object') {
            const o = v as Record<string, unknown>;
            for (const [k, x] of Object.entries(o)) {
              if (typeof x === 'string') strings.push({ get: () => o[k] as string, set: (s) => (o[k] = s) });
              else collect(x);
            }
          }
        };
        collect(value);
        if (strings.length === 0) return;
        const target = strings[pick % strings.length]!;
        target.set(`${target.get()}\u0000`);
        expect(unsafeInput(value).map((i) => i.rule)).toContain('no-nul');
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
