import { CatalogDomainErrorCode as Code } from './errors';
import { aggregateKpi, checkOutcomeTerms, settleOutcomePeriod, validateOutcomeTerms, type OutcomeTerms } from './outcome';
import { calendarPeriod } from './periods';

// Managed after-sales operations, betting on the complaint rate (lower is better): target 2.0 %,
// base fee EUR 1,000 a month; bonus +5 % of fee from 0 %, +EUR 75 from +5 %, +10 % of fee from
// +10 %; malus 5 % of fee below 0 %, EUR 100 below −10 %; caps: bonus 200, malus 120.
const terms: OutcomeTerms = {
  currency: 'EUR',
  target: 2,
  direction: 'lowerIsBetter',
  settlementPeriod: 'month',
  aggregation: 'mean',
  baseFee: 100_000,
  bands: [
    { fromPct: -20, toPct: -10, amount: 10_000 },
    { fromPct: -10, toPct: 0, shareOfBaseFee: 0.05 },
    { fromPct: 0, toPct: 5, shareOfBaseFee: 0.05 },
    { fromPct: 5, toPct: 10, amount: 7_500 },
    { fromPct: 10, toPct: 20, shareOfBaseFee: 0.1 },
  ],
  caps: { maxBonus: 20_000, maxMalus: 12_000 },
};
const march = calendarPeriod('2026-03', 'month');
const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T12:00:00Z`;
const settle = (values: number[], overrides: Partial<Parameters<typeof settleOutcomePeriod>[0]> = {}) =>
  settleOutcomePeriod({ terms, period: march, readings: values.map((value, i) => ({ at: at(i + 1), value })), activeFrom: '2026-01-01T00:00:00Z', activeUntil: null, ...overrides });

describe('outcome contracts: KPI readings → a period settlement through value-domain', () => {
  it.each<[string, number[], number, number, number]>([
    // mean 1.7: (2.0 − 1.7)/2.0 = 15 % better → 5,000 + 7,500 + 10,000 = 22,500 → capped 20,000.
    ['readings 1.8 and 1.6 (mean 1.7, 15 % better): three bonus bands, 225 capped at 200 → EUR 1,200', [1.8, 1.6], 1.7, 20_000, 120_000],
    ['on target (2.0): the base fee, EUR 1,000', [2], 2, 0, 100_000],
    // mean 2.1 exactly: 5 % worse → 5 % of fee malus.
    ['readings 2.1, 2.2, 2.0 (mean exactly 2.1, 5 % worse): one malus band of 50 → EUR 950', [2.1, 2.2, 2.0], 2.1, -5_000, 95_000],
    // mean 2.3: 15 % worse → 10,000 + 5,000 = 15,000 → capped 12,000.
    ['mean 2.3 (15 % worse): both malus bands, 150 capped at 120 → EUR 880', [2.3], 2.3, -12_000, 88_000],
  ])('%s', (_name, values, actual, adjustment, settlement) => {
    const s = settle(values);
    expect([s.actual, s.settlement.adjustment, s.settlement.settlement]).toEqual([actual, adjustment, settlement]);
  });

  it('prorates the base fee for part of a period: active from 11 March, 21 of 31 days → EUR 1,000 × 21/31 = 677.42 (half to even), bands on that fee', () => {
    const s = settle([2.1], { activeFrom: '2026-03-11T00:00:00Z' });
    expect([s.activeDays, s.periodDays, s.baseFee]).toEqual([21, 31, 67_742]);
    // 5 % of 67,742 = 3,387.1 → 3,387.
    expect([s.settlement.malus, s.settlement.settlement]).toEqual([3_387, 64_355]);
  });

  it('a floor of 0 keeps a large malus from becoming a credit', () => {
    const s = settle([3], { terms: { ...terms, bands: [{ fromPct: -100, toPct: 0, amount: 150_000 }], caps: { maxBonus: 0, maxMalus: 200_000 }, floor: 0 } });
    expect(s.settlement.settlement).toBe(0);
    expect(s.lines).toContain('settlement -50000 raised to the floor 0');
  });

  it('uses only the readings inside the period (1 March 00:00 inclusive, 1 April exclusive)', () => {
    const s = settle([], {
      readings: [
        { at: '2026-02-28T23:59:59Z', value: 9 },
        { at: '2026-03-01T00:00:00Z', value: 1.8 },
        { at: '2026-03-31T23:59:59Z', value: 1.6 },
        { at: '2026-04-01T00:00:00Z', value: 9 },
      ],
    });
    expect([s.readingsUsed, s.actual]).toEqual([2, 1.7]);
  });

  it('shows its inputs, line by line', () => {
    expect(settle([1.8, 1.6]).lines).toEqual([
      'KPI mean of 2 reading(s) in 2026-03: 1.7 (target 2, lower is better)',
      'base fee EUR 1,000.00',
      'band 0%..+5%: deviation +15% → bonus 5000 (0.05 × base fee 100000)',
      'band +5%..+10%: deviation +15% → bonus 7500 (fixed)',
      'band +10%..+20%: deviation +15% → bonus 10000 (0.1 × base fee 100000)',
      'bonus 22500 capped at 20000',
      'settlement EUR 1,200.00',
    ]);
  });

  it.each([
    ['mean of 2.1, 2.2, 2.0 is exactly 2.1', 'mean', [2.1, 2.2, 2.0], 2.1],
    ['sum of 0.1 and 0.2 is exactly 0.3', 'sum', [0.1, 0.2], 0.3],
    ['last is the latest reading, whatever the order given', 'last', [5, 7], 7],
    ['min', 'min', [3, 1, 2], 1],
    ['max', 'max', [3, 1, 2], 3],
  ] as const)('aggregates: %s', (_name, aggregation, values, expected) => {
    expect(aggregateKpi(values.map((value, i) => ({ at: at(i + 1), value })), aggregation)).toBe(expected);
  });

  it.each<[string, Partial<Parameters<typeof settleOutcomePeriod>[0]>, string, string]>([
    ['no reading in the period', { readings: [{ at: '2026-04-02T00:00:00Z', value: 1 }] }, Code.NoReadings, 'readings'],
    ['a subscription that started after the period', { activeFrom: '2026-04-01T00:00:00Z' }, Code.OutOfRange, 'period'],
    ['a target of 0 (deviation is in % of target)', { terms: { ...terms, target: 0 } }, 'INVALID_TARGET', 'terms.kpi.target'],
    ['overlapping bands', { terms: { ...terms, bands: [{ fromPct: 0, toPct: 10, amount: 1 }, { fromPct: 5, toPct: 15, amount: 1 }] } }, 'INVALID_BANDS', 'terms.bands[1]'],
    ['a floor above the base fee', { terms: { ...terms, floor: 100_001 } }, 'OUT_OF_RANGE', 'terms.floor'],
    ['a reading without a zone', { readings: [{ at: '2026-03-02T00:00:00', value: 1 }] }, Code.InvalidTimestamp, 'readings[0].at'],
  ])('rejects %s', (_name, overrides, code, field) => {
    expect(() => settle([2], overrides)).toThrow(expect.objectContaining({ code, field }));
  });

  it('checks terms once: checked terms settle exactly like unchecked ones, cannot be changed after, and bad terms are refused when checked', () => {
    const checked = checkOutcomeTerms(terms);
    expect(checked).toEqual(terms);
    expect(checked).not.toBe(terms);
    expect(checkOutcomeTerms(checked)).toBe(checked);
    for (const values of [[1.5], [2, 2.5], [3.1, 0.4, 2]]) expect(settle(values, { terms: checked })).toEqual(settle(values));
    expect(() => ((checked.bands as Array<{ amount?: number }>)[0]!.amount = 1)).toThrow(TypeError);
    expect(() => ((checked.caps as { maxBonus: number }).maxBonus = 1)).toThrow(TypeError);
    expect(() => checkOutcomeTerms({ ...terms, target: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_TARGET', field: 'terms.kpi.target' }));
    expect(() => checkOutcomeTerms({ ...terms, floor: 100_001 }, 'pricing')).toThrow(expect.objectContaining({ field: 'pricing.floor' }));
  });

  it('validates terms with the field path under the plan (pricing.bands[0], pricing.caps.maxBonus)', () => {
    expect(() => validateOutcomeTerms({ ...terms, bands: [{ fromPct: -5, toPct: 5, amount: 1 }] })).toThrow(expect.objectContaining({ field: 'pricing.bands[0]' }));
    expect(() => validateOutcomeTerms({ ...terms, caps: { maxBonus: -1, maxMalus: 0 } })).toThrow(expect.objectContaining({ field: 'pricing.caps.maxBonus' }));
  });
});
