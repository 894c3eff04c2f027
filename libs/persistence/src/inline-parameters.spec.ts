import fc from 'fast-check';
import { escapeLiteral } from 'pg';
import { inlineParameters, quoteLiteral } from './unit-of-work';

describe('inlineParameters: parameters as quoted literals for the simple protocol', () => {
  it.each<[string, string, unknown[], string]>([
    ['a string, a number and a null', 'SELECT $1, $2, $3', ['a', 5, null], `SELECT 'a', '5', NULL`],
    ['$10 is the tenth, not $1 then 0', 'SELECT $10, $1', ['x', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'], `SELECT 'ten', 'x'`],
    ['a quote is doubled', 'SELECT $1', ["O'Brien"], `SELECT 'O''Brien'`],
    ['a backslash makes an E-string with the backslash doubled', 'SELECT $1', ['a\\b'], `SELECT  E'a\\\\b'`],
    ['a Date is its ISO instant', 'SELECT $1::timestamptz', [new Date('2026-03-01T00:00:00Z')], `SELECT '2026-03-01T00:00:00.000Z'::timestamptz`],
    ['an array is an array literal, elements quoted', 'SELECT $1::text[]', [['a', 'b"c', null]], `SELECT  E'{"a","b\\\\"c",NULL}'::text[]`],
    ['an object is JSON', 'SELECT $1::jsonb', [{ a: 1 }], `SELECT '{"a":1}'::jsonb`],
    ['undefined is NULL, a boolean its name', 'SELECT $1, $2', [undefined, true], `SELECT NULL, 'true'`],
  ])('%s', (_name, sql, params, expected) => {
    expect(inlineParameters(sql, params)).toBe(expected);
  });

  it('refuses a missing parameter and a binary one', () => {
    expect(() => inlineParameters('SELECT $2', ['a'])).toThrow('no parameter $2 (1 given)');
    expect(() => inlineParameters('SELECT $1', [Buffer.from('x')])).toThrow('binary');
  });

  it('never lets a string end its literal: every quote inside is doubled (any string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (v) => {
        const out = inlineParameters('$1', [v]);
        const body = out.replace(/^ ?E?'/, '').replace(/'$/, '');
        // Inside the literal every quote comes in pairs, so none of them closes it.
        expect(body.replace(/''/g, '')).not.toContain("'");
      }),
    );
  });

  it("quotes any string exactly as node-pg's escapeLiteral does (quoteLiteral, its faster twin)", () => {
    for (const v of ['', "'", '\\', "a'b\\c", '中文 → ok']) expect(quoteLiteral(v)).toBe(escapeLiteral(v));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (v) => expect(quoteLiteral(v)).toBe(escapeLiteral(v))), { numRuns: 2000 });
    fc.assert(fc.property(fc.stringMatching(/^['\\a-z]*$/), (v) => expect(quoteLiteral(v)).toBe(escapeLiteral(v))), { numRuns: 2000 });
  });
});
