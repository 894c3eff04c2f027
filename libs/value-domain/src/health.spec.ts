import { ValueDomainErrorCode as Code } from './errors';
import { DEFAULT_HEALTH_MODEL, healthScore, prepareHealthModel, type HealthInput, type HealthModel } from './health';

// Worked example with the default weights 0.3 / 0.2 / 0.1 × 5:
//   scorecard 80 → 80;  NPS −40 → (−40 + 100)/2 = 30;  SLA breaches 10 % → 90;
//   3 open critical × 25 → 100 − 75 = 25;  CSAT 4 of 5 → (4 − 1)/4 = 75;
//   active seats 60 % → 60;  usage −20 % → 50 − 10 = 40.
//   score = 0.3·80 + 0.2·30 + 0.1·(90 + 25 + 75 + 60 + 40) = 24 + 6 + 29 = 59 → watch.
//   Pulls below 50: NPS 0.2·(30 − 50) = −4; critical 0.1·(25 − 50) = −2.5; usage 0.1·(40 − 50) = −1.
const example: HealthInput = {
  scorecardTotal: 80,
  nps: -40,
  support: { slaBreachRate: 0.1, openCriticalTickets: 3, csat: 4 },
  usage: { activeSeatShare: 0.6, trend: -0.2 },
};

const only = (weights: Partial<HealthModel['weights']>): Partial<HealthModel> => ({
  weights: { scorecard: 0, nps: 0, slaBreach: 0, openCritical: 0, csat: 0, activeSeats: 0, usageTrend: 0, ...weights },
});

describe('healthScore', () => {
  it('scores the worked example 59 → watch, with each component on 0–100', () => {
    const h = healthScore(example);
    expect(h.score).toBe(59);
    expect(h.band).toBe('watch');
    expect(h.coverage).toBeCloseTo(1, 12);
    expect(h.missing).toEqual([]);
    expect(h.components).toEqual({ scorecard: 80, nps: 30, slaBreach: 90, openCritical: 25, csat: 75, activeSeats: 60, usageTrend: 40 });
  });

  it('names the top reasons worst first, in words: NPS −4.0, open critical −2.5, usage −1.0', () => {
    const h = healthScore(example);
    expect(h.reasons.map((r) => [r.component, Number(r.impact.toFixed(6))])).toEqual([
      ['nps', -4],
      ['openCritical', -2.5],
      ['usageTrend', -1],
    ]);
    expect(h.reasons[0].text).toBe('NPS at 30/100 pulls the score down 4.0 points');
  });

  it('returns at most maxReasons reasons', () => {
    expect(healthScore(example, { maxReasons: 1 }).reasons.map((r) => r.component)).toEqual(['nps']);
  });

  it('re-weights over what is present: without NPS, (24 + 29)/0.8 = 66.25, coverage 0.8', () => {
    const h = healthScore({ ...example, nps: null });
    expect(h.score).toBe(66.25);
    expect(h.coverage).toBeCloseTo(0.8, 12);
    expect(h.missing).toEqual(['nps']);
  });

  it('nothing measured → score, band and trend null (not NaN)', () => {
    const h = healthScore({
      scorecardTotal: null,
      nps: null,
      support: { slaBreachRate: null, openCriticalTickets: null, csat: null },
      usage: { activeSeatShare: null, trend: null },
      previousScore: 50,
    });
    expect(h).toEqual({ score: null, band: null, components: {}, coverage: 0, missing: expect.any(Array), reasons: [], trend: null });
    expect(h.missing).toHaveLength(7);
  });

  it('a zero-weight component is neither scored nor missing', () => {
    const h = healthScore({ ...example, nps: null }, only({ scorecard: 1 }));
    expect(h.score).toBe(80);
    expect(h.missing).toEqual([]);
  });

  describe('bands (defaults: healthy ≥ 70, watch ≥ 40, else at-risk)', () => {
    it.each([
      [70, 'healthy'],
      [69.9, 'watch'],
      [40, 'watch'],
      [39.9, 'at-risk'],
      [0, 'at-risk'],
    ])('scorecard-only score %p → %p', (total, band) => {
      expect(healthScore({ ...example, scorecardTotal: total }, only({ scorecard: 1 })).band).toBe(band);
    });

    it('uses tenant bands', () => {
      expect(healthScore({ ...example, scorecardTotal: 65 }, { ...only({ scorecard: 1 }), bands: { healthyFrom: 60, watchFrom: 30 } }).band).toBe('healthy');
    });
  });

  describe('component formulas', () => {
    it.each<[string, Partial<HealthModel['weights']>, Partial<HealthInput>, number]>([
      ['NPS +100 → 100', { nps: 1 }, { nps: 100 }, 100],
      ['NPS −100 → 0', { nps: 1 }, { nps: -100 }, 0],
      ['5 open critical × 25 → floor at 0', { openCritical: 1 }, { support: { ...example.support, openCriticalTickets: 5 } }, 0],
      ['usage trend +300 % clamps to 100', { usageTrend: 1 }, { usage: { activeSeatShare: 0.5, trend: 3 } }, 100],
      ['usage trend −500 % clamps to 0', { usageTrend: 1 }, { usage: { activeSeatShare: 0.5, trend: -5 } }, 0],
      ['flat usage is neutral 50', { usageTrend: 1 }, { usage: { activeSeatShare: 0.5, trend: 0 } }, 50],
      ['CSAT 1 → 0', { csat: 1 }, { support: { ...example.support, csat: 1 } }, 0],
    ])('%s', (_name, weights, override, expected) => {
      expect(healthScore({ ...example, ...override }, only(weights)).score).toBeCloseTo(expected, 10);
    });

    it('uses the tenant critical-ticket penalty: 3 × 10 → 70', () => {
      expect(healthScore(example, { ...only({ openCritical: 1 }), criticalTicketPenalty: 10 }).score).toBe(70);
    });
  });

  describe('trend vs previous score (flat within ±2 points by default)', () => {
    it.each<[number, 'up' | 'flat' | 'down']>([
      [50, 'up'],
      [57, 'flat'],
      [61, 'flat'],
      [65, 'down'],
    ])('previous %p, now 59 → %p', (previousScore, direction) => {
      const h = healthScore({ ...example, previousScore });
      expect(h.trend?.direction).toBe(direction);
      expect(h.trend?.delta).toBeCloseTo(59 - previousScore, 10);
    });

    it('no previous score → no trend', () => {
      expect(healthScore({ ...example, previousScore: null }).trend).toBeNull();
    });
  });

  it('accepts a prepared model and reuses it', () => {
    const prepared = prepareHealthModel({ ...only({ scorecard: 1 }) });
    expect(healthScore(example, prepared).score).toBe(80);
    expect(prepared.model.bands).toEqual(DEFAULT_HEALTH_MODEL.bands);
  });

  it.each<[string, unknown, Code, string]>([
    ['a negative weight', { weights: { ...DEFAULT_HEALTH_MODEL.weights, nps: -1 } }, Code.InvalidWeights, 'model.weights.nps'],
    ['all-zero weights', only({}), Code.InvalidWeights, 'model.weights'],
    ['watch above healthy', { bands: { healthyFrom: 50, watchFrom: 60 } }, Code.InvalidTarget, 'model.bands.watchFrom'],
    ['a band above 100', { bands: { healthyFrom: 150, watchFrom: 60 } }, Code.OutOfRange, 'model.bands.healthyFrom'],
    ['an unknown band', { bands: { healthyFrom: 70, watchFrom: 40, redFrom: 10 } }, Code.UnknownField, 'model.bands.redFrom'],
    ['a fractional maxReasons', { maxReasons: 1.5 }, Code.NotSafeInteger, 'model.maxReasons'],
    ['a negative trend threshold', { trendThreshold: -1 }, Code.OutOfRange, 'model.trendThreshold'],
    ['an unknown setting', { neutral: 50 }, Code.UnknownField, 'model.neutral'],
  ])('rejects a model with %s', (_name, model, code, field) => {
    expect(() => healthScore(example, model as Partial<HealthModel>)).toThrow(expect.objectContaining({ code, field }));
  });

  it.each<[string, unknown, Code, string]>([
    ['NPS 120', { ...example, nps: 120 }, Code.OutOfRange, 'nps'],
    ['a scorecard total of −1', { ...example, scorecardTotal: -1 }, Code.OutOfRange, 'scorecardTotal'],
    ['a previous score of 101', { ...example, previousScore: 101 }, Code.OutOfRange, 'previousScore'],
    ['CSAT 0 on a 1–5 scale', { ...example, support: { ...example.support, csat: 0 } }, Code.OutOfRange, 'support.csat'],
    ['a breach rate of 150 %', { ...example, support: { ...example.support, slaBreachRate: 1.5 } }, Code.OutOfRange, 'support.slaBreachRate'],
    ['−1 open tickets', { ...example, support: { ...example.support, openCriticalTickets: -1 } }, Code.OutOfRange, 'support.openCriticalTickets'],
    ['seat share as a string', { ...example, usage: { ...example.usage, activeSeatShare: '0.5' } }, Code.InvalidType, 'usage.activeSeatShare'],
    ['an infinite trend', { ...example, usage: { ...example.usage, trend: Infinity } }, Code.NotFinite, 'usage.trend'],
    ['an unknown usage field', { ...example, usage: { ...example.usage, logins: 3 } }, Code.UnknownField, 'usage.logins'],
    ['no support block', { ...example, support: undefined }, Code.InvalidType, 'support'],
    ['an unknown field', { ...example, churn: 1 }, Code.UnknownField, 'churn'],
    ['no input', undefined, Code.InvalidType, 'input'],
  ])('rejects input with %s', (_name, input, code, field) => {
    expect(() => healthScore(input as HealthInput)).toThrow(expect.objectContaining({ code, field }));
  });
});
