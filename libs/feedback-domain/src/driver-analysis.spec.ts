import fc from 'fast-check';
import { isDomainError } from '@steward/domain-kernel';
import { allSubsetRSquared, analyseDrivers, logisticRegression, prng, sampledShapley, shapleyFromSubsets } from './driver-analysis';
import { keyDrivers } from './key-drivers';

const DRIVERS = ['speed', 'quality', 'staff', 'value'];

/** Respondents whose outcome depends mostly on speed, then quality. */
function sample(n: number, seed: number) {
  const r = prng(seed);
  const score = () => 1 + Math.floor(r() * 5);
  return Array.from({ length: n }, (_, i) => {
    const items = { speed: score(), quality: score(), staff: score(), value: score() };
    return { id: `r${i}`, items, outcome: Math.round(items.speed * 1.5 + items.quality * 0.7 + (r() - 0.5) * 3), weight: 1 + (i % 3) };
  });
}

describe('analyseDrivers', () => {
  it('without weights equals the exact Shapley of keyDrivers on the same respondents', () => {
    const rs = sample(300, 1);
    const mine = analyseDrivers({ respondents: rs, drivers: DRIVERS, weighted: false, resamples: 0 });
    const lib = keyDrivers({ respondents: rs, drivers: DRIVERS });
    expect(mine.computation).toBe('exact');
    expect(mine.rSquared).toBeCloseTo(lib.rSquared, 10);
    for (const d of lib.drivers) expect(mine.drivers.find((x) => x.driver === d.driver)!.importance).toBeCloseTo(d.importance, 10);
  });

  it('integer survey weights equal replicating each respondent that many times', () => {
    const rs = sample(120, 2);
    const weighted = analyseDrivers({ respondents: rs, drivers: DRIVERS, resamples: 0 });
    const replicated = rs.flatMap((r) => Array.from({ length: r.weight }, (_, k) => ({ ...r, id: `${r.id}-${k}`, weight: 1 })));
    const plain = analyseDrivers({ respondents: replicated, drivers: DRIVERS, resamples: 0 });
    for (const d of plain.drivers) {
      const w = weighted.drivers.find((x) => x.driver === d.driver)!;
      expect(w.importance).toBeCloseTo(d.importance, 9);
      expect(w.mean).toBeCloseTo(d.mean, 9);
    }
  });

  it('does not depend on the order of the respondents (bootstrap blocks come from the ids)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const rs = sample(90, seed);
        const a = analyseDrivers({ respondents: rs, drivers: DRIVERS, resamples: 20, seed: 3 });
        const b = analyseDrivers({ respondents: [...rs].reverse(), drivers: DRIVERS, resamples: 20, seed: 3 });
        a.drivers.forEach((d, i) => {
          expect(b.drivers[i]!.driver).toBe(d.driver);
          expect(b.drivers[i]!.importanceInterval!.low).toBeCloseTo(d.importanceInterval!.low, 9);
        });
      }),
      { numRuns: 5 },
    );
  });

  it('sampled Shapley lands within four of its stated standard errors of the exact value', () => {
    const rs = sample(400, 4);
    const exact = analyseDrivers({ respondents: rs, drivers: DRIVERS, weighted: false, resamples: 0 });
    const k = 8;
    const r = prng(9);
    const m = Array.from({ length: 9 * 9 }, () => 0);
    // A random correlation matrix from random data.
    const data = Array.from({ length: 300 }, () => Array.from({ length: 9 }, () => r()));
    for (const row of data) row[8] = row[0]! * 2 + row[1]! + row[2]! * 0.5 + r();
    const means = Array.from({ length: 9 }, (_, j) => data.reduce((s, row) => s + row[j]!, 0) / data.length);
    for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) m[a * 9 + b] = data.reduce((s, row) => s + (row[a]! - means[a]!) * (row[b]! - means[b]!), 0);
    const c = new Float64Array(81);
    for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) c[a * 9 + b] = m[a * 9 + b]! / Math.sqrt(m[a * 9 + a]! * m[b * 9 + b]!);
    const matrix = { size: 9, data: c };
    const truth = shapleyFromSubsets(allSubsetRSquared(matrix, k), k);
    const est = sampledShapley(matrix, k, 4000, prng(1));
    truth.forEach((t, j) => expect(Math.abs(est.phi[j]! - t)).toBeLessThanOrEqual(4 * est.se[j]! + 1e-12));
    expect(exact.drivers[0]!.samplingError).toBeNull();
  });

  it('more than 12 drivers: sampled, with a sampling error per driver', () => {
    const r = prng(5);
    const names = Array.from({ length: 14 }, (_, j) => `d${j}`);
    const rs = Array.from({ length: 300 }, (_, i) => {
      const items = Object.fromEntries(names.map((d) => [d, 1 + Math.floor(r() * 5)]));
      return { id: `x${i}`, items, outcome: items.d0! * 2 + items.d1! + r() * 2 };
    });
    const out = analyseDrivers({ respondents: rs, resamples: 10, permutations: 600 });
    expect(out.computation).toBe('sampled');
    expect(out.drivers.every((d) => d.samplingError !== null && d.samplingError >= 0)).toBe(true);
    expect(out.drivers.map((d) => d.importance).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('a yes/no outcome gets a logistic model whose score equations are zero at the estimate', () => {
    const r = prng(7);
    const rs = Array.from({ length: 600 }, (_, i) => {
      const items = { speed: 1 + Math.floor(r() * 5), quality: 1 + Math.floor(r() * 5) };
      const p = 1 / (1 + Math.exp(-(-4 + 0.9 * items.speed + 0.3 * items.quality)));
      return { id: `l${i}`, items, outcome: r() < p };
    });
    const out = analyseDrivers({ respondents: rs, resamples: 0 });
    expect(out.outcomeType).toBe('binary');
    expect(out.logistic!.converged).toBe(true);
    const speed = out.drivers.find((d) => d.driver === 'speed')!.logistic!;
    expect(speed.oddsRatio).toBeGreaterThan(1.5);
    expect(speed.pValue).toBeLessThan(0.001);
    const x = new Float64Array(rs.flatMap((q) => [q.items.speed, q.items.quality]));
    const y = new Float64Array(rs.map((q) => (q.outcome ? 1 : 0)));
    const fit = logisticRegression(x, y, new Float64Array(rs.length).fill(1), rs.length, 2);
    let g0 = 0;
    for (let i = 0; i < rs.length; i++) g0 += y[i]! - 1 / (1 + Math.exp(-(fit.intercept + fit.coefficients[0]! * x[2 * i]! + fit.coefficients[1]! * x[2 * i + 1]!)));
    expect(Math.abs(g0)).toBeLessThan(1e-6);
  });

  it('calls a driver unclear when its interval straddles the threshold, and never flips on a point difference alone', () => {
    // Two drivers exactly alike in the population: each share is near 1/2 = the threshold.
    const r = prng(11);
    const rs = Array.from({ length: 400 }, (_, i) => {
      const a = 1 + Math.floor(r() * 5);
      const b = 1 + Math.floor(r() * 5);
      return { id: `u${i}`, items: { a, b }, outcome: a + b + r() };
    });
    const out = analyseDrivers({ respondents: rs, resamples: 100, seed: 2 });
    expect(out.priorityMatrix.unclear.sort()).toEqual(['a', 'b']);
    const point = analyseDrivers({ respondents: rs, resamples: 0 });
    expect(point.priorityMatrix.unclear).toEqual([]);
  });

  it('refuses bad input with a field path', () => {
    const rs = sample(50, 3);
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDomainError(e) ? e.field : 'other';
      }
      return 'none';
    };
    expect(bad(() => analyseDrivers({ respondents: rs, drivers: ['speed', 'price'] }))).toBe('drivers[1]');
    expect(bad(() => analyseDrivers({ respondents: [{ ...rs[0]!, weight: -1 }, ...rs] }))).toBe('respondents[0].weight');
    expect(bad(() => analyseDrivers({ respondents: rs.slice(0, 10) }))).toBe('respondents');
  });
});
