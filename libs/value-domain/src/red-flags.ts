import { assertKnownKeys, assertObject, assertRange, fail, TIERS, type Tier } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import type { AccountScorecard, PreparedScorecard, ScorecardMeasure } from './scorecard';

/** What the account team should do about a red flag (DOMAIN.md §5). */
export type SuggestedAction = 'deep-dive-interview' | 'team-change' | 'recovery-plan';

/** Severity rises with the account's tier: Tier 1 flags are high (critical for a steep fall). */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export type RedFlagRule = 'measure-below-floor' | 'total-dropped' | 'low-engagement' | 'low-morale' | 'negative-growth';

export interface RedFlag {
  rule: RedFlagRule;
  measure?: ScorecardMeasure;
  severity: Severity;
  reason: string;
  suggestedAction: SuggestedAction;
}

/** Thresholds of the red-flag rules. */
export interface RedFlagOptions {
  /** A Tier 1 total falling by more than this many points is flagged; default 10. Twice this is critical. */
  totalDropPoints: number;
  /** Engagement (1–5) under this is flagged; default 4 — engaged customers score ≥ 4 (DOMAIN.md). */
  engagementMin: number;
  /** Account-team morale (1–5) under this is flagged; default 3. */
  moraleMin: number;
}

export const DEFAULT_RED_FLAG_OPTIONS: RedFlagOptions = { totalDropPoints: 10, engagementMin: 4, moraleMin: 3 };

// People problems get a conversation or a new team; money problems get a recovery plan.
const ACTION_BY_MEASURE: Record<ScorecardMeasure, SuggestedAction> = {
  revenue12m: 'recovery-plan',
  grossMargin: 'recovery-plan',
  revenueGrowth12m: 'recovery-plan',
  valueAddedServiceShare: 'recovery-plan',
  shareOfWallet: 'deep-dive-interview',
  engagement: 'deep-dive-interview',
  impact: 'deep-dive-interview',
  teamMorale: 'team-change',
  openQuotesValue: 'recovery-plan',
};

const BY_TIER: Record<Tier, Severity> = { 1: 'high', 2: 'medium', 3: 'low' };

function resolveOptions(options: Partial<RedFlagOptions> | undefined): RedFlagOptions {
  if (options === undefined) return DEFAULT_RED_FLAG_OPTIONS;
  assertObject(options, 'options', CHECK_CODES);
  assertKnownKeys(options, ['totalDropPoints', 'engagementMin', 'moraleMin'], 'options', CHECK_CODES);
  const o = { ...DEFAULT_RED_FLAG_OPTIONS, ...options };
  assertRange(o.totalDropPoints, 0, 100, 'options.totalDropPoints', CHECK_CODES);
  assertRange(o.engagementMin, 1, 5, 'options.engagementMin', CHECK_CODES);
  assertRange(o.moraleMin, 1, 5, 'options.moraleMin', CHECK_CODES);
  return o;
}

/**
 * Red flags for one scorecard, each with its reason and a suggested action:
 * a measure past its floor; a Tier 1 total that fell by more than `totalDropPoints` since
 * `previousTotal`; engagement under 4 of 5; low team morale; negative growth on Tier 1.
 */
export function redFlags(
  card: AccountScorecard,
  prepared: PreparedScorecard,
  previousTotal?: number | null,
  options?: Partial<RedFlagOptions>,
): RedFlag[] {
  const o = resolveOptions(options);
  assertObject(card, 'card', CHECK_CODES);
  if (previousTotal !== undefined && previousTotal !== null) assertRange(previousTotal, 0, 100, 'previousTotal', CHECK_CODES);
  if (!TIERS.includes(card.tier)) fail(Code.OutOfRange, 'card.tier', 'must be 1, 2 or 3');
  const tierSeverity = BY_TIER[card.tier];
  const flags: RedFlag[] = [];

  prepared.measures.forEach((m, i) => {
    const v = card.values[m];
    // Past the floor on the bad side: (v − floor) has the opposite sign of (target − floor).
    if (v !== undefined && (v - prepared.floor[i]) * prepared.span[i] < 0) {
      flags.push({
        rule: 'measure-below-floor',
        measure: m,
        severity: tierSeverity,
        reason: `${m} is ${v}, past its floor of ${prepared.floor[i]}`,
        suggestedAction: ACTION_BY_MEASURE[m],
      });
    }
  });

  if (card.tier === 1 && previousTotal !== undefined && previousTotal !== null && card.total !== null) {
    const drop = previousTotal - card.total;
    if (drop > o.totalDropPoints) {
      flags.push({
        rule: 'total-dropped',
        severity: drop > 2 * o.totalDropPoints ? 'critical' : 'high',
        reason: `Tier 1 scorecard total fell ${drop.toFixed(1)} points (${previousTotal.toFixed(1)} → ${card.total.toFixed(1)})`,
        suggestedAction: 'recovery-plan',
      });
    }
  }

  const engagement = card.values.engagement;
  if (engagement !== undefined && engagement < o.engagementMin) {
    flags.push({
      rule: 'low-engagement',
      measure: 'engagement',
      severity: tierSeverity,
      reason: `engagement ${engagement} of 5 is under ${o.engagementMin}: not an engaged customer`,
      suggestedAction: 'deep-dive-interview',
    });
  }

  const morale = card.values.teamMorale;
  if (morale !== undefined && morale < o.moraleMin) {
    flags.push({
      rule: 'low-morale',
      measure: 'teamMorale',
      severity: tierSeverity,
      reason: `account-team morale ${morale} of 5 is under ${o.moraleMin}`,
      suggestedAction: 'team-change',
    });
  }

  const growth = card.values.revenueGrowth12m;
  if (card.tier === 1 && growth !== undefined && growth < 0) {
    flags.push({
      rule: 'negative-growth',
      measure: 'revenueGrowth12m',
      severity: 'high',
      reason: `Tier 1 revenue shrank ${(growth * -100).toFixed(1)} % over 12 months`,
      suggestedAction: 'recovery-plan',
    });
  }
  return flags;
}
