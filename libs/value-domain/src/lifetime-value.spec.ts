import fc from 'fast-check';
import { ValueDomainErrorCode as Code } from './errors';
import { lifetimeValue, type LifetimeValueInput } from './lifetime-value';

const base: LifetimeValueInput = { annualMargin: 1_000, growthRate: 0, retentionRate: 0.5, discountRate: 0 };

describe('lifetimeValue', () => {
  it.each<[string, Partial<LifetimeValueInput>, [number, number, number]]>([
    // Year 1 is retained with certainty: CLV1 = m even at r = 0.5. CLV2 = 1000 + 500, CLV3 = + 250.
    ['no growth, no discount, r=0.5: 1000 / 1000+500 / 1000+500+250', {}, [1_000, 1_500, 1_750]],
    ['r=0: only year 1 counts', { retentionRate: 0 }, [1_000, 1_000, 1_000]],
    ['r=1, g=0.1: 1000 / +1100 / +1210', { retentionRate: 1, growthRate: 0.1 }, [1_000, 2_100, 3_310]],
    // m=1,000,000, g=0.1, r=0.8, d=0.1: year t = 1e6 · 0.88^(t−1) / 1.1^t
    // = 909,090.909 / 727,272.727 / 581,818.182 → 909,091 / 1,636,364 / 2,218,182
    [
      'm=1,000,000, g=10 %, r=80 %, d=10 %: end-of-year discounting, year 1 discounted once',
      { annualMargin: 1_000_000, growthRate: 0.1, retentionRate: 0.8, discountRate: 0.1 },
      [909_091, 1_636_364, 2_218_182],
    ],
    ['a loss-making account has a negative CLV: −1000 / −1500 / −1750', { annualMargin: -1_000 }, [-1_000, -1_500, -1_750]],
    ['shrinking 50 % a year at r=1: 1000 / +500 / +250', { retentionRate: 1, growthRate: -0.5 }, [1_000, 1_500, 1_750]],
  ])('%s', (_name, overrides, [one, two, three]) => {
    const clv = lifetimeValue({ ...base, ...overrides });
    expect([clv.oneYear, clv.twoYears, clv.threeYears]).toEqual([one, two, three]);
  });

  it('reports each discounted year to two decimals: 909,090.91 / 727,272.73 / 581,818.18', () => {
    const clv = lifetimeValue({ annualMargin: 1_000_000, growthRate: 0.1, retentionRate: 0.8, discountRate: 0.1 });
    expect(clv.byYear).toEqual([909_090.91, 727_272.73, 581_818.18]);
  });

  it('rounds each horizon once, half to even: m=5, r=0.5 → CLV2 = 7.5 → 8; m=3 → 4.5 → 4', () => {
    expect(lifetimeValue({ ...base, annualMargin: 5 }).twoYears).toBe(8);
    expect(lifetimeValue({ ...base, annualMargin: 3 }).twoYears).toBe(4);
  });

  it.each<[string, unknown, Code, string]>([
    ['retention above 1', { ...base, retentionRate: 1.2 }, Code.OutOfRange, 'retentionRate'],
    ['growth below −100 %', { ...base, growthRate: -1.5 }, Code.OutOfRange, 'growthRate'],
    ['negative discount', { ...base, discountRate: -0.1 }, Code.OutOfRange, 'discountRate'],
    ['fractional margin', { ...base, annualMargin: 10.5 }, Code.NotSafeInteger, 'annualMargin'],
    ['margin as a string', { ...base, annualMargin: '1000' }, Code.InvalidType, 'annualMargin'],
    ['a typo', { ...base, retention: 0.5 }, Code.UnknownField, 'retention'],
    ['no object', null, Code.InvalidType, 'input'],
  ])('rejects %s', (_name, input, code, field) => {
    expect(() => lifetimeValue(input as LifetimeValueInput)).toThrow(expect.objectContaining({ code, field }));
  });

  const rate = fc.integer({ min: 0, max: 100 }).map((n) => n / 100);
  it('law: with a non-negative margin CLV is non-decreasing in retention and in horizon', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), rate, rate, rate, rate, (annualMargin, growthRate, discountRate, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const a = lifetimeValue({ annualMargin, growthRate, discountRate, retentionRate: lo });
        const b = lifetimeValue({ annualMargin, growthRate, discountRate, retentionRate: hi });
        expect(a.oneYear).toBe(b.oneYear); // year 1 does not depend on retention
        expect(a.twoYears).toBeLessThanOrEqual(b.twoYears);
        expect(a.threeYears).toBeLessThanOrEqual(b.threeYears);
        expect(b.oneYear).toBeLessThanOrEqual(b.twoYears);
        expect(b.twoYears).toBeLessThanOrEqual(b.threeYears);
      }),
    );
  });
});
