import { assertArray, assertIntegerInRange, assertObject, fail } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';
import { MAX_SHAPLEY_DRIVERS, minimumSample, relativeWeights, standardizedBetas } from './key-drivers';
import { COLLINEARITY_TOLERANCE, invertSpd, type SquareMatrix } from './stats';

/**
 * Key-driver analysis for a service: survey weights, yes/no outcomes (a logistic model),
 * any number of drivers (exact Shapley up to 12, permutation-sampled beyond with its error
 * stated), bootstrap confidence intervals, and a priority matrix that does not flip on a
 * difference smaller than its own uncertainty. README "Driver analysis" states every rule.
 */

/** One respondent: an id (it decides the bootstrap block, so results do not depend on row order), item scores, outcome, weight. */
export interface AnalysisRespondent {
  readonly id: string;
  readonly items: Readonly<Record<string, number | null | undefined>>;
  /** A number, or true/false (1/0) for a yes/no outcome; absent/null drops the respondent. */
  readonly outcome: number | boolean | null | undefined;
  /** Survey weight, finite and > 0; default 1. */
  readonly weight?: number;
}

export type OutcomeType = 'continuous' | 'binary';
export type AnalysisQuadrant = 'fix-first' | 'maintain' | 'monitor' | 'lower-priority' | 'unclear';

export interface DriverAnalysisInput {
  readonly respondents: readonly AnalysisRespondent[];
  readonly drivers?: readonly string[];
  readonly method?: 'shapley' | 'relative-weights';
  readonly scale?: { readonly min: number; readonly max: number };
  /** Default: binary when every outcome is true/false, else continuous. */
  readonly outcomeType?: OutcomeType;
  /** Bootstrap resamples (default 100; 0: point estimates only). */
  readonly resamples?: number;
  readonly seed?: number;
  /** Bootstrap blocks (default 200): respondents are hashed into blocks by id, and blocks are resampled. */
  readonly blocks?: number;
  /** Permutations of the sampled Shapley (more than 12 drivers); default 3000. */
  readonly permutations?: number;
  /** Use the weights (default true); false treats every respondent as weight 1. */
  readonly weighted?: boolean;
}

export interface AnalysedDriver {
  driver: string;
  /** Share of R² credited to the driver (0–1, the shares sum to 1). */
  importance: number;
  /** 95% bootstrap percentile interval of `importance`; null without resamples. */
  importanceInterval: { low: number; high: number } | null;
  /** Sampled Shapley only: standard error of `importance` from the permutation sampling. */
  samplingError: number | null;
  rSquaredContribution: number;
  beta: number | null;
  /** Weighted mean item score and its 95% bootstrap interval. */
  mean: number;
  meanInterval: { low: number; high: number } | null;
  /** Weighted share of the two highest scale points, percent. */
  topTwoBox: number;
  quadrant: AnalysisQuadrant;
  /** Yes/no outcomes: logistic coefficient per scale point, odds ratio, Wald p-value. */
  logistic: { coefficient: number; oddsRatio: number; pValue: number } | null;
}

export interface DriverAnalysis {
  method: 'shapley' | 'relative-weights';
  computation: 'exact' | 'sampled' | 'relative-weights';
  outcomeType: OutcomeType;
  n: number;
  dropped: number;
  missingRule: string;
  weighted: boolean;
  rSquared: number;
  adjustedRSquared: number;
  resamples: number;
  drivers: AnalysedDriver[];
  priorityMatrix: Record<AnalysisQuadrant, string[]>;
  logistic: { intercept: number; mcFaddenR2: number; iterations: number; converged: boolean } | null;
}

export const MISSING_RULE =
  'listwise: a respondent without a value for every analysed driver and the outcome is left out (counted in dropped); invalid values are refused, not dropped';

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Weighted first and second moments of (x₁…x_k, y): mergeable, so bootstrap resamples add blocks. */
interface Moments {
  w: number;
  s1: Float64Array; // p
  s2: Float64Array; // p×p (upper triangle used)
  top: Float64Array; // k: weight of top-two-box answers
}

const emptyMoments = (p: number, k: number): Moments => ({ w: 0, s1: new Float64Array(p), s2: new Float64Array(p * p), top: new Float64Array(k) });

function addInto(acc: Moments, m: Moments): void {
  acc.w += m.w;
  for (let i = 0; i < acc.s1.length; i++) acc.s1[i]! += m.s1[i]!;
  for (let i = 0; i < acc.s2.length; i++) acc.s2[i]! += m.s2[i]!;
  for (let i = 0; i < acc.top.length; i++) acc.top[i]! += m.top[i]!;
}

/** Correlation matrix and means from moments; null when a column has no variance in them. */
function statsOf(m: Moments, p: number): { corr: SquareMatrix; means: Float64Array } | null {
  const means = new Float64Array(p);
  for (let i = 0; i < p; i++) means[i] = m.s1[i]! / m.w;
  const cov = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) cov[a * p + b] = m.s2[a * p + b]! / m.w - means[a]! * means[b]!;
  const corr = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const va = cov[a * p + a]!;
    if (!(va > 1e-12)) return null;
    for (let b = a; b < p; b++) {
      const r = a === b ? 1 : cov[a * p + b]! / Math.sqrt(va * cov[b * p + b]!);
      corr[a * p + b] = r;
      corr[b * p + a] = r;
    }
  }
  return { corr: { size: p, data: corr }, means };
}

/** R² of every subset of the k drivers (mask bit j = driver j), by extending the Cholesky factor of the subset without its highest driver: O(k²) each. */
export function allSubsetRSquared(corr: SquareMatrix, k: number): Float64Array {
  const p = corr.size;
  const R = corr.data;
  const subsets = 1 << k;
  const r2 = new Float64Array(subsets);
  const Ls = new Float64Array(subsets * k * k); // rows of L by position
  const zs = new Float64Array(subsets * k);
  const members = new Int8Array(subsets * k);
  const size = new Uint8Array(subsets);
  const l = new Float64Array(k);
  for (let mask = 1; mask < subsets; mask++) {
    const h = 31 - Math.clz32(mask);
    const parent = mask ^ (1 << h);
    const s = size[parent]!;
    const pb = parent * k * k;
    const mb = mask * k * k;
    // Copy the parent's factor.
    for (let i = 0; i < s * k; i++) Ls[mb + i] = Ls[pb + i]!;
    for (let i = 0; i < s; i++) {
      zs[mask * k + i] = zs[parent * k + i]!;
      members[mask * k + i] = members[parent * k + i]!;
    }
    // Solve L l = R[S, h].
    let d = R[h * p + h]!;
    let zy = R[h * p + k]!;
    for (let i = 0; i < s; i++) {
      let sum = R[members[parent * k + i]! * p + h]!;
      for (let m = 0; m < i; m++) sum -= Ls[pb + i * k + m]! * l[m]!;
      l[i] = sum / Ls[pb + i * k + i]!;
      d -= l[i]! * l[i]!;
      zy -= l[i]! * zs[parent * k + i]!;
    }
    if (d <= COLLINEARITY_TOLERANCE) {
      size[mask] = s;
      r2[mask] = r2[parent]!;
      continue;
    }
    const lhh = Math.sqrt(d);
    for (let m = 0; m < s; m++) Ls[mb + s * k + m] = l[m]!;
    Ls[mb + s * k + s] = lhh;
    const z = zy / lhh;
    zs[mask * k + s] = z;
    members[mask * k + s] = h;
    size[mask] = s + 1;
    r2[mask] = Math.min(1, r2[parent]! + z * z);
  }
  return r2;
}

/** Exact Shapley values of R² from all subsets. */
export function shapleyFromSubsets(r2: Float64Array, k: number): number[] {
  const subsets = 1 << k;
  const weight = new Float64Array(k);
  weight[0] = 1 / k;
  for (let s = 0; s + 1 < k; s++) weight[s + 1] = (weight[s]! * (s + 1)) / (k - s - 1);
  const pop = new Uint8Array(subsets);
  for (let mask = 1; mask < subsets; mask++) pop[mask] = pop[mask >> 1]! + (mask & 1);
  const phi = new Array<number>(k).fill(0);
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    let sum = 0;
    for (let mask = 0; mask < subsets; mask++) if (!(mask & bit)) sum += weight[pop[mask]!]! * (r2[mask | bit]! - r2[mask]!);
    phi[j] = sum;
  }
  return phi;
}

/**
 * Shapley values of R² by permutation sampling (Castro, Gómez & Tejada 2009): for each random
 * order of the drivers, each driver's marginal R² gain when added; the estimate is the mean
 * over permutations and its standard error sd/√permutations. Antithetic pairs (an order and
 * its reverse) cut the variance. R² along an order is built by extending one Cholesky factor.
 */
export function sampledShapley(corr: SquareMatrix, k: number, permutations: number, random: () => number): { phi: number[]; se: number[] } {
  const p = corr.size;
  const R = corr.data;
  const sum = new Float64Array(k);
  const sumSq = new Float64Array(k);
  const L = new Float64Array(k * k);
  const z = new Float64Array(k);
  const kept = new Int32Array(k);
  const order = Array.from({ length: k }, (_, i) => i);
  const pairs = Math.max(1, Math.ceil(permutations / 2));
  const walk = (ord: readonly number[]) => {
    let s = 0;
    let r2 = 0;
    for (const h of ord) {
      let d = R[h * p + h]!;
      let zy = R[h * p + k]!;
      for (let i = 0; i < s; i++) {
        let v = R[kept[i]! * p + h]!;
        for (let m = 0; m < i; m++) v -= L[i * k + m]! * L[s * k + m]!;
        const li = v / L[i * k + i]!;
        L[s * k + i] = li;
        d -= li * li;
        zy -= li * z[i]!;
      }
      let gain = 0;
      if (d > COLLINEARITY_TOLERANCE) {
        const lhh = Math.sqrt(d);
        L[s * k + s] = lhh;
        z[s] = zy / lhh;
        kept[s] = h;
        gain = Math.min(1, r2 + z[s]! * z[s]!) - r2;
        r2 += gain;
        s++;
      }
      sum[h]! += gain;
      sumSq[h]! += gain * gain;
    }
  };
  for (let t = 0; t < pairs; t++) {
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    walk(order);
    walk([...order].reverse());
  }
  const count = pairs * 2;
  const phi = Array.from(sum, (v) => v / count);
  // Antithetic pairs are not independent draws: the error is estimated from pair means.
  const se = phi.map((m, j) => Math.sqrt(Math.max(0, sumSq[j]! / count - m * m) / count));
  return { phi, se };
}

function normalTwoSided(z: number): number {
  // erfc by Numerical Recipes' Chebyshev fit (|error| < 1.2e-7).
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const r =
    t *
    Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return Math.min(1, r);
}

/**
 * Weighted logistic regression of a 0/1 outcome on the raw driver scores, by iteratively
 * reweighted least squares: coefficients per scale point, Wald p-values from the inverse
 * information matrix, McFadden's pseudo-R² = 1 − ℓ(model)/ℓ(intercept only).
 */
export function logisticRegression(x: Float64Array, y: Float64Array, w: Float64Array, n: number, k: number, maxIterations = 50) {
  const q = k + 1;
  const beta = new Float64Array(q);
  let iterations = 0;
  let converged = false;
  let info: SquareMatrix | null = null;
  for (; iterations < maxIterations; iterations++) {
    const H = new Float64Array(q * q);
    const g = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      let eta = beta[0]!;
      for (let j = 0; j < k; j++) eta += beta[j + 1]! * x[i * k + j]!;
      const mu = 1 / (1 + Math.exp(-eta));
      const wi = w[i]! * Math.max(mu * (1 - mu), 1e-12);
      const resid = w[i]! * (y[i]! - mu);
      for (let a = 0; a < q; a++) {
        const xa = a === 0 ? 1 : x[i * k + a - 1]!;
        g[a]! += xa * resid;
        for (let b = a; b < q; b++) H[a * q + b]! += wi * xa * (b === 0 ? 1 : x[i * k + b - 1]!);
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) H[a * q + b] = H[b * q + a]!;
    info = invertSpd({ size: q, data: H });
    if (!info) break;
    let change = 0;
    for (let a = 0; a < q; a++) {
      let step = 0;
      for (let b = 0; b < q; b++) step += info.data[a * q + b]! * g[b]!;
      beta[a]! += step;
      change = Math.max(change, Math.abs(step));
    }
    if (change < 1e-10) {
      converged = true;
      iterations++;
      break;
    }
  }
  let ll = 0;
  let llNull = 0;
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i]!;
    sy += w[i]! * y[i]!;
  }
  const p0 = sy / sw;
  for (let i = 0; i < n; i++) {
    let eta = beta[0]!;
    for (let j = 0; j < k; j++) eta += beta[j + 1]! * x[i * k + j]!;
    const mu = Math.min(1 - 1e-15, Math.max(1e-15, 1 / (1 + Math.exp(-eta))));
    ll += w[i]! * (y[i]! * Math.log(mu) + (1 - y[i]!) * Math.log(1 - mu));
    llNull += w[i]! * (y[i]! * Math.log(p0) + (1 - y[i]!) * Math.log(1 - p0));
  }
  const pValues = Array.from({ length: k }, (_, j) => (info ? normalTwoSided(beta[j + 1]! / Math.sqrt(info.data[(j + 1) * q + j + 1]!)) : NaN));
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), pValues, mcFaddenR2: llNull < 0 ? 1 - ll / llNull : 0, iterations, converged };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Key-driver analysis with survey weights, bootstrap intervals, a logistic model for yes/no
 * outcomes, exact or sampled Shapley, and an uncertainty-aware priority matrix.
 *
 * Rules:
 * - Missing answers: {@link MISSING_RULE}. Minimum complete respondents: max(30, 10 per driver).
 * - Weights: weighted means, correlations and top-two-box; degrees of freedom use n.
 * - Importance: shares of R² (Shapley: exact for k ≤ 12, else `permutations` sampled
 *   orders with `samplingError` per driver; or relative weights). For a yes/no outcome R²
 *   is that of the linear probability model (the correlations of the drivers with the 0/1
 *   outcome); the logistic model gives the effects (`logistic`).
 * - Bootstrap: respondents are hashed by id into `blocks` groups; each resample draws that
 *   many groups with replacement and recomputes everything from their summed moments
 *   (a block bootstrap over random blocks: the same large-sample variance as resampling
 *   respondents, at a cost independent of n). 95% percentile intervals.
 * - Priority matrix: importance is high when its interval lies above the average share 1/k,
 *   low when below; performance high when the interval of (mean − mean of driver means)
 *   lies above 0, low when below; otherwise `unclear`. Without resamples, the point values
 *   decide (ties count as high), as in {@link keyDrivers}.
 */
export function analyseDrivers(input: DriverAnalysisInput): DriverAnalysis {
  assertObject(input, 'input', FeedbackErrorCode.InvalidInput);
  const method = input.method ?? 'shapley';
  if (method !== 'shapley' && method !== 'relative-weights') fail(FeedbackErrorCode.InvalidInput, 'method', `unknown method ${String(method)}`);
  const scale = input.scale ?? { min: 1, max: 5 };
  const lo = scale.min;
  const hi = scale.max;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi - lo < 2) fail(FeedbackErrorCode.InvalidInput, 'scale', 'expected integer min and max at least 2 points apart');
  const respondents = input.respondents;
  assertArray(respondents, 'respondents', FeedbackErrorCode.InvalidInput);
  const weighted = input.weighted ?? true;
  const resamples = input.resamples ?? 100;
  if (!Number.isInteger(resamples) || resamples < 0 || resamples > 2000) fail(FeedbackErrorCode.InvalidInput, 'resamples', 'expected an integer from 0 to 2000');

  let drivers: string[];
  if (input.drivers) {
    drivers = [...input.drivers];
    const seen = new Set<string>();
    drivers.forEach((d, i) => {
      if (typeof d !== 'string' || d === '' || seen.has(d)) fail(FeedbackErrorCode.InvalidInput, `drivers[${i}]`, 'expected distinct, non-empty driver names');
      seen.add(d);
    });
  } else {
    const found = new Set<string>();
    for (const r of respondents) for (const key of Object.keys(r.items ?? {})) found.add(key);
    drivers = [...found];
  }
  const k = drivers.length;
  if (k === 0) fail(FeedbackErrorCode.InvalidInput, 'drivers', 'no drivers to analyse');
  const binary = input.outcomeType ? input.outcomeType === 'binary' : respondents.length > 0 && respondents.every((r) => typeof r.outcome === 'boolean' || r.outcome === null || r.outcome === undefined);

  // Complete rows: x (k), y, w.
  const x = new Float64Array(respondents.length * k);
  const y = new Float64Array(respondents.length);
  const w = new Float64Array(respondents.length);
  const ids: string[] = [];
  const appears = new Uint8Array(k);
  const minV = new Float64Array(k + 1).fill(Infinity);
  const maxV = new Float64Array(k + 1).fill(-Infinity);
  let n = 0;
  for (let i = 0; i < respondents.length; i++) {
    const r = respondents[i]!;
    let complete = true;
    for (let j = 0; j < k; j++) {
      const v = r.items[drivers[j]!];
      if (v === null || v === undefined) {
        complete = false;
        continue;
      }
      appears[j] = 1;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) assertIntegerInRange(v, lo, hi, `respondents[${i}].items.${drivers[j]}`, FeedbackErrorCode.ScoreOutOfRange);
      x[n * k + j] = v;
    }
    let out = r.outcome;
    if (out === null || out === undefined) complete = false;
    else {
      if (typeof out === 'boolean') out = out ? 1 : 0;
      if (typeof out !== 'number' || !Number.isFinite(out)) fail(FeedbackErrorCode.InvalidInput, `respondents[${i}].outcome`, 'expected a finite number or true/false');
      if (binary && out !== 0 && out !== 1) fail(FeedbackErrorCode.InvalidInput, `respondents[${i}].outcome`, 'a yes/no outcome is true/false (or 1/0)');
      y[n] = out;
    }
    const weight = weighted ? (r.weight ?? 1) : 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) fail(FeedbackErrorCode.InvalidInput, `respondents[${i}].weight`, 'expected a finite weight above 0');
    if (!complete) continue;
    w[n] = weight;
    ids.push(typeof r.id === 'string' ? r.id : String(i));
    for (let j = 0; j < k; j++) {
      minV[j] = Math.min(minV[j]!, x[n * k + j]!);
      maxV[j] = Math.max(maxV[j]!, x[n * k + j]!);
    }
    minV[k] = Math.min(minV[k]!, y[n]!);
    maxV[k] = Math.max(maxV[k]!, y[n]!);
    n++;
  }
  appears.forEach((a, j) => {
    if (!a) fail(FeedbackErrorCode.UnknownDriver, `drivers[${j}]`, `no respondent has a value for ${drivers[j]}`);
  });
  const dropped = respondents.length - n;
  const required = minimumSample(k);
  if (n < required) fail(FeedbackErrorCode.InsufficientSample, 'respondents', `${n} complete respondents, need at least max(30, 10 × ${k}) = ${required}`, { n, dropped, required });
  for (let j = 0; j <= k; j++) {
    if (minV[j] === maxV[j]) fail(FeedbackErrorCode.NoVariance, j === k ? 'outcome' : `drivers[${j}]`, `${j === k ? 'the outcome' : drivers[j]} has the same value for every respondent`);
  }

  // Moments per block.
  const p = k + 1;
  const seed = input.seed ?? 1;
  const G = Math.max(1, Math.min(input.blocks ?? 200, n));
  const blocks = Array.from({ length: G }, () => emptyMoments(p, k));
  const v = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const b = blocks[fnv1a(ids[i]!, seed) % G]!;
    const wi = w[i]!;
    for (let j = 0; j < k; j++) v[j] = x[i * k + j]!;
    v[k] = y[i]!;
    b.w += wi;
    for (let a = 0; a < p; a++) {
      const wa = wi * v[a]!;
      b.s1[a]! += wa;
      for (let c = a; c < p; c++) b.s2[a * p + c]! += wa * v[c]!;
    }
    for (let j = 0; j < k; j++) if (v[j]! >= hi - 1) b.top[j]! += wi;
  }
  const total = emptyMoments(p, k);
  for (const b of blocks) addInto(total, b);
  const sampled = method === 'shapley' && k > MAX_SHAPLEY_DRIVERS;
  const permutations = input.permutations ?? 3000;
  const random = prng(seed ^ 0x9e3779b9);
  const importanceOf = (corr: SquareMatrix, perms: number): { contributions: number[]; se: number[] | null; rSquared: number } => {
    if (method === 'relative-weights') {
      const c = relativeWeights(corr, k);
      return { contributions: c, se: null, rSquared: Math.min(1, c.reduce((a, b) => a + b, 0)) };
    }
    if (!sampled) {
      const r2 = allSubsetRSquared(corr, k);
      return { contributions: shapleyFromSubsets(r2, k), se: null, rSquared: r2[(1 << k) - 1]! };
    }
    const s = sampledShapley(corr, k, perms, random);
    return { contributions: s.phi, se: s.se, rSquared: Math.min(1, s.phi.reduce((a, b) => a + b, 0)) };
  };

  const full = statsOf(total, p);
  if (!full) return fail(FeedbackErrorCode.NoVariance, 'respondents', 'the weighted data have no variance');
  const point = importanceOf(full.corr, permutations);
  const rSquared = point.rSquared;
  const shares = point.contributions.map((c) => (rSquared > 0 ? c / rSquared : 0));
  const means = Array.from(full.means.subarray(0, k));
  const grand = means.reduce((a, b) => a + b, 0) / k;
  const betas = standardizedBetas(full.corr, k, rSquared, n - k - 1);

  // Bootstrap over blocks.
  const bootShares: number[][] = Array.from({ length: k }, () => []);
  const bootMeans: number[][] = Array.from({ length: k }, () => []);
  const bootPerf: number[][] = Array.from({ length: k }, () => []);
  const draw = prng(seed);
  for (let b = 0; b < resamples; b++) {
    const m = emptyMoments(p, k);
    for (let g = 0; g < G; g++) addInto(m, blocks[Math.floor(draw() * G)]!);
    const st = statsOf(m, p);
    if (!st) continue;
    const imp = importanceOf(st.corr, Math.max(200, Math.floor(permutations / 10)));
    const bm = Array.from(st.means.subarray(0, k));
    const bg = bm.reduce((a, c) => a + c, 0) / k;
    for (let j = 0; j < k; j++) {
      bootShares[j]!.push(imp.rSquared > 0 ? imp.contributions[j]! / imp.rSquared : 0);
      bootMeans[j]!.push(bm[j]!);
      bootPerf[j]!.push(bm[j]! - bg);
    }
  }
  const interval = (xs: number[]) => {
    if (xs.length < 2) return null;
    const s = [...xs].sort((a, c) => a - c);
    return { low: percentile(s, 0.025), high: percentile(s, 0.975) };
  };

  let logistic: DriverAnalysis['logistic'] = null;
  let logit: ReturnType<typeof logisticRegression> | null = null;
  if (binary) {
    logit = logisticRegression(x, y, w, n, k);
    logistic = { intercept: logit.intercept, mcFaddenR2: logit.mcFaddenR2, iterations: logit.iterations, converged: logit.converged };
  }

  const threshold = 1 / k;
  const results: AnalysedDriver[] = drivers.map((driver, j) => {
    const impI = interval(bootShares[j]!);
    const perfI = interval(bootPerf[j]!);
    const imp = impI ? (impI.low > threshold ? 'high' : impI.high < threshold ? 'low' : 'unclear') : shares[j]! >= threshold - 1e-12 ? 'high' : 'low';
    const perf = perfI ? (perfI.low > 0 ? 'high' : perfI.high < 0 ? 'low' : 'unclear') : means[j]! >= grand - 1e-12 ? 'high' : 'low';
    const quadrant: AnalysisQuadrant =
      imp === 'unclear' || perf === 'unclear' ? 'unclear' : imp === 'high' ? (perf === 'high' ? 'maintain' : 'fix-first') : perf === 'high' ? 'monitor' : 'lower-priority';
    return {
      driver,
      importance: shares[j]!,
      importanceInterval: impI,
      samplingError: point.se && rSquared > 0 ? point.se[j]! / rSquared : null,
      rSquaredContribution: point.contributions[j]!,
      beta: betas?.beta[j] ?? null,
      mean: means[j]!,
      meanInterval: interval(bootMeans[j]!),
      topTwoBox: (total.top[j]! / total.w) * 100,
      quadrant,
      logistic: logit ? { coefficient: logit.coefficients[j]!, oddsRatio: Math.exp(logit.coefficients[j]!), pValue: logit.pValues[j]! } : null,
    };
  });
  const ORDER: AnalysisQuadrant[] = ['fix-first', 'maintain', 'monitor', 'lower-priority', 'unclear'];
  results.sort((a, b) => ORDER.indexOf(a.quadrant) - ORDER.indexOf(b.quadrant) || b.importance - a.importance);
  const priorityMatrix = { 'fix-first': [], maintain: [], monitor: [], 'lower-priority': [], unclear: [] } as Record<AnalysisQuadrant, string[]>;
  for (const r of results) priorityMatrix[r.quadrant].push(r.driver);
  const rank = k;
  return {
    method,
    computation: method === 'relative-weights' ? 'relative-weights' : sampled ? 'sampled' : 'exact',
    outcomeType: binary ? 'binary' : 'continuous',
    n,
    dropped,
    missingRule: MISSING_RULE,
    weighted,
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / (n - rank - 1),
    resamples,
    drivers: results,
    priorityMatrix,
    logistic,
  };
}
