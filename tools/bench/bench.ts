/**
 * Shared shape of every benchmark in `npm run bench`. A benchmark measures the
 * platform's figure and a raw baseline doing the same work in the same run, so the
 * ratio survives a slower or busier machine.
 */
export interface Figure {
  /** e.g. 'req/s', 'ops/s', 'ms' */
  unit: string;
  value: number;
  /** extra figures worth printing (p50, p99, ...) */
  detail?: Record<string, number | string>;
}

export interface BenchResult {
  name: string;
  platform: Figure;
  baseline: Figure;
  /**
   * platform / baseline for throughputs (higher is better), baseline / platform for
   * durations, so a ratio of 1 always means "as fast as the baseline".
   */
  ratio: number;
  target?: string;
  notes?: string;
}

export type Bench = () => Promise<BenchResult[]>;

/** Ratio where 1 = as fast as the baseline, for either kind of unit. */
export function ratioOf(platform: Figure, baseline: Figure, higherIsBetter: boolean): number {
  const r = higherIsBetter ? platform.value / baseline.value : baseline.value / platform.value;
  return Math.round(r * 1000) / 1000;
}

/** Milliseconds spent in fn, measured with the monotonic clock. */
export async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function formatResult(r: BenchResult): string {
  const fmt = (f: Figure) => {
    const detail = f.detail ? ' (' + Object.entries(f.detail).map(([k, v]) => `${k} ${v}`).join(', ') + ')' : '';
    return `${f.value.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${f.unit}${detail}`;
  };
  return [
    `${r.name}`,
    `  platform: ${fmt(r.platform)}`,
    `  baseline: ${fmt(r.baseline)}`,
    `  ratio:    ${r.ratio}${r.target ? `   (target ${r.target})` : ''}`,
    ...(r.notes ? [`  notes:    ${r.notes}`] : []),
  ].join('\n');
}

/** Seeded PRNG (mulberry32): every bench generates the same data on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
