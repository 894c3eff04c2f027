import { assertArray, assertIntegerInRange, assertObject, fail } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';
import { fDistributionUpperTail, invertSpd, type SquareMatrix, studentTTwoSided, subsetRSquared, symmetricEigen, COLLINEARITY_TOLERANCE } from './stats';

/** One respondent: item scores by driver name, and the outcome they should explain. */
export interface KeyDriverRespondent {
  /** e.g. `{ speed: 4, quality: 5 }`; a missing (absent/null) value drops the respondent (listwise deletion). */
  readonly items: Readonly<Record<string, number | null | undefined>>;
  /** e.g. the 0–10 recommend score or 12-month revenue growth in %; absent/null drops the respondent. */
  readonly outcome: number | null | undefined;
}

export type KeyDriverMethod = 'shapley' | 'relative-weights';

export interface KeyDriverInput {
  readonly respondents: readonly KeyDriverRespondent[];
  /** Drivers to analyse, in display order; default: every item key, in order of first appearance. */
  readonly drivers?: readonly string[];
  /** Default 'shapley' (exact, k ≤ 12); 'relative-weights' is Johnson's (2000) approximation, any k. */
  readonly method?: KeyDriverMethod;
  /** Item scale, integers; default 1–5. Top-2-box = the two highest points. */
  readonly scale?: { readonly min: number; readonly max: number };
}

/** Quadrants of the importance × performance matrix, in the order to act on them. */
export const PRIORITY_QUADRANTS = ['fix-first', 'maintain', 'monitor', 'lower-priority'] as const;
export type PriorityQuadrant = (typeof PRIORITY_QUADRANTS)[number];

export interface DriverResult {
  driver: string;
  /** Share of the model R² credited to this driver, 0–1; the shares sum to 1 (all 0 when R² = 0). */
  importance: number;
  /** This driver's contribution to R² (Shapley value or relative weight); these sum to R². */
  rSquaredContribution: number;
  /** Standardized coefficient in the full model; null when drivers are exactly collinear. */
  beta: number | null;
  /** Two-sided t-test p-value of `beta`; null when `beta` is. */
  betaPValue: number | null;
  /** Current performance: mean item score. */
  mean: number;
  /** Current performance: share of the two highest scale points, in percent. */
  topTwoBox: number;
  quadrant: PriorityQuadrant;
}

export interface KeyDriverResult {
  method: KeyDriverMethod;
  /** Complete respondents used. */
  n: number;
  /** Respondents dropped for a missing driver value or outcome. */
  dropped: number;
  rSquared: number;
  /** 1 − (1 − R²)(n − 1)/(n − rank − 1). */
  adjustedRSquared: number;
  /** Overall F statistic, (R²/rank) / ((1 − R²)/(n − rank − 1)); Infinity for a perfect fit. */
  fStatistic: number;
  /** P(F ≥ fStatistic) with (rank, n − rank − 1) degrees of freedom. */
  pValue: number;
  /** Rank of the driver correlation matrix (k unless drivers are exactly collinear). */
  rank: number;
  /** Sorted by priority: quadrant order, then importance descending. */
  drivers: DriverResult[];
  /** Driver names per quadrant, each list by importance descending. */
  priorityMatrix: Record<PriorityQuadrant, string[]>;
}

/** Largest driver count for the exact Shapley decomposition (2^12 = 4096 subset regressions). */
export const MAX_SHAPLEY_DRIVERS = 12;

/** Minimum complete respondents: max(30, 10 per driver). */
export function minimumSample(drivers: number): number {
  return Math.max(30, 10 * drivers);
}

function resolveDrivers(input: KeyDriverInput, respondents: readonly unknown[]): string[] {
  if (input.drivers !== undefined) {
    const drivers = input.drivers;
    assertArray(drivers, 'drivers', FeedbackErrorCode.InvalidInput);
    const seen = new Set<string>();
    drivers.forEach((d, i) => {
      if (typeof d !== 'string' || d === '') fail(FeedbackErrorCode.InvalidInput, `drivers[${i}]`, 'expected a non-empty driver name');
      if (seen.has(d as string)) fail(FeedbackErrorCode.InvalidInput, `drivers[${i}]`, `duplicate driver ${String(d)}`);
      seen.add(d as string);
    });
    return drivers as string[];
  }
  const found = new Set<string>();
  respondents.forEach((r, i) => {
    assertObject(r, `respondents[${i}]`, FeedbackErrorCode.InvalidInput);
    assertObject(r.items, `respondents[${i}].items`, FeedbackErrorCode.InvalidInput);
    for (const key of Object.keys(r.items)) found.add(key);
  });
  return [...found];
}

const isMissing = (v: unknown): boolean => v === undefined || v === null;

/**
 * Key-driver analysis: which item scores explain the outcome most.
 *
 * Importance is the Shapley decomposition of the linear-regression R² (exact, over all
 * 2^k driver subsets, each subset's R² from the correlation matrix), or Johnson's relative
 * weights. Performance is the mean and top-2-box of each driver. Drivers are then placed in
 * an importance × performance matrix: high importance = importance ≥ mean importance, high
 * performance = mean ≥ mean of driver means.
 *
 * Respondents missing a driver value or the outcome are dropped (listwise deletion) and
 * counted in `dropped`.
 *
 * @throws DomainError InsufficientSample when complete respondents < max(30, 10·k);
 *   NoVariance when a driver (`drivers[i]`) or the outcome (`outcome`) is constant;
 *   UnknownDriver when a requested driver appears nowhere; TooManyDrivers for Shapley with
 *   k > 12; ScoreOutOfRange / InvalidInput at the offending `respondents[i]…` path.
 */
export function keyDrivers(input: KeyDriverInput): KeyDriverResult {
  assertObject(input, 'input', FeedbackErrorCode.InvalidInput);
  const options = input;
  const method = (options.method ?? 'shapley') as KeyDriverMethod;
  if (method !== 'shapley' && method !== 'relative-weights') fail(FeedbackErrorCode.InvalidInput, 'method', `unknown method ${String(method)}`);
  const scale = options.scale ?? { min: 1, max: 5 };
  assertObject(scale, 'scale', FeedbackErrorCode.InvalidInput);
  const { min, max } = scale;
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isInteger(min) || !Number.isInteger(max) || max - min < 2) {
    fail(FeedbackErrorCode.InvalidInput, 'scale', 'expected integer min and max at least 2 points apart');
  }
  const lo = min as number;
  const hi = max as number;
  const respondents = options.respondents;
  assertArray(respondents, 'respondents', FeedbackErrorCode.InvalidInput);
  const drivers = resolveDrivers(input, respondents);
  const k = drivers.length;
  if (k === 0) fail(FeedbackErrorCode.InvalidInput, 'drivers', 'no drivers to analyse');
  if (method === 'shapley' && k > MAX_SHAPLEY_DRIVERS) {
    fail(FeedbackErrorCode.TooManyDrivers, 'drivers', `exact Shapley handles at most ${MAX_SHAPLEY_DRIVERS} drivers, got ${k}; use method 'relative-weights'`, { k });
  }

  // Columns 0..k−1 are drivers, column k the outcome; rows are complete respondents.
  const p = k + 1;
  const data = new Float64Array(respondents.length * p);
  const appears = new Uint8Array(k);
  let n = 0;
  for (let i = 0; i < respondents.length; i++) {
    const r = respondents[i];
    assertObject(r, `respondents[${i}]`, FeedbackErrorCode.InvalidInput);
    const items = r.items;
    assertObject(items, `respondents[${i}].items`, FeedbackErrorCode.InvalidInput);
    let complete = true;
    for (let j = 0; j < k; j++) {
      const v = items[drivers[j]!];
      if (isMissing(v)) {
        complete = false;
        continue;
      }
      appears[j] = 1;
      // Field paths are built only on the error path: this loop runs respondents × drivers times.
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) assertIntegerInRange(v, lo, hi, `respondents[${i}].items.${drivers[j]}`, FeedbackErrorCode.ScoreOutOfRange);
      data[n * p + j] = v as number;
    }
    const y = r.outcome;
    if (isMissing(y)) complete = false;
    else if (typeof y !== 'number' || !Number.isFinite(y)) fail(FeedbackErrorCode.InvalidInput, `respondents[${i}].outcome`, `expected a finite number, got ${String(y)}`);
    else data[n * p + k] = y;
    if (complete) n++;
  }
  appears.forEach((a, j) => {
    if (!a) fail(FeedbackErrorCode.UnknownDriver, `drivers[${j}]`, `no respondent has a value for ${drivers[j]}`);
  });
  const dropped = respondents.length - n;
  const required = minimumSample(k);
  if (n < required) {
    fail(FeedbackErrorCode.InsufficientSample, 'respondents', `${n} complete respondents, need at least max(30, 10 × ${k}) = ${required}`, { n, dropped, required });
  }

  const { corr, means, topTwoBox } = describe(data, n, p, hi, drivers);
  const full = subsetRSquared(corr, range(k), k);
  const contributions = method === 'shapley' ? shapley(corr, k) : relativeWeights(corr, k);
  const rSquared = full.rSquared;
  const rank = full.rank;
  const dfResidual = n - rank - 1;
  const fStatistic = rSquared >= 1 ? Infinity : rSquared / rank / ((1 - rSquared) / dfResidual);
  const betas = standardizedBetas(corr, k, rSquared, dfResidual);

  const importances = contributions.map((c) => (rSquared > 0 ? c / rSquared : 0));
  const meanImportance = importances.reduce((a, b) => a + b, 0) / k;
  const meanPerformance = means.reduce((a, b) => a + b, 0) / k;
  // Ties with the mean count as "high": a driver exactly at the average is not singled out as weak.
  const results: DriverResult[] = drivers.map((driver, j) => ({
    driver,
    importance: importances[j]!,
    rSquaredContribution: contributions[j]!,
    beta: betas?.beta[j] ?? null,
    betaPValue: betas?.pValue[j] ?? null,
    mean: means[j]!,
    topTwoBox: topTwoBox[j]!,
    quadrant: quadrantOf(importances[j]! >= meanImportance - 1e-12, means[j]! >= meanPerformance - 1e-12),
  }));
  results.sort((a, b) => PRIORITY_QUADRANTS.indexOf(a.quadrant) - PRIORITY_QUADRANTS.indexOf(b.quadrant) || b.importance - a.importance);
  const priorityMatrix = { 'fix-first': [], maintain: [], monitor: [], 'lower-priority': [] } as Record<PriorityQuadrant, string[]>;
  for (const r of results) priorityMatrix[r.quadrant].push(r.driver);

  return {
    method,
    n,
    dropped,
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / dfResidual,
    fStatistic,
    pValue: fDistributionUpperTail(fStatistic, rank, dfResidual),
    rank,
    drivers: results,
    priorityMatrix,
  };
}

// Martilla & James (1977) importance–performance analysis, with "concentrate here" named fix-first.
function quadrantOf(highImportance: boolean, highPerformance: boolean): PriorityQuadrant {
  if (highImportance) return highPerformance ? 'maintain' : 'fix-first';
  // Low importance but high performance: possibly over-served — watch, do not invest more.
  return highPerformance ? 'monitor' : 'lower-priority';
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

// Means, correlation matrix (two-pass, centred cross-products) and top-2-box over the
// first n rows; refuses constant columns.
function describe(data: Float64Array, n: number, p: number, hi: number, drivers: readonly string[]) {
  const k = p - 1;
  const mean = new Float64Array(p);
  const minV = new Float64Array(p).fill(Infinity);
  const maxV = new Float64Array(p).fill(-Infinity);
  const top = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let j = 0; j < p; j++) {
      const v = data[row + j]!;
      mean[j]! += v;
      if (v < minV[j]!) minV[j] = v;
      if (v > maxV[j]!) maxV[j] = v;
    }
    for (let j = 0; j < k; j++) if (data[row + j]! >= hi - 1) top[j]!++;
  }
  for (let j = 0; j < p; j++) {
    // Exact test for a constant column: no rounding threshold to tune.
    if (minV[j] === maxV[j]) {
      const field = j === k ? 'outcome' : `drivers[${j}]`;
      fail(FeedbackErrorCode.NoVariance, field, `${j === k ? 'the outcome' : drivers[j]} has the same value for every respondent`);
    }
    mean[j]! /= n;
  }
  const cross = new Float64Array(p * p);
  const centred = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let j = 0; j < p; j++) centred[j] = data[row + j]! - mean[j]!;
    for (let a = 0; a < p; a++) {
      const ca = centred[a]!;
      const base = a * p;
      for (let b = a; b < p; b++) cross[base + b]! += ca * centred[b]!;
    }
  }
  const corr = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const r = a === b ? 1 : cross[a * p + b]! / Math.sqrt(cross[a * p + a]! * cross[b * p + b]!);
      corr[a * p + b] = r;
      corr[b * p + a] = r;
    }
  }
  return {
    corr: { size: p, data: corr } as SquareMatrix,
    means: Array.from(mean.subarray(0, k)),
    topTwoBox: Array.from(top, (t) => (t / n) * 100),
  };
}

/**
 * Exact Shapley values of R²: φ_j = Σ_{S ⊆ N∖{j}} |S|!(k−|S|−1)!/k! · (R²(S ∪ {j}) − R²(S)).
 * Every subset's R² comes from the correlation matrix (one small Cholesky each).
 */
function shapley(corr: SquareMatrix, k: number): number[] {
  const subsets = 1 << k;
  const r2 = new Float64Array(subsets);
  const members: number[] = [];
  for (let mask = 1; mask < subsets; mask++) {
    members.length = 0;
    for (let j = 0; j < k; j++) if (mask & (1 << j)) members.push(j);
    r2[mask] = subsetRSquared(corr, members, k).rSquared;
  }
  // weight[s] = s!(k−s−1)!/k!, built by the ratio weight[s+1]/weight[s] = (s+1)/(k−s−1).
  const weight = new Float64Array(k);
  weight[0] = 1 / k;
  for (let s = 0; s + 1 < k; s++) weight[s + 1] = (weight[s]! * (s + 1)) / (k - s - 1);
  const popcount = new Uint8Array(subsets);
  for (let mask = 1; mask < subsets; mask++) popcount[mask] = popcount[mask >> 1]! + (mask & 1);
  const phi = new Array<number>(k).fill(0);
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    let sum = 0;
    for (let mask = 0; mask < subsets; mask++) {
      if (mask & bit) continue;
      sum += weight[popcount[mask]!]! * (r2[mask | bit]! - r2[mask]!);
    }
    phi[j] = sum;
  }
  return phi;
}

/**
 * Johnson's (2000) relative weights: regress the outcome on the orthogonal Z closest to
 * the drivers (Z = X·R^−½), then share each Z's β² back by the squared loadings Λ = R^½:
 * ε_j = Σ_m Λ_jm² β_m². Near-zero eigenvalues use the pseudo-inverse (collinear drivers).
 */
/** @internal Johnson's relative weights from a correlation matrix (drivers 0..k−1, outcome k); shared with driver-analysis.ts. */
export function relativeWeights(corr: SquareMatrix, k: number): number[] {
  const p = corr.size;
  const rxx = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) rxx[a * k + b] = corr.data[a * p + b]!;
  const { values, vectors } = symmetricEigen({ size: k, data: rxx });
  const V = vectors.data;
  const sqrtL = Array.from(values, (v) => Math.sqrt(Math.max(0, v)));
  const invSqrtL = Array.from(values, (v) => (v > COLLINEARITY_TOLERANCE ? 1 / Math.sqrt(v) : 0));
  const lambda = new Float64Array(k * k);
  const invHalf = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      let t = 0;
      for (let m = 0; m < k; m++) {
        s += V[a * k + m]! * sqrtL[m]! * V[b * k + m]!;
        t += V[a * k + m]! * invSqrtL[m]! * V[b * k + m]!;
      }
      lambda[a * k + b] = s;
      invHalf[a * k + b] = t;
    }
  }
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += invHalf[a * k + b]! * corr.data[b * p + k]!;
    beta[a] = s;
  }
  return range(k).map((j) => {
    let e = 0;
    for (let m = 0; m < k; m++) e += lambda[j * k + m]! ** 2 * beta[m]! ** 2;
    return e;
  });
}

// Standardized betas β = R⁻¹r and their t-tests, se_j² = (1 − R²)/(n − k − 1) · (R⁻¹)_jj.
// Null when the drivers are exactly collinear (the betas are not identified).
/** @internal shared with driver-analysis.ts. */
export function standardizedBetas(corr: SquareMatrix, k: number, rSquared: number, dfResidual: number): { beta: number[]; pValue: number[] } | null {
  const p = corr.size;
  const rxx = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) rxx[a * k + b] = corr.data[a * p + b]!;
  const inv = invertSpd({ size: k, data: rxx });
  if (inv === null) return null;
  const beta = range(k).map((a) => {
    let s = 0;
    for (let b = 0; b < k; b++) s += inv.data[a * k + b]! * corr.data[b * p + k]!;
    return s;
  });
  const sigma2 = Math.max(0, 1 - rSquared) / dfResidual;
  const pValue = beta.map((b, j) => studentTTwoSided(b / Math.sqrt(sigma2 * inv.data[j * k + j]!), dfResidual));
  return { beta, pValue };
}
