import { assertKnownKeys, assertObject, assertRange, assertSafeInteger, fail } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { validateWeights } from './weights';

/** The components of the health model, each normalised to 0–100 before weighting. */
export type HealthComponent = 'scorecard' | 'nps' | 'slaBreach' | 'openCritical' | 'csat' | 'activeSeats' | 'usageTrend';
export const HEALTH_COMPONENTS: readonly HealthComponent[] = ['scorecard', 'nps', 'slaBreach', 'openCritical', 'csat', 'activeSeats', 'usageTrend'];

/** Signals for one account; `null` = not measured (its weight is redistributed, coverage reports it). */
export interface HealthInput {
  /** Balanced scorecard total, 0–100. */
  scorecardTotal: number | null;
  /** Account NPS, −100..100. */
  nps: number | null;
  support: {
    /** Share of tickets that breached SLA in the period, [0, 1]. */
    slaBreachRate: number | null;
    /** Critical tickets open now (count). */
    openCriticalTickets: number | null;
    /** Mean CSAT on the 1–5 scale. */
    csat: number | null;
  };
  usage: {
    /** Active seats / licensed seats, [0, 1]. */
    activeSeatShare: number | null;
    /** Relative usage change over the period, [−1, 1] (−0.2 = 20 % less); clamped beyond. */
    trend: number | null;
  };
  /** The previous health score (0–100), for the trend. */
  previousScore?: number | null;
}

/** Tenant model settings. */
export interface HealthModel {
  /** Relative weights (≥ 0, sum > 0); only their proportions matter. */
  weights: Record<HealthComponent, number>;
  /** Score ≥ healthyFrom → healthy; ≥ watchFrom → watch; else at-risk. */
  bands: { healthyFrom: number; watchFrom: number };
  /** Points each open critical ticket takes off the 100 of that component. */
  criticalTicketPenalty: number;
  /** |score − previous| ≤ this is "flat". */
  trendThreshold: number;
  /** How many reasons to return. */
  maxReasons: number;
}

/** Defaults: the scorecard and NPS carry half the weight; support and usage share the rest. */
export const DEFAULT_HEALTH_MODEL: HealthModel = {
  weights: { scorecard: 0.3, nps: 0.2, slaBreach: 0.1, openCritical: 0.1, csat: 0.1, activeSeats: 0.1, usageTrend: 0.1 },
  bands: { healthyFrom: 70, watchFrom: 40 },
  criticalTicketPenalty: 25,
  trendThreshold: 2,
  maxReasons: 3,
};

export type HealthBand = 'healthy' | 'watch' | 'at-risk';
export type HealthTrend = 'up' | 'flat' | 'down';

export interface HealthReason {
  component: HealthComponent;
  /** The component's 0–100 value. */
  value: number;
  /** weight × (value − 50): points the component takes off a neutral account (negative). */
  impact: number;
  text: string;
}

export interface HealthScore {
  score: number | null;
  band: HealthBand | null;
  components: Partial<Record<HealthComponent, number>>;
  coverage: number;
  missing: HealthComponent[];
  /** Largest weighted pulls below neutral 50, worst first. */
  reasons: HealthReason[];
  trend: { direction: HealthTrend; delta: number } | null;
}

/** A validated model, reusable across accounts. */
export interface PreparedHealthModel {
  readonly kind: 'prepared-health-model';
  readonly model: HealthModel;
  readonly weights: Record<HealthComponent, number>;
  readonly weightSum: number;
}

const LABEL: Record<HealthComponent, string> = {
  scorecard: 'Scorecard total',
  nps: 'NPS',
  slaBreach: 'SLA breaches',
  openCritical: 'Open critical tickets',
  csat: 'CSAT',
  activeSeats: 'Active seats',
  usageTrend: 'Usage trend',
};

/** Validates a (partial) model over the defaults once. */
export function prepareHealthModel(model?: Partial<HealthModel>): PreparedHealthModel {
  const m = { ...DEFAULT_HEALTH_MODEL, ...(model ?? {}) };
  if (model !== undefined) {
    assertObject(model, 'model', CHECK_CODES);
    assertKnownKeys(model, ['weights', 'bands', 'criticalTicketPenalty', 'trendThreshold', 'maxReasons'], 'model', CHECK_CODES);
  }
  const { raw: weights, sum: weightSum } = validateWeights(m.weights, HEALTH_COMPONENTS, 'model.weights');
  assertObject(m.bands, 'model.bands', CHECK_CODES);
  assertKnownKeys(m.bands, ['healthyFrom', 'watchFrom'], 'model.bands', CHECK_CODES);
  assertRange(m.bands.healthyFrom, 0, 100, 'model.bands.healthyFrom', CHECK_CODES);
  assertRange(m.bands.watchFrom, 0, 100, 'model.bands.watchFrom', CHECK_CODES);
  if (m.bands.watchFrom > m.bands.healthyFrom) {
    fail(Code.InvalidTarget, 'model.bands.watchFrom', 'must not exceed healthyFrom');
  }
  assertRange(m.criticalTicketPenalty, 0, 100, 'model.criticalTicketPenalty', CHECK_CODES);
  assertRange(m.trendThreshold, 0, 100, 'model.trendThreshold', CHECK_CODES);
  assertRange(m.maxReasons, 0, HEALTH_COMPONENTS.length, 'model.maxReasons', CHECK_CODES);
  if (!Number.isInteger(m.maxReasons)) fail(Code.NotSafeInteger, 'model.maxReasons', 'must be an integer');
  return { kind: 'prepared-health-model', model: m, weights, weightSum };
}

function isPrepared(m: Partial<HealthModel> | PreparedHealthModel | undefined): m is PreparedHealthModel {
  return m !== undefined && (m as PreparedHealthModel).kind === 'prepared-health-model';
}

function optional(v: unknown, check: (v: unknown) => void): void {
  if (v !== null && v !== undefined) check(v);
}

function validate(input: unknown): asserts input is HealthInput {
  assertObject(input, 'input', CHECK_CODES);
  assertKnownKeys(input, ['scorecardTotal', 'nps', 'support', 'usage', 'previousScore'], '', CHECK_CODES);
  optional(input.scorecardTotal, (v) => assertRange(v, 0, 100, 'scorecardTotal', CHECK_CODES));
  optional(input.nps, (v) => assertRange(v, -100, 100, 'nps', CHECK_CODES));
  optional(input.previousScore, (v) => assertRange(v, 0, 100, 'previousScore', CHECK_CODES));
  assertObject(input.support, 'support', CHECK_CODES);
  assertKnownKeys(input.support, ['slaBreachRate', 'openCriticalTickets', 'csat'], 'support', CHECK_CODES);
  optional(input.support.slaBreachRate, (v) => assertRange(v, 0, 1, 'support.slaBreachRate', CHECK_CODES));
  optional(input.support.openCriticalTickets, (v) => assertSafeInteger(v, 'support.openCriticalTickets', CHECK_CODES, 0));
  optional(input.support.csat, (v) => assertRange(v, 1, 5, 'support.csat', CHECK_CODES));
  assertObject(input.usage, 'usage', CHECK_CODES);
  assertKnownKeys(input.usage, ['activeSeatShare', 'trend'], 'usage', CHECK_CODES);
  optional(input.usage.activeSeatShare, (v) => assertRange(v, 0, 1, 'usage.activeSeatShare', CHECK_CODES));
  optional(input.usage.trend, (v) => assertRange(v, -1e6, 1e6, 'usage.trend', CHECK_CODES));
}

/** Each raw signal on 0–100, or null when absent. See README for the formulas. */
function normalise(input: HealthInput, penalty: number): Record<HealthComponent, number | null> {
  const { support, usage } = input;
  const n = (v: number | null | undefined, f: (v: number) => number) => (v === null || v === undefined ? null : f(v));
  return {
    scorecard: n(input.scorecardTotal, (v) => v),
    nps: n(input.nps, (v) => (v + 100) / 2),
    slaBreach: n(support.slaBreachRate, (v) => (1 - v) * 100),
    openCritical: n(support.openCriticalTickets, (v) => Math.max(0, 100 - penalty * v)),
    csat: n(support.csat, (v) => ((v - 1) / 4) * 100),
    activeSeats: n(usage.activeSeatShare, (v) => v * 100),
    usageTrend: n(usage.trend, (v) => 50 + 50 * Math.max(-1, Math.min(1, v))),
  };
}

/**
 * Health score: weighted mean of the components present (0–100), its band, the components
 * pulling it down most against a neutral 50 (in words), and the trend vs `previousScore`.
 */
export function healthScore(input: HealthInput, model?: Partial<HealthModel> | PreparedHealthModel): HealthScore {
  const prepared = isPrepared(model) ? model : prepareHealthModel(model);
  validate(input);
  const { weights } = prepared;
  const m = prepared.model;
  const values = normalise(input, m.criticalTicketPenalty);

  let sum = 0;
  let present = 0;
  const components: HealthScore['components'] = {};
  const missing: HealthComponent[] = [];
  for (const c of HEALTH_COMPONENTS) {
    const v = values[c];
    if (weights[c] === 0) continue;
    if (v === null) {
      missing.push(c);
      continue;
    }
    components[c] = v;
    sum += weights[c] * v;
    present += weights[c];
  }
  if (present === 0) return { score: null, band: null, components, coverage: 0, missing, reasons: [], trend: null };

  // Reported to 6 decimals so float noise (59.00000000000001) never flips a band or trend at its edge.
  const score = Math.round((sum / present) * 1e6) / 1e6;
  const band: HealthBand = score >= m.bands.healthyFrom ? 'healthy' : score >= m.bands.watchFrom ? 'watch' : 'at-risk';

  // Impact in score points: the re-weighted share of (value − 50).
  const reasons: HealthReason[] = [];
  for (const c of HEALTH_COMPONENTS) {
    const v = components[c];
    if (v === undefined || v >= 50) continue;
    const impact = (weights[c] / present) * (v - 50);
    reasons.push({ component: c, value: v, impact, text: `${LABEL[c]} at ${v.toFixed(0)}/100 pulls the score down ${(-impact).toFixed(1)} points` });
  }
  reasons.sort((a, b) => a.impact - b.impact || HEALTH_COMPONENTS.indexOf(a.component) - HEALTH_COMPONENTS.indexOf(b.component));

  let trend: HealthScore['trend'] = null;
  if (input.previousScore !== undefined && input.previousScore !== null) {
    const delta = score - input.previousScore;
    trend = { direction: Math.abs(delta) <= m.trendThreshold ? 'flat' : delta > 0 ? 'up' : 'down', delta };
  }
  return { score, band, components, coverage: present / prepared.weightSum, missing, reasons: reasons.slice(0, m.maxReasons), trend };
}
