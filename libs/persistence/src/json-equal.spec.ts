import fc from 'fast-check';
import { sameJson } from './json-equal';

/** The oracle: JSON text with sorted keys, after the round trip a jsonb column makes. */
function canonical(v: unknown): string {
  const sorted = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sorted) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(sorted(JSON.parse(JSON.stringify(v))));
}

/** JSON-like values from a small universe, so that equal pairs come up often; object values may be undefined. */
const { value: small } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(0, 1, -1.5, null, true, false, '', 'x', '1'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(tie('value'), { nil: undefined, freq: 4 }), { maxKeys: 3 }),
}));

/** The same value with every object's keys in another order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
  return v;
}

describe('sameJson', () => {
  it.each([
    ['key order ignored: {a:1,b:[1,2]} = {b:[1,2],a:1}', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    ['array order kept: [1,2] ≠ [2,1]', [1, 2], [2, 1], false],
    ['an undefined value is an absent key: {a:undefined} = {}', { a: undefined }, {}, true],
    ['null is a value: {a:null} ≠ {}', { a: null }, {}, false],
    ['an extra key: {a:1} ≠ {a:1,b:2}', { a: 1 }, { a: 1, b: 2 }, false],
    ['[] ≠ {}', [], {}, false],
    ["'1' ≠ 1", '1', 1, false],
    ['nested: {x:{y:[{z:1}]}} ≠ {x:{y:[{z:2}]}}', { x: { y: [{ z: 1 }] } }, { x: { y: [{ z: 2 }] } }, false],
  ])('%s', (_name, a, b, expected) => {
    expect(sameJson(a, b)).toBe(expected);
    expect(sameJson(b, a)).toBe(expected);
  });

  it('a value equals its own jsonb round trip, keys in any order', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => sameJson(v, reordered(JSON.parse(JSON.stringify(v))))), { numRuns: 500 });
  });

  it('agrees with comparing sorted JSON text after the round trip, on any pair', () => {
    fc.assert(
      fc.property(small, small, (a, b) => sameJson(a, b) === (canonical(a) === canonical(b))),
      { numRuns: 3000 },
    );
  });
});
