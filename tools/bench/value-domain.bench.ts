// Value-domain benchmark: balanced scorecard + health score + ranking over 100,000 accounts,
// against a raw baseline doing the same weighted sums with float loops over typed arrays.
import {
  healthScore,
  prepareHealthModel,
  prepareScorecard,
  rankAccounts,
  SCORECARD_MEASURES,
  scoreAccounts,
  type AccountMeasures,
  type HealthInput,
  type ScorecardConfig,
} from '@steward/value-domain';
import { ratioOf, timeIt, type BenchResult, seededRandom } from './bench';

const N = 100_000;
const REPS = 3;
const M = SCORECARD_MEASURES.length;

const targets: ScorecardConfig['targets'] = {
  revenue12m: { floor: 0, target: 10_000_000 },
  grossMargin: { floor: 0, target: 3_000_000 },
  revenueGrowth12m: { floor: -0.1, target: 0.2 },
  valueAddedServiceShare: { floor: 0, target: 0.3 },
  shareOfWallet: { floor: 0.1, target: 0.5 },
  engagement: { floor: 2, target: 4 },
  impact: { floor: 2, target: 4 },
  teamMorale: { floor: 2, target: 4 },
  openQuotesValue: { floor: 0, target: 5_000_000 },
};
const weights = { revenue12m: 3, grossMargin: 2, revenueGrowth12m: 2, valueAddedServiceShare: 1, shareOfWallet: 1, engagement: 2, impact: 1, teamMorale: 1, openQuotesValue: 1 };

const rng = seededRandom;

function makeData() {
  const r = rng(42);
  const raw: Record<string, [number, number, boolean]> = {
    revenue12m: [0, 20_000_000, true],
    grossMargin: [-500_000, 5_000_000, true],
    revenueGrowth12m: [-0.5, 0.5, false],
    valueAddedServiceShare: [0, 1, false],
    shareOfWallet: [0, 1, false],
    engagement: [1, 5, false],
    impact: [1, 5, false],
    teamMorale: [1, 5, false],
    openQuotesValue: [0, 8_000_000, true],
  };
  const accounts: AccountMeasures[] = [];
  const health: Omit<HealthInput, 'scorecardTotal'>[] = [];
  for (let i = 0; i < N; i++) {
    const measures: AccountMeasures['measures'] = {};
    for (const m of SCORECARD_MEASURES) {
      if (r() < 0.03) continue; // ~3 % of measures not collected
      const [lo, hi, money] = raw[m];
      const v = lo + r() * (hi - lo);
      measures[m] = money ? Math.round(v) : v;
    }
    accounts.push({ accountId: `acc-${String(i).padStart(6, '0')}`, tier: ((i % 3) + 1) as 1 | 2 | 3, measures });
    health.push({
      nps: Math.round(r() * 200 - 100),
      support: { slaBreachRate: r() * 0.3, openCriticalTickets: Math.floor(r() * 4), csat: 1 + r() * 4 },
      usage: { activeSeatShare: r(), trend: r() - 0.5 },
      previousScore: r() * 100,
    });
  }
  return { accounts, health };
}

export default async function (): Promise<BenchResult[]> {
  const { accounts, health } = makeData();
  const prepared = prepareScorecard({ targets, weights });
  const model = prepareHealthModel();

  let platformTotals: (number | null)[] = [];
  const platform = async () => {
    const cards = scoreAccounts(accounts, prepared);
    const scores = cards.map((c, i) => healthScore({ ...health[i], scorecardTotal: c.total }, model).score);
    const ranking = rankAccounts(cards);
    platformTotals = cards.map((c) => c.total);
    return [scores.length, ranking.length];
  };

  // Baseline: the same data as typed arrays (NaN = missing), same formulas, no validation or objects.
  const values = new Float64Array(N * M);
  accounts.forEach((a, i) => SCORECARD_MEASURES.forEach((m, j) => (values[i * M + j] = a.measures[m] ?? Number.NaN)));
  const hv = new Float64Array(N * 6);
  health.forEach((h, i) => {
    hv.set([h.nps!, h.support.slaBreachRate!, h.support.openCriticalTickets!, h.support.csat!, h.usage.activeSeatShare!, h.usage.trend!], i * 6);
  });
  const floor = Float64Array.from(SCORECARD_MEASURES, (m) => targets[m]!.floor);
  const span = Float64Array.from(SCORECARD_MEASURES, (m) => targets[m]!.target - targets[m]!.floor);
  const w = Float64Array.from(SCORECARD_MEASURES, (m) => weights[m]);
  const hw = [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1];
  const ids = accounts.map((a) => a.accountId);
  const totals = new Float64Array(N);
  const healthOut = new Float64Array(N);
  const baseline = async () => {
    for (let i = 0; i < N; i++) {
      let sum = 0;
      let present = 0;
      for (let j = 0; j < M; j++) {
        const v = values[i * M + j];
        if (v !== v) continue; // NaN: missing
        let s = ((v - floor[j]) / span[j]) * 100;
        s = s < 0 ? 0 : s > 100 ? 100 : s;
        sum += w[j] * s;
        present += w[j];
      }
      const total = present > 0 ? sum / present : Number.NaN;
      totals[i] = total;
      const o = i * 6;
      const trend = hv[o + 5] < -1 ? -1 : hv[o + 5] > 1 ? 1 : hv[o + 5];
      healthOut[i] =
        hw[0] * total +
        hw[1] * ((hv[o] + 100) / 2) +
        hw[2] * (1 - hv[o + 1]) * 100 +
        hw[3] * Math.max(0, 100 - 25 * hv[o + 2]) +
        hw[4] * ((hv[o + 3] - 1) / 4) * 100 +
        hw[5] * hv[o + 4] * 100 +
        hw[6] * (50 + 50 * trend);
    }
    const order = new Uint32Array(N);
    for (let i = 0; i < N; i++) order[i] = i;
    order.sort((a, b) => totals[b] - totals[a] || (ids[a] < ids[b] ? -1 : 1));
    return order[0];
  };

  const platformMs: number[] = [];
  const baselineMs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    platformMs.push(await timeIt(platform));
    baselineMs.push(await timeIt(baseline));
  }
  // Both sides must have computed the same totals, or the comparison means nothing.
  for (let i = 0; i < N; i += 997) {
    const p = platformTotals[i];
    if (p !== null && Math.abs(p - totals[i]) > 1e-5) throw new Error(`bench mismatch at ${i}: ${p} vs ${totals[i]}`);
  }
  const best = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const p = { unit: 'accounts/s', value: Math.round(N / (best(platformMs) / 1000)), detail: { 'best ms': best(platformMs).toFixed(1), 'median ms': median(platformMs).toFixed(1) } };
  const b = { unit: 'accounts/s', value: Math.round(N / (best(baselineMs) / 1000)), detail: { 'best ms': best(baselineMs).toFixed(1), 'median ms': median(baselineMs).toFixed(1) } };
  return [
    {
      name: `value-domain: scorecard + health + ranking, ${N.toLocaleString('en-US')} accounts`,
      platform: p,
      baseline: b,
      ratio: ratioOf(p, b, true),
      notes: `best of ${REPS}; platform validates every input, builds plain-data results (scores, missing, reasons, trend) and ranks; baseline is float loops over typed arrays`,
    },
  ];
}
