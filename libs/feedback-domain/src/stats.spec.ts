import { DomainError } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';
import { fDistributionUpperTail, invertSpd, logGamma, regularizedIncompleteBeta, studentTTwoSided, subsetRSquared, symmetricEigen } from './stats';

// Reference values from SciPy 1.17 (scipy.special.betainc, scipy.stats.f / t).
describe('regularizedIncompleteBeta', () => {
  it.each([
    ['I_x(1,1) = x', 0.3, 1, 1, 0.3],
    ['I_x(a,1) = x^a: 0.5³ = 0.125', 0.5, 3, 1, 0.125],
    ['I_x(1,b) = 1 − (1−x)^b: 1 − 0.8² = 0.36', 0.2, 1, 2, 0.36],
    ['symmetric I_½(a,a) = ½', 0.5, 7.5, 7.5, 0.5],
    ['SciPy betainc(2.5, 4, 0.3)', 0.3, 2.5, 4, 0.3521975859067672],
    ['SciPy betainc(30, 40, 0.45) (upper branch)', 0.45, 30, 40, 0.6447480085585666],
    ['SciPy betainc(½, ½, 0.1) = arcsine law', 0.1, 0.5, 0.5, 0.20483276469913345],
    ['x = 0 → 0', 0, 2, 3, 0],
    ['x = 1 → 1', 1, 2, 3, 1],
  ])('%s', (_name, x, a, b, expected) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['x below 0', -0.1, 1, 1, 'x'],
    ['x above 1', 1.5, 1, 1, 'x'],
    ['x NaN', NaN, 1, 1, 'x'],
    ['a = 0', 0.5, 0, 1, 'a'],
    ['a infinite', 0.5, Infinity, 1, 'a'],
    ['b negative', 0.5, 1, -2, 'b'],
    ['b infinite', 0.5, 1, Infinity, 'b'],
  ])('refuses %s', (_name, x, a, b, field) => {
    expect(() => regularizedIncompleteBeta(x, a, b)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field }));
  });
});

describe('logGamma', () => {
  it.each([
    ['Γ(5) = 4! = 24', 5, Math.log(24)],
    ['Γ(1) = 1', 1, 0],
    ['Γ(½) = √π (reflection branch)', 0.5, 0.5 * Math.log(Math.PI)],
    ['Γ(0.1) = 9.513507698668732', 0.1, Math.log(9.513507698668732)],
  ])('%s', (_name, x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });

  it.each([0, -1, Infinity])('refuses x = %p', (x) => {
    expect(() => logGamma(x)).toThrow(DomainError);
  });
});

describe('fDistributionUpperTail', () => {
  it.each([
    ['5% critical value of F(1, 10) = 4.9646', 4.964602743730711, 1, 10, 0.05],
    ['1% critical value of F(3, 20) = 4.9382', 4.938193382310538, 3, 20, 0.01],
    ['5% critical value of F(2, 30) = 3.3158', 3.3158295010135213, 2, 30, 0.05],
    ['SciPy f.sf(2.7, 12, 99987) — the key-driver benchmark shape', 2.7, 12, 99987, 0.0012016157644952853],
    ['F = 0 → p = 1', 0, 3, 10, 1],
    ['F = ∞ (perfect fit) → p = 0', Infinity, 3, 10, 0],
  ])('%s', (_name, f, d1, d2, expected) => {
    expect(fDistributionUpperTail(f, d1, d2)).toBeCloseTo(expected, 10);
  });

  it('equals the two-sided t tail for one numerator df: F(1, ν) = t(ν)²', () => {
    expect(fDistributionUpperTail(2.5 ** 2, 1, 17)).toBeCloseTo(studentTTwoSided(2.5, 17), 13);
  });

  it.each([
    ['d1 = 0', 1, 0, 5, 'd1'],
    ['d2 NaN', 1, 2, NaN, 'd2'],
    ['f NaN', NaN, 2, 5, 'f'],
  ])('refuses %s', (_name, f, d1, d2, field) => {
    expect(() => fDistributionUpperTail(f, d1, d2)).toThrow(expect.objectContaining({ field }));
  });
});

describe('studentTTwoSided', () => {
  it.each([
    ['t = 2.2281 with 10 df → 5%', 2.228138851986274, 10, 0.05],
    ['t = 2.7500 with 30 df → 1%', 2.7499956535672254, 30, 0.01],
    ['t = 12.706 with 1 df → 5%', 12.706204736174694, 1, 0.05],
    ['Cauchy (1 df): P(|T| ≥ 1) = ½', 1, 1, 0.5],
    ['sign does not matter: SciPy 2·t.sf(3.1, 57)', -3.1, 57, 0.00300529588016074],
    ['t = 0 → 1', 0, 5, 1],
    ['t = ∞ → 0', Infinity, 5, 0],
  ])('%s', (_name, t, df, expected) => {
    expect(studentTTwoSided(t, df)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['df = 0', 1, 0, 'df'],
    ['t NaN', NaN, 3, 't'],
  ])('refuses %s', (_name, t, df, field) => {
    expect(() => studentTTwoSided(t, df)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field }));
  });
});

const matrix = (rows: number[][]) => ({ size: rows.length, data: Float64Array.from(rows.flat()) });

describe('subsetRSquared', () => {
  // Variables x1, x2, y with r(x1,y) = 0.6, r(x2,y) = 0.3, r(x1,x2) = 0 → R² = 0.36 + 0.09 = 0.45.
  const uncorrelated = matrix([
    [1, 0, 0.6],
    [0, 1, 0.3],
    [0.6, 0.3, 1],
  ]);

  it.each([
    ['empty subset → 0', [], 0, 0],
    ['x1 alone → r² = 0.36', [0], 0.36, 1],
    ['x2 alone → r² = 0.09', [1], 0.09, 1],
    ['orthogonal predictors add: 0.36 + 0.09 = 0.45', [0, 1], 0.45, 2],
  ])('%s', (_name, subset, r2, rank) => {
    const result = subsetRSquared(uncorrelated, subset, 2);
    expect(result.rSquared).toBeCloseTo(r2, 14);
    expect(result.rank).toBe(rank);
  });

  it('drops an exact copy of a predictor: x1 and its copy explain no more than x1 (rank 1)', () => {
    const copy = matrix([
      [1, 1, 0.6],
      [1, 1, 0.6],
      [0.6, 0.6, 1],
    ]);
    expect(subsetRSquared(copy, [0, 1], 2)).toEqual({ rSquared: expect.closeTo(0.36, 14), rank: 1 });
  });

  it('caps a perfect fit at exactly 1 when rounding gives r = 1 + 1e−15', () => {
    const roundedUp = matrix([
      [1, 1 + 1e-15],
      [1 + 1e-15, 1],
    ]);
    expect(subsetRSquared(roundedUp, [0], 1).rSquared).toBe(1);
  });
});

describe('invertSpd', () => {
  it('inverts [[4,2],[2,3]] → 1/8·[[3,−2],[−2,4]]', () => {
    const inv = invertSpd(matrix([
      [4, 2],
      [2, 3],
    ]))!;
    expect(Array.from(inv.data)).toEqual([expect.closeTo(0.375, 14), expect.closeTo(-0.25, 14), expect.closeTo(-0.25, 14), expect.closeTo(0.5, 14)]);
  });

  it('returns null for a singular matrix', () => {
    expect(invertSpd(matrix([
      [1, 1],
      [1, 1],
    ]))).toBeNull();
  });
});

describe('symmetricEigen', () => {
  it('finds eigenvalues 1 ± ρ of a 2×2 correlation matrix with ρ = 0.5', () => {
    const { values } = symmetricEigen(matrix([
      [1, 0.5],
      [0.5, 1],
    ]));
    expect(Array.from(values).sort()).toEqual([expect.closeTo(0.5, 12), expect.closeTo(1.5, 12)]);
  });

  it('reconstructs a 4×4 matrix as V·diag(λ)·Vᵀ, skipping entries already zero', () => {
    const rows = [
      [2, 0.3, 0, 0.1],
      [0.3, 1, 0.4, 0],
      [0, 0.4, 3, 0.2],
      [0.1, 0, 0.2, 1.5],
    ];
    const { values, vectors } = symmetricEigen(matrix(rows));
    const n = 4;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let m = 0; m < n; m++) s += vectors.data[a * n + m]! * values[m]! * vectors.data[b * n + m]!;
        expect(s).toBeCloseTo(rows[a]![b]!, 10);
      }
    }
  });
});
