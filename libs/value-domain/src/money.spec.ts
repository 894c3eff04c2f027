import fc from 'fast-check';
import { DomainError } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code } from './errors';
import { add, applyRate, applyRatio, apportion, compare, div, mul, ratio, roundHalfEven, sub, sumMoney, toNumber } from './money';

describe('money', () => {
  describe('roundHalfEven: ties go to the even neighbour, everything else to the nearest', () => {
    it.each([
      [5n, 2n, 2n, '2.5 → 2 (2 is even)'],
      [7n, 2n, 4n, '3.5 → 4 (4 is even)'],
      [-5n, 2n, -2n, '−2.5 → −2'],
      [-7n, 2n, -4n, '−3.5 → −4'],
      [1n, 3n, 0n, '0.33 → 0'],
      [2n, 3n, 1n, '0.67 → 1'],
      [-1n, 3n, 0n, '−0.33 → 0'],
      [-2n, 3n, -1n, '−0.67 → −1'],
      [6n, 3n, 2n, 'exact 2 stays 2'],
    ])('%p / %p = %p (%s)', (num, den, expected) => {
      expect(roundHalfEven(num, den)).toBe(expected);
    });
  });

  describe('ratio: the exact decimal the caller typed', () => {
    it.each([
      [0.1, 1n, 10n],
      [1e-7, 1n, 10_000_000n],
      [123, 123n, 1n],
      [-2.5, -25n, 10n],
      [1e21, 10n ** 21n, 1n],
      [1.5e-10, 15n, 10n ** 11n],
    ])('%p = %p / %p', (value, num, den) => {
      expect(ratio(value)).toEqual({ num, den });
    });

    it('equals the decimal String() writes, for any finite double (integers and cached powers of ten included)', () => {
      const written = (v: number) => {
        const [, sign, int, frac = '', exp = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(v))!;
        const e = Number(exp) - frac.length;
        const num = BigInt(int + frac) * 10n ** BigInt(Math.max(0, e));
        return { num: sign === '-' ? -num : num, den: 10n ** BigInt(Math.max(0, -e)) };
      };
      fc.assert(
        fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger()), (v) => {
          const r = ratio(v);
          const w = written(v);
          expect(r.num * w.den).toBe(w.num * r.den);
        }),
        { numRuns: 2000 },
      );
    });

    it('rejects NaN with NOT_FINITE on the named field', () => {
      expect(() => ratio(Number.NaN, 'rate')).toThrow(expect.objectContaining({ code: Code.NotFinite, field: 'rate' }));
    });
  });

  describe('applyRate: money × rate, rounded once half to even', () => {
    it.each([
      [1_000_005, 0.1, 100_000, '100,000.5 → 100,000 (even); a float product would give 100,000.50000000001 → 100,001'],
      [1_000_015, 0.1, 100_002, '100,001.5 → 100,002 (even)'],
      [999, 0.333, 333, '332.667 → 333'],
      [-1_000_005, 0.1, -100_000, '−100,000.5 → −100,000'],
      [0, 0.5, 0, 'zero stays zero'],
    ])('%p × %p = %p (%s)', (amount, rate, expected) => {
      expect(applyRate(amount, rate)).toBe(expected);
    });

    it('rejects a fractional amount as NOT_SAFE_INTEGER', () => {
      expect(() => applyRate(10.5, 0.1, 'fee')).toThrow(expect.objectContaining({ code: Code.NotSafeInteger, field: 'fee' }));
    });

    it('throws OVERFLOW when the product leaves the safe range', () => {
      expect(() => applyRatio(Number.MAX_SAFE_INTEGER, { num: 2n, den: 1n }, 'fee')).toThrow(
        expect.objectContaining({ code: Code.Overflow, field: 'fee' }),
      );
    });
  });

  it('sumMoney adds exactly and refuses to overflow', () => {
    expect(sumMoney([1, 2, -3, 40])).toBe(40);
    expect(() => sumMoney([Number.MAX_SAFE_INTEGER, 1])).toThrow(DomainError);
  });

  describe('rational helpers', () => {
    it('add, sub, mul, div and compare are exact', () => {
      const third = { num: 1n, den: 3n };
      const sixth = { num: 1n, den: 6n };
      expect(compare(add(third, sixth), { num: 1n, den: 2n })).toBe(0); // 1/3 + 1/6 = 1/2
      expect(compare(sub(third, sixth), sixth)).toBe(0); // 1/3 − 1/6 = 1/6
      expect(compare(mul(third, third), { num: 1n, den: 9n })).toBe(0);
      expect(compare(div(third, { num: -2n, den: 1n }), { num: -1n, den: 6n })).toBe(0); // sign moves to the numerator
      expect(div(third, { num: -2n, den: 1n }).den > 0n).toBe(true);
      expect(compare(third, sixth)).toBe(1);
      expect(compare(sixth, third)).toBe(-1);
      expect(add({ num: 1n, den: 4n }, { num: 2n, den: 4n })).toEqual({ num: 3n, den: 4n });
    });

    it('toNumber keeps 15 significant digits even with huge terms', () => {
      expect(toNumber({ num: 2n * 10n ** 40n, den: 3n * 10n ** 40n })).toBeCloseTo(0.6666666666666666, 15);
      expect(toNumber({ num: -5n, den: 2n })).toBe(-2.5);
    });
  });

  describe('apportion: parts add up to the once-rounded total', () => {
    it('splits 10 × (¼ + ¼ + ½) = 10 as 2.5/2.5/5 → 3/2/5 (the tie goes to the earlier share)', () => {
      const q = { num: 1n, den: 4n };
      expect(apportion(10, [q, q, { num: 1n, den: 2n }])).toEqual({ total: 10, parts: [3, 2, 5] });
    });

    it('splits 1 × (⅓ + ⅓ + ⅓) = 1 as 1/0/0', () => {
      const t = { num: 1n, den: 3n };
      expect(apportion(1, [t, t, t])).toEqual({ total: 1, parts: [1, 0, 0] });
    });

    it('rounds 1 × (¼ + ¼) = 0.5 half to even → 0, leaving every part 0', () => {
      const q = { num: 1n, den: 4n };
      expect(apportion(1, [q, q])).toEqual({ total: 0, parts: [0, 0] });
    });

    it('law: parts sum to the total and each part is within 1 of its exact value', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1e12 }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 6 }),
          (amount, fractions) => {
            const shares = fractions.map(([n, d]) => ({ num: BigInt(n), den: BigInt(d) }));
            const { total, parts } = apportion(amount, shares);
            expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
            parts.forEach((p, i) => expect(Math.abs(p - (amount * fractions[i][0]) / fractions[i][1])).toBeLessThan(1 + 1e-6));
          },
        ),
      );
    });
  });
});
