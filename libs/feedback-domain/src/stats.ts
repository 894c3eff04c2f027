import { fail } from '@steward/domain-kernel';
import { FeedbackErrorCode } from './errors';

// Small, dependency-free numerics for key-driver analysis: distribution tails via the
// regularized incomplete beta function, and linear algebra on k×k correlation matrices
// (k ≤ a few dozen), where clarity beats BLAS.

// Lanczos approximation (g = 7, n = 9): ~15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos). */
export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    fail(FeedbackErrorCode.InvalidInput, 'x', `logGamma needs a finite x > 0, got ${x}`);
  }
  // Reflection keeps the series accurate below 1/2 (Γ(1/2) is needed by the t tail).
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const TINY = 1e-300;
const notTiny = (v: number): number => (Math.abs(v) < TINY ? TINY : v);

// Continued fraction for I_x(a, b), modified Lentz (Numerical Recipes §6.4); converges
// fast when x < (a + 1) / (a + b + 2), which the caller guarantees by symmetry.
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 / notTiny(1 - (qab * x) / qap);
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 / notTiny(1 + aa * d);
    c = notTiny(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 / notTiny(1 + aa * d);
    c = notTiny(1 + aa / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for
 * 0 ≤ x ≤ 1 and a, b > 0. Accurate to ~1e-13.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) fail(FeedbackErrorCode.InvalidInput, 'x', `expected 0 ≤ x ≤ 1, got ${x}`);
  if (!(a > 0) || !Number.isFinite(a)) fail(FeedbackErrorCode.InvalidInput, 'a', `expected a finite a > 0, got ${a}`);
  if (!(b > 0) || !Number.isFinite(b)) fail(FeedbackErrorCode.InvalidInput, 'b', `expected a finite b > 0, got ${b}`);
  if (x === 0 || x === 1) return x;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  // I_x(a, b) = 1 − I_{1−x}(b, a): evaluate on the side where the fraction converges.
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function requireDf(df: number, field: string): void {
  if (!(df > 0) || !Number.isFinite(df)) fail(FeedbackErrorCode.InvalidInput, field, `expected finite degrees of freedom > 0, got ${df}`);
}

/**
 * Upper tail P(F ≥ f) of the F distribution with (d1, d2) degrees of freedom — the
 * p-value of an overall regression F-test. Uses P(F ≥ f) = I_{d2/(d2 + d1·f)}(d2/2, d1/2).
 */
export function fDistributionUpperTail(f: number, d1: number, d2: number): number {
  requireDf(d1, 'd1');
  requireDf(d2, 'd2');
  if (Number.isNaN(f)) fail(FeedbackErrorCode.InvalidInput, 'f', 'expected a number, got NaN');
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/**
 * Two-sided p-value P(|T| ≥ |t|) of Student's t with `df` degrees of freedom:
 * I_{df/(df + t²)}(df/2, 1/2).
 */
export function studentTTwoSided(t: number, df: number): number {
  requireDf(df, 'df');
  if (Number.isNaN(t)) fail(FeedbackErrorCode.InvalidInput, 't', 'expected a number, got NaN');
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

// ---- linear algebra on small symmetric matrices (internal: inputs are built by this library) ----

/** A dense square matrix stored row-major. */
export interface SquareMatrix {
  readonly size: number;
  readonly data: Float64Array;
}

// Below this residual variance (correlation scale, where the diagonal is 1) a predictor
// is treated as a linear combination of the ones before it.
export const COLLINEARITY_TOLERANCE = 1e-10;

/**
 * R² of regressing variable `y` on the variables `subset` of a correlation matrix:
 * R² = r' R⁻¹ r computed by a Cholesky factorisation that skips any predictor whose
 * residual variance given the earlier ones is ~0 (exact collinearity). Skipping is the
 * Gram–Schmidt projection, so R² stays the true projection R² and `rank` counts the
 * predictors kept.
 * @internal
 */
export function subsetRSquared(corr: SquareMatrix, subset: readonly number[], y: number): { rSquared: number; rank: number } {
  const s = subset.length;
  const p = corr.size;
  const R = corr.data;
  const L = new Float64Array(s * s);
  const z = new Float64Array(s);
  const kept = new Uint8Array(s);
  let rank = 0;
  let rSquared = 0;
  for (let j = 0; j < s; j++) {
    const vj = subset[j]!;
    let d = R[vj * p + vj]!;
    let zy = R[vj * p + y]!;
    for (let m = 0; m < j; m++) {
      const ljm = L[j * s + m]!;
      d -= ljm * ljm;
      zy -= ljm * z[m]!;
    }
    if (d <= COLLINEARITY_TOLERANCE) continue;
    const ljj = Math.sqrt(d);
    kept[j] = 1;
    rank++;
    L[j * s + j] = ljj;
    z[j] = zy / ljj;
    rSquared += z[j]! * z[j]!;
    for (let i = j + 1; i < s; i++) {
      const vi = subset[i]!;
      let sum = R[vi * p + vj]!;
      for (let m = 0; m < j; m++) sum -= L[i * s + m]! * L[j * s + m]!;
      L[i * s + j] = sum / ljj;
    }
  }
  // Rounding can push a perfect fit a hair above 1.
  return { rSquared: Math.min(1, rSquared), rank };
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky, or null when it is
 * (numerically) singular.
 * @internal
 */
export function invertSpd(m: SquareMatrix): SquareMatrix | null {
  const n = m.size;
  const A = m.data;
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! * L[j * n + k]!;
    if (d <= COLLINEARITY_TOLERANCE) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let sum = A[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = sum / ljj;
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= L[i * n + k]! * col[k]!;
      col[i] = sum / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = col[i]!;
      for (let k = i + 1; k < n; k++) sum -= L[k * n + i]! * col[k]!;
      col[i] = sum / L[i * n + i]!;
    }
    for (let i = 0; i < n; i++) inv[i * n + c] = col[i]!;
  }
  return { size: n, data: inv };
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and eigenvectors as the columns of `vectors` (row-major).
 * @internal
 */
export function symmetricEigen(m: SquareMatrix): { values: Float64Array; vectors: SquareMatrix } {
  const n = m.size;
  const A = Float64Array.from(m.data);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! * A[p * n + q]!;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        // Rotation angle that zeroes A[p][q]: t = tan θ, the smaller root of t² + 2θt − 1 = 0.
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i]!;
  return { values, vectors: { size: n, data: V } };
}
