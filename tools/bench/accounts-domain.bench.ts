// Accounts-domain benchmark: Pareto tiering of 100,000 accounts (validate, sort by revenue
// then id, one cumulative pass, flags, overrides, summary) against a raw baseline that sorts
// a Float64Array of the positive revenues and walks it once to find the two cut-offs.
import { computeTiers, type TieringAccount } from '@steward/accounts-domain';
import { ratioOf, timeIt, type BenchResult, type Figure, seededRandom } from './bench';

const N = 100_000;
const REPS = 7;
const NOW = '2026-03-01T00:00:00Z';

const rng = seededRandom;

// A Pareto-shaped revenue book (α ≈ 1.16, the "80/20" exponent) in minor units, with 5% zero
// and 2% negative (credit-note) accounts, 3% strategic, 5% high-potential, 1% overrides (half expired).
function tenant(): TieringAccount[] {
  const next = rng(2026);
  return Array.from({ length: N }, (_, i): TieringAccount => {
    const u = next();
    const revenue = u < 0.05 ? 0 : u < 0.07 ? -Math.floor(next() * 500_000) : Math.floor(100_000 * (1 - next()) ** (-1 / 1.16));
    const o = next();
    const override = o < 0.01 ? { tier: (1 + (i % 3)) as 1 | 2 | 3, reason: 'bench', expiresAt: o < 0.005 ? '2025-12-31T00:00:00Z' : '2026-12-31T00:00:00Z' } : null;
    return { id: `acc-${String((i * 7919) % N).padStart(6, '0')}`, revenue, strategic: next() < 0.03, highPotential: next() < 0.05, override };
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The same cut-offs with floats and no ids, flags, overrides, validation or output objects.
function rawCutoffs(revenues: Float64Array): { tier1: number; tier1Min: number; tier2Min: number } {
  let n = 0;
  const positive = new Float64Array(revenues.length);
  for (let i = 0; i < revenues.length; i++) if (revenues[i]! > 0) positive[n++] = revenues[i]!;
  const sorted = positive.subarray(0, n).sort();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  let cum = 0;
  let tier1 = 0;
  let tier1Min = 0;
  let tier2Min = 0;
  let tier2Start = 0;
  for (let k = n - 1; k >= 0; k--) {
    cum += sorted[k]!;
    if (tier1 === 0) {
      if (cum >= 0.8 * total) [tier1, tier1Min, tier2Start] = [n - k, sorted[k]!, cum];
    } else if (cum - tier2Start >= 0.8 * (total - tier2Start)) {
      tier2Min = sorted[k]!;
      break;
    }
  }
  return { tier1, tier1Min, tier2Min };
}

async function tiering(): Promise<BenchResult> {
  const accounts = tenant();
  const revenues = Float64Array.from(accounts, (a) => a.revenue);
  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  let result = computeTiers(accounts, { now: NOW });
  let raw = rawCutoffs(revenues);
  for (let rep = 0; rep < REPS; rep++) {
    platformMs.push(await timeIt(() => (result = computeTiers(accounts, { now: NOW }))));
    baselineMs.push(await timeIt(() => (raw = rawCutoffs(revenues))));
  }
  // Both sides must agree on where the revenue cut-offs fall, or the figure means nothing.
  // (Tier 1 by count: neither flags nor overrides change a computed Tier 1; Tier 2 by its cut-off revenue.)
  const tier1 = result.assignments.filter((a) => a.computedTier === 1).length;
  const { tier1MinRevenue, tier2MinRevenue } = result.summary.cutoffs;
  if (tier1 !== raw.tier1 || tier1MinRevenue !== raw.tier1Min || tier2MinRevenue !== raw.tier2Min) {
    throw new Error(`tiering disagrees with the baseline: ${tier1}, ${tier1MinRevenue}, ${tier2MinRevenue} vs ${raw.tier1}, ${raw.tier1Min}, ${raw.tier2Min}`);
  }
  const [t1, t2, t3] = result.summary.tiers;
  const platform: Figure = {
    unit: 'ms',
    value: Math.round(median(platformMs) * 100) / 100,
    detail: { 'max ms': Math.max(...platformMs).toFixed(2), 'tier 1': t1.accounts, 'tier 2': t2.accounts, 'tier 3': t3.accounts, 'tier 1 share': t1.share.toFixed(3) },
  };
  const baseline: Figure = { unit: 'ms', value: Math.round(median(baselineMs) * 100) / 100 };
  return {
    name: 'accounts-domain: Pareto tiering of 100,000 accounts',
    platform,
    baseline,
    ratio: ratioOf(platform, baseline, false),
    target: 'platform < 1,000 ms',
    notes: `median of ${REPS}; platform validates every account (ids unique, safe-integer revenue, ISO override expiry), sorts by revenue then id with exact threshold arithmetic, applies flags and overrides and builds 100,000 assignments plus the summary; baseline sorts a Float64Array of positive revenues and walks it once with float compares`,
  };
}

export default async function (): Promise<BenchResult[]> {
  return [await tiering()];
}
