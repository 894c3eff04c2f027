// Test fixtures shared by the scorecard, red-flag and health specs (not shipped: tools/build.mjs skips __fixtures__).
import { SCORECARD_MEASURES, type AccountMeasures, type ScorecardConfig, type ScorecardMeasure } from '../scorecard';

export const targets: ScorecardConfig['targets'] = {
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

// Every measure exactly at target unless overridden.
export const atTarget: Record<ScorecardMeasure, number> = Object.fromEntries(SCORECARD_MEASURES.map((m) => [m, targets[m]!.target])) as Record<
  ScorecardMeasure,
  number
>;

export function makeAccount(overrides: Partial<AccountMeasures> & { measures?: AccountMeasures['measures'] } = {}): AccountMeasures {
  return { accountId: 'acc-1', tier: 2, ...overrides, measures: { ...atTarget, ...overrides.measures } };
}

