// Benchmarks for @steward/feedback-domain:
// (a) merging stored rollups that cover 10 million responses, against adding the same
//     counts as plain Int32Arrays in a for-loop;
// (b) exact Shapley key-driver analysis on 100,000 respondents × 12 drivers, against one
//     plain OLS fit (correlation matrix + one Cholesky solve) on pre-packed numbers.
import { keyDrivers, mergeAll, ROLLUP_KINDS, ROLLUP_LENGTH, type KeyDriverRespondent, type Rollup, type RollupKind } from '@steward/feedback-domain';
import { ratioOf, timeIt, type BenchResult, type Figure, seededRandom } from './bench';

const ROLLUPS = 10_000;
const RESPONSES_PER_ROLLUP = 1_000;
const MERGE_REPS = 25;
const RESPONDENTS = 100_000;
const DRIVERS = 12;
const FIT_REPS = 3;

const rng = seededRandom;

// `total` split at random into `slots` non-negative integers.
function partition(total: number, slots: number, next: () => number): number[] {
  const cuts = Array.from({ length: slots - 1 }, () => Math.floor(next() * (total + 1))).sort((a, b) => a - b);
  return [...cuts, total].map((c, i) => c - (i === 0 ? 0 : cuts[i - 1]!));
}

// A consistent rollup of `n` responses, shaped exactly as a service would store it.
function syntheticRollup(kind: RollupKind, n: number, next: () => number): Rollup {
  if (kind !== 'engagement') return { schema: 1, kind, n, counts: partition(n, ROLLUP_LENGTH[kind], next) };
  // Three items per level per respondent, then the four band counters.
  const counts = [0, 1, 2, 3].flatMap(() => partition(3 * n, 5, next));
  return { schema: 1, kind, n, counts: [...counts, ...partition(n, 4, next)] };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function rollupMerge(): Promise<BenchResult> {
  const next = rng(42);
  const byKind = new Map<RollupKind, Rollup[]>(ROLLUP_KINDS.map((k) => [k, []]));
  for (let i = 0; i < ROLLUPS; i++) {
    const kind = ROLLUP_KINDS[i % ROLLUP_KINDS.length]!;
    byKind.get(kind)!.push(syntheticRollup(kind, RESPONSES_PER_ROLLUP, next));
  }
  const raw = new Map([...byKind].map(([k, rs]) => [k, rs.map((r) => Int32Array.from(r.counts))]));
  const responses = ROLLUPS * RESPONSES_PER_ROLLUP;

  let merged: Rollup[] = [];
  let sums: Int32Array[] = [];
  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  for (let rep = 0; rep < MERGE_REPS; rep++) {
    platformMs.push(await timeIt(() => (merged = ROLLUP_KINDS.map((k) => mergeAll(k, byKind.get(k)! as Rollup<typeof k>[])))));
    baselineMs.push(
      await timeIt(() => {
        sums = ROLLUP_KINDS.map((k) => {
          const acc = new Int32Array(ROLLUP_LENGTH[k]);
          for (const counts of raw.get(k)!) for (let j = 0; j < acc.length; j++) acc[j]! += counts[j]!;
          return acc;
        });
      }),
    );
  }
  // Both sides must agree, or the figure means nothing.
  merged.forEach((m, i) => {
    if (m.counts.some((c, j) => c !== sums[i]![j])) throw new Error(`rollup merge disagrees with the baseline for ${m.kind}`);
  });
  const total = merged.reduce((s, m) => s + m.n, 0);
  if (total !== responses) throw new Error(`merged ${total} responses, expected ${responses}`);

  const perSecond = (ms: number) => Math.round(responses / (ms / 1000));
  const platform: Figure = {
    unit: 'responses/s',
    value: perSecond(median(platformMs)),
    detail: { 'median ms': median(platformMs).toFixed(2), rollups: ROLLUPS, 'bytes/rollup (engagement JSON)': JSON.stringify(byKind.get('engagement')![0]).length },
  };
  const baseline: Figure = { unit: 'responses/s', value: perSecond(median(baselineMs)), detail: { 'median ms': median(baselineMs).toFixed(2) } };
  return {
    name: 'feedback-domain: merge rollups of 10M responses (10,000 × 1,000, all five kinds)',
    platform,
    baseline,
    ratio: ratioOf(platform, baseline, true),
    notes: `median of ${MERGE_REPS}; platform validates every stored rollup (shape, non-negative integers, counts consistent with n) before adding; baseline adds unvalidated Int32Arrays`,
  };
}

function keyDriverData(): { respondents: KeyDriverRespondent[]; packed: Float64Array } {
  const next = rng(7);
  const names = Array.from({ length: DRIVERS }, (_, j) => `item${j}`);
  const p = DRIVERS + 1;
  const packed = new Float64Array(RESPONDENTS * p);
  const respondents: KeyDriverRespondent[] = [];
  for (let i = 0; i < RESPONDENTS; i++) {
    const latent = next();
    const items: Record<string, number> = {};
    let outcome = 0;
    for (let j = 0; j < DRIVERS; j++) {
      const v = Math.min(5, Math.max(1, Math.round(1 + 4 * (0.6 * latent + 0.4 * next()))));
      items[names[j]!] = v;
      packed[i * p + j] = v;
      outcome += ((j + 1) / DRIVERS) * v;
    }
    outcome = Math.min(10, Math.max(0, Math.round(outcome / 4 + 3 * (next() - 0.5))));
    packed[i * p + DRIVERS] = outcome;
    respondents.push({ items, outcome });
  }
  return { respondents, packed };
}

// One OLS fit the plain way: means, centred cross-products, correlations, Cholesky solve of R·β = r.
function plainOls(data: Float64Array, n: number, p: number): number {
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += data[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= n;
  const cross = new Float64Array(p * p);
  const c = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) c[j] = data[i * p + j]! - mean[j]!;
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) cross[a * p + b]! += c[a]! * c[b]!;
  }
  const k = p - 1;
  const R = new Float64Array(k * k);
  const r = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    r[a] = cross[a * p + k]! / Math.sqrt(cross[a * p + a]! * cross[k * p + k]!);
    for (let b = a; b < k; b++) R[a * k + b] = R[b * k + a] = cross[a * p + b]! / Math.sqrt(cross[a * p + a]! * cross[b * p + b]!);
  }
  const L = new Float64Array(k * k);
  const z = new Float64Array(k);
  let r2 = 0;
  for (let j = 0; j < k; j++) {
    let d = R[j * k + j]!;
    let zy = r[j]!;
    for (let m = 0; m < j; m++) {
      d -= L[j * k + m]! ** 2;
      zy -= L[j * k + m]! * z[m]!;
    }
    L[j * k + j] = Math.sqrt(d);
    z[j] = zy / L[j * k + j]!;
    r2 += z[j]! ** 2;
    for (let i = j + 1; i < k; i++) {
      let s = R[i * k + j]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      L[i * k + j] = s / L[j * k + j]!;
    }
  }
  return r2;
}

async function keyDriverAnalysis(): Promise<BenchResult> {
  const { respondents, packed } = keyDriverData();
  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  let platformR2 = 0;
  let baselineR2 = 0;
  for (let rep = 0; rep < FIT_REPS; rep++) {
    platformMs.push(await timeIt(() => (platformR2 = keyDrivers({ respondents, method: 'shapley' }).rSquared)));
    baselineMs.push(await timeIt(() => (baselineR2 = plainOls(packed, RESPONDENTS, DRIVERS + 1))));
  }
  if (Math.abs(platformR2 - baselineR2) > 1e-9) throw new Error(`R² disagrees: ${platformR2} vs ${baselineR2}`);
  const rwMs = await timeIt(() => keyDrivers({ respondents, method: 'relative-weights' }));
  const platform: Figure = {
    unit: 's',
    value: median(platformMs) / 1000,
    detail: { 'R²': platformR2.toFixed(4), subsets: 2 ** DRIVERS, 'relative-weights s': (rwMs / 1000).toFixed(3) },
  };
  const baseline: Figure = { unit: 's', value: median(baselineMs) / 1000 };
  return {
    name: 'feedback-domain: key-driver analysis (exact Shapley), 100,000 respondents × 12 drivers',
    platform,
    baseline,
    ratio: ratioOf(platform, baseline, false),
    notes: `median of ${FIT_REPS}; platform reads and validates respondent objects, drops incomplete ones, and fits all 4096 subsets plus betas, t- and F-tests; baseline is one OLS fit on a pre-packed Float64Array`,
  };
}

export default async function (): Promise<BenchResult[]> {
  return [await rollupMerge(), await keyDriverAnalysis()];
}
