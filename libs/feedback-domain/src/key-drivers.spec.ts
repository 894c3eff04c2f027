import { FeedbackErrorCode } from './errors';
import { keyDrivers, minimumSample, type KeyDriverInput, type KeyDriverRespondent } from './key-drivers';

// Four answer patterns (speed, staff → recommend), each given by 10 respondents (n = 40):
// R²(speed) = 0.25, R²(staff) = 0.10, R²(speed, staff) = 0.50 (checked with NumPy).
const PATTERN: ReadonlyArray<[number, number, number]> = [
  [2, 5, 6],
  [2, 2, 5],
  [1, 3, 7],
  [3, 4, 6],
];
const twoDrivers = (): KeyDriverRespondent[] =>
  Array.from({ length: 40 }, (_, i) => {
    const [speed, staff, outcome] = PATTERN[i % 4]!;
    return { items: { speed, staff }, outcome };
  });

// Deterministic pseudo-random numbers (mulberry32) so data-driven cases are reproducible.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function synthetic(n: number, drivers: string[], seed: number, weights: number[]): KeyDriverRespondent[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    const latent = next();
    const items: Record<string, number> = {};
    let outcome = 0;
    drivers.forEach((d, j) => {
      // Items share a latent factor, so drivers correlate as real survey items do.
      const v = Math.min(5, Math.max(1, Math.round(1 + 4 * (0.5 * latent + 0.5 * next()))));
      items[d] = v;
      outcome += weights[j]! * v;
    });
    return { items, outcome: outcome + 2 * next() };
  });
}

// Independent reference: R² by ordinary least squares on the raw data (Gaussian elimination
// on XᵀX with an intercept), and Shapley values by averaging marginal R² gains over all k! orders.
function olsRSquared(respondents: KeyDriverRespondent[], cols: string[]): number {
  if (cols.length === 0) return 0;
  const rows = respondents.map((r) => [1, ...cols.map((c) => r.items[c]!)]);
  const y = respondents.map((r) => r.outcome!);
  const p = cols.length + 1;
  const A = Array.from({ length: p }, (_, a) => [...Array.from({ length: p }, (_, b) => rows.reduce((s, row) => s + row[a]! * row[b]!, 0)), rows.reduce((s, row, i) => s + row[a]! * y[i]!, 0)]);
  for (let c = 0; c < p; c++) {
    for (let r = c + 1; r < p; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= p; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const b = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) b[r] = (A[r]![p]! - A[r]!.slice(r + 1, p).reduce((s, v, i) => s + v * b[r + 1 + i]!, 0)) / A[r]![r]!;
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const sse = rows.reduce((s, row, i) => s + (y[i]! - row.reduce((t, v, j) => t + v * b[j]!, 0)) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  return 1 - sse / sst;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

function shapleyByPermutations(respondents: KeyDriverRespondent[], drivers: string[]): Record<string, number> {
  const phi: Record<string, number> = Object.fromEntries(drivers.map((d) => [d, 0]));
  const orders = permutations(drivers);
  for (const order of orders) {
    let before = 0;
    order.forEach((d, i) => {
      const after = olsRSquared(respondents, order.slice(0, i + 1));
      phi[d]! += (after - before) / orders.length;
      before = after;
    });
  }
  return phi;
}

const byDriver = (result: ReturnType<typeof keyDrivers>) => Object.fromEntries(result.drivers.map((d) => [d.driver, d]));

describe('keyDrivers — hand-worked two-driver case', () => {
  // φ_speed = ½[(R²_speed − 0) + (R²_full − R²_staff)] = ½[(0.25) + (0.50 − 0.10)] = 0.325
  // φ_staff = ½[(R²_staff − 0) + (R²_full − R²_speed)] = ½[(0.10) + (0.50 − 0.25)] = 0.175
  const result = keyDrivers({ respondents: twoDrivers() });
  const d = byDriver(result);

  it('Shapley values: speed ½[0.25 + (0.50 − 0.10)] = 0.325, staff ½[0.10 + (0.50 − 0.25)] = 0.175; shares 0.65 / 0.35', () => {
    expect(d.speed!.rSquaredContribution).toBeCloseTo(0.325, 12);
    expect(d.staff!.rSquaredContribution).toBeCloseTo(0.175, 12);
    expect(d.speed!.importance).toBeCloseTo(0.65, 12);
    expect(d.staff!.importance).toBeCloseTo(0.35, 12);
  });

  it('model fit: R² 0.5, adjusted 1 − 0.5·39/37 = 0.47297, F = (0.5/2)/(0.5/37) = 18.5, p = 2.6974e−6 (SciPy f.sf)', () => {
    expect(result).toMatchObject({ method: 'shapley', n: 40, dropped: 0, rank: 2 });
    expect(result.rSquared).toBeCloseTo(0.5, 12);
    expect(result.adjustedRSquared).toBeCloseTo(0.472972972972973, 12);
    expect(result.fStatistic).toBeCloseTo(18.5, 10);
    expect(result.pValue).toBeCloseTo(2.6973983046972182e-6, 14);
  });

  it('standardized betas −0.6667 and 0.5270 with t-test p-values 3.593e−6 and 1.190e−4 (NumPy/SciPy)', () => {
    expect(d.speed!.beta).toBeCloseTo(-0.66666667, 7);
    expect(d.staff!.beta).toBeCloseTo(0.52704628, 7);
    expect(d.speed!.betaPValue).toBeCloseTo(3.59302443e-6, 12);
    expect(d.staff!.betaPValue).toBeCloseTo(1.19048517e-4, 10);
  });

  it('performance: speed mean (2+2+1+3)/4 = 2, top-2-box 0%; staff mean (5+2+3+4)/4 = 3.5, top-2-box (5 and 4) 50%', () => {
    expect(d.speed).toMatchObject({ mean: 2, topTwoBox: 0 });
    expect(d.staff).toMatchObject({ mean: 3.5, topTwoBox: 50 });
  });

  it('priority matrix: mean importance 0.5, mean performance 2.75 → speed (0.65, 2) fix first, staff (0.35, 3.5) monitor', () => {
    expect(result.drivers.map((x) => [x.driver, x.quadrant])).toEqual([
      ['speed', 'fix-first'],
      ['staff', 'monitor'],
    ]);
    expect(result.priorityMatrix).toEqual({ 'fix-first': ['speed'], maintain: [], monitor: ['staff'], 'lower-priority': [] });
  });

  it('relative weights on the same data: 0.325 and 0.175 (NumPy eigh reference; for this pair they coincide with Shapley)', () => {
    const rw = byDriver(keyDrivers({ respondents: twoDrivers(), method: 'relative-weights' }));
    expect(rw.speed!.rSquaredContribution).toBeCloseTo(0.325, 10);
    expect(rw.staff!.rSquaredContribution).toBeCloseTo(0.175, 10);
  });
});

describe('keyDrivers — Shapley against an independent brute force', () => {
  it.each([
    ['3 drivers, 60 respondents', ['speed', 'quality', 'staff'], 60, 7, [1, 0.5, 0.2]],
    ['4 drivers, 80 respondents', ['speed', 'quality', 'staff', 'value'], 80, 11, [0.3, 1.2, 0, 0.6]],
    ['5 drivers, 120 respondents', ['a', 'b', 'c', 'd', 'e'], 120, 23, [0.1, 0.2, 0.4, 0.8, 1.6]],
  ])('%s: equals the average marginal R² over all k! orders; contributions sum to R²', (_name, drivers, n, seed, weights) => {
    const respondents = synthetic(n, drivers, seed, weights);
    const result = keyDrivers({ respondents });
    const expected = shapleyByPermutations(respondents, drivers);
    for (const d of result.drivers) expect(d.rSquaredContribution).toBeCloseTo(expected[d.driver]!, 10);
    expect(result.rSquared).toBeCloseTo(olsRSquared(respondents, drivers), 10);
    expect(result.drivers.reduce((s, d) => s + d.rSquaredContribution, 0)).toBeCloseTo(result.rSquared, 12);
    expect(result.drivers.reduce((s, d) => s + d.importance, 0)).toBeCloseTo(1, 12);
  });

  it('relative weights also sum to R² (Johnson 2000) on 8 drivers', () => {
    const drivers = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const result = keyDrivers({ respondents: synthetic(200, drivers, 5, [1, 0.9, 0.8, 0.7, 0.3, 0.2, 0.1, 0]), method: 'relative-weights' });
    expect(result.method).toBe('relative-weights');
    expect(result.drivers.reduce((s, d) => s + d.rSquaredContribution, 0)).toBeCloseTo(result.rSquared, 10);
  });

  it('handles the full 12 drivers (4096 subsets) with shares summing to 1', () => {
    const drivers = Array.from({ length: 12 }, (_, i) => `item${i}`);
    const result = keyDrivers({ respondents: synthetic(300, drivers, 3, drivers.map((_, i) => i / 6)) });
    expect(result.drivers).toHaveLength(12);
    expect(result.drivers.reduce((s, d) => s + d.importance, 0)).toBeCloseTo(1, 12);
    // The heaviest weight (item11) should rank most important.
    expect([...result.drivers].sort((a, b) => b.importance - a.importance)[0]!.driver).toBe('item11');
  });
});

describe('keyDrivers — collinearity and degenerate fits', () => {
  // speed and its exact copy "speedAgain", plus an independent driver.
  const withCopy = (): KeyDriverRespondent[] =>
    synthetic(60, ['speed', 'staff'], 17, [1, 0.5]).map((r) => ({ items: { ...r.items, speedAgain: r.items.speed }, outcome: r.outcome }));

  it.each(['shapley', 'relative-weights'] as const)('%s: perfectly collinear drivers (speed and its copy) get equal credit; a copy adds no R²', (method) => {
    const twin = keyDrivers({ respondents: withCopy(), method });
    const single = keyDrivers({ respondents: withCopy().map((r) => ({ items: { speed: r.items.speed, staff: r.items.staff }, outcome: r.outcome })), method });
    const d = byDriver(twin);
    expect(d.speed!.rSquaredContribution).toBeCloseTo(d.speedAgain!.rSquaredContribution, 10);
    expect(d.speed!.rSquaredContribution).toBeGreaterThan(0.1);
    expect(twin.rSquared).toBeCloseTo(single.rSquared, 12);
    expect(twin.drivers.reduce((s, x) => s + x.rSquaredContribution, 0)).toBeCloseTo(single.rSquared, 10);
  });

  it('reports rank 2 of 3 and no betas when drivers are exactly collinear; the F-test uses the rank', () => {
    const result = keyDrivers({ respondents: withCopy() });
    expect(result.rank).toBe(2);
    expect(result.drivers.every((d) => d.beta === null && d.betaPValue === null)).toBe(true);
    expect(result.adjustedRSquared).toBeCloseTo(1 - ((1 - result.rSquared) * 59) / 57, 12);
  });

  it('R² = 0 (outcome uncorrelated by design: x ∈ {1,2} × y ∈ {1,3}) → importance 0, F = 0, p = 1', () => {
    const respondents = Array.from({ length: 40 }, (_, i) => ({ items: { speed: 1 + (i % 2) }, outcome: i % 4 < 2 ? 1 : 3 }));
    const result = keyDrivers({ respondents });
    expect(result.rSquared).toBeCloseTo(0, 14);
    expect(result.drivers[0]).toMatchObject({ importance: 0, quadrant: 'maintain' });
    expect(result.pValue).toBeCloseTo(1, 10);
  });

  it('perfect fit (outcome = 2·speed) → R² 1, F = ∞, p = 0, beta 1 with p 0', () => {
    const respondents = Array.from({ length: 30 }, (_, i) => ({ items: { speed: 1 + (i % 5) }, outcome: 2 * (1 + (i % 5)) }));
    const result = keyDrivers({ respondents });
    expect(result).toMatchObject({ rSquared: 1, fStatistic: Infinity, pValue: 0, adjustedRSquared: 1 });
    expect(result.drivers[0]!.beta).toBeCloseTo(1, 12);
    expect(result.drivers[0]!.betaPValue).toBe(0);
  });
});

describe('keyDrivers — priority matrix', () => {
  it('orders fix-first, maintain, monitor, lower-priority; within a quadrant by importance', () => {
    // Weights make a, b important; items are shifted so a, c score low and b, d high.
    const base = synthetic(200, ['a', 'b', 'c', 'd'], 29, [2, 1.5, 0.1, 0.05]);
    const respondents = base.map((r) => ({
      items: { a: Math.max(1, r.items.a! - 2), b: Math.min(5, r.items.b! + 1), c: Math.max(1, r.items.c! - 2), d: Math.min(5, r.items.d! + 1) },
      outcome: r.outcome,
    }));
    const result = keyDrivers({ respondents, drivers: ['d', 'c', 'b', 'a'] });
    expect(result.drivers.map((x) => x.quadrant)).toEqual(['fix-first', 'maintain', 'monitor', 'lower-priority']);
    expect(result.priorityMatrix).toEqual({ 'fix-first': ['a'], maintain: ['b'], monitor: ['d'], 'lower-priority': ['c'] });
  });
});

describe('keyDrivers — missing values and sample size', () => {
  it('drops respondents missing a driver or the outcome (listwise) and reports how many', () => {
    const respondents = [
      ...twoDrivers(),
      { items: { speed: 3 }, outcome: 5 },
      { items: { speed: 3, staff: null }, outcome: 5 },
      { items: { speed: 3, staff: 4 }, outcome: null },
    ];
    const result = keyDrivers({ respondents });
    expect(result).toMatchObject({ n: 40, dropped: 3 });
    expect(result.rSquared).toBeCloseTo(0.5, 12);
  });

  it.each([
    ['1 driver needs max(30, 10) = 30', 1, 30],
    ['3 drivers need 30', 3, 30],
    ['4 drivers need 40', 4, 40],
    ['12 drivers need 120', 12, 120],
  ])('minimumSample: %s', (_name, k, n) => {
    expect(minimumSample(k)).toBe(n);
  });

  it('refuses 29 complete respondents for 2 drivers (needs 30), with n, dropped and required in details', () => {
    const respondents = [...twoDrivers().slice(0, 32).map((r, i) => (i < 3 ? { ...r, outcome: undefined } : r))];
    expect(() => keyDrivers({ respondents })).toThrow(
      expect.objectContaining({ code: FeedbackErrorCode.InsufficientSample, field: 'respondents', details: { n: 29, dropped: 3, required: 30 } }),
    );
  });

  it('refuses 35 respondents for 4 drivers (needs 10 × 4 = 40)', () => {
    expect(() => keyDrivers({ respondents: synthetic(35, ['a', 'b', 'c', 'd'], 1, [1, 1, 1, 1]) })).toThrow(
      expect.objectContaining({ code: FeedbackErrorCode.InsufficientSample, details: { n: 35, dropped: 0, required: 40 } }),
    );
  });
});

describe('keyDrivers — refusals', () => {
  const ok = twoDrivers();
  const withRespondent = (i: number, r: unknown) => ok.map((x, j) => (j === i ? r : x)) as KeyDriverRespondent[];
  const constantStaff = ok.map((r) => ({ items: { ...r.items, staff: 4 }, outcome: r.outcome }));
  const constantOutcome = ok.map((r) => ({ items: r.items, outcome: 7 }));

  it.each<[string, KeyDriverInput, FeedbackErrorCode, string]>([
    ['a driver with no variance (staff always 4)', { respondents: constantStaff }, FeedbackErrorCode.NoVariance, 'drivers[1]'],
    ['an outcome with no variance', { respondents: constantOutcome }, FeedbackErrorCode.NoVariance, 'outcome'],
    ['a driver nobody answered', { respondents: ok, drivers: ['speed', 'price'] }, FeedbackErrorCode.UnknownDriver, 'drivers[1]'],
    ['a duplicate driver', { respondents: ok, drivers: ['speed', 'speed'] }, FeedbackErrorCode.InvalidInput, 'drivers[1]'],
    ['an empty driver name', { respondents: ok, drivers: [''] }, FeedbackErrorCode.InvalidInput, 'drivers[0]'],
    ['drivers not an array', { respondents: ok, drivers: 'speed' as unknown as string[] }, FeedbackErrorCode.InvalidInput, 'drivers'],
    ['no drivers at all', { respondents: ok, drivers: [] }, FeedbackErrorCode.InvalidInput, 'drivers'],
    ['an unknown method', { respondents: ok, method: 'pca' as 'shapley' }, FeedbackErrorCode.InvalidInput, 'method'],
    ['a scale of two points', { respondents: ok, scale: { min: 1, max: 2 } }, FeedbackErrorCode.InvalidInput, 'scale'],
    ['a fractional scale', { respondents: ok, scale: { min: 1, max: 5.5 } }, FeedbackErrorCode.InvalidInput, 'scale'],
    ['an item of 6 on the 1–5 scale', { respondents: withRespondent(3, { items: { speed: 6, staff: 3 }, outcome: 5 }) }, FeedbackErrorCode.ScoreOutOfRange, 'respondents[3].items.speed'],
    ['an item of 2.5', { respondents: withRespondent(4, { items: { speed: 2, staff: 2.5 }, outcome: 5 }) }, FeedbackErrorCode.ScoreOutOfRange, 'respondents[4].items.staff'],
    ['an infinite outcome', { respondents: withRespondent(5, { items: { speed: 2, staff: 2 }, outcome: Infinity }) }, FeedbackErrorCode.InvalidInput, 'respondents[5].outcome'],
    ['items that are not an object', { respondents: withRespondent(6, { items: 5, outcome: 5 }) }, FeedbackErrorCode.InvalidInput, 'respondents[6].items'],
    ['a respondent that is not an object', { respondents: withRespondent(7, null) }, FeedbackErrorCode.InvalidInput, 'respondents[7]'],
    ['respondents not an array', { respondents: {} as KeyDriverRespondent[] }, FeedbackErrorCode.InvalidInput, 'respondents'],
    ['13 drivers for exact Shapley', { respondents: synthetic(130, Array.from({ length: 13 }, (_, i) => `d${i}`), 2, new Array(13).fill(1)) }, FeedbackErrorCode.TooManyDrivers, 'drivers'],
  ])('refuses %s', (_name, input, code, field) => {
    expect(() => keyDrivers(input)).toThrow(expect.objectContaining({ code, field }));
  });

  it('names the missing-variance driver in the message', () => {
    expect(() => keyDrivers({ respondents: constantStaff })).toThrow(/staff has the same value for every respondent/);
  });

  it('accepts 13 drivers with relative weights (no 2^k enumeration)', () => {
    const drivers = Array.from({ length: 13 }, (_, i) => `d${i}`);
    const result = keyDrivers({ respondents: synthetic(130, drivers, 2, new Array(13).fill(1)), method: 'relative-weights' });
    expect(result.drivers).toHaveLength(13);
  });

  it('accepts an explicit 0–10 scale: top-2-box counts 9 and 10', () => {
    const respondents = twoDrivers().map((r, i) => ({ items: { speed: r.items.speed! * 2 + (i % 2), staff: r.items.staff! * 2 }, outcome: r.outcome }));
    const staff = byDriver(keyDrivers({ respondents, scale: { min: 0, max: 10 } })).staff!;
    // staff values 10, 4, 6, 8 → only the 10 is top-2-box → 25%
    expect(staff.topTwoBox).toBe(25);
  });
});
