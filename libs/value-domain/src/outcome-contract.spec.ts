import fc from 'fast-check';
import { ValueDomainErrorCode as Code } from './errors';
import { settleOutcomeContract, type OutcomeBand, type OutcomeContractInput } from './outcome-contract';

// A complaint-rate contract (lower is better): target 2.0 %, base fee 100,000.
// Ladder (deviation in % of target, positive = better):
//   malus −20..−10: 10,000 fixed    malus −10..0: 5 % of fee = 5,000
//   bonus 0..+5: 5 % of fee = 5,000  bonus +5..+10: 7,500 fixed  bonus +10..+20: 10 % of fee = 10,000
// Caps: bonus 20,000, malus 12,000.
const bands: OutcomeBand[] = [
  { fromPct: -20, toPct: -10, amount: 10_000 },
  { fromPct: -10, toPct: 0, shareOfBaseFee: 0.05 },
  { fromPct: 0, toPct: 5, shareOfBaseFee: 0.05 },
  { fromPct: 5, toPct: 10, amount: 7_500 },
  { fromPct: 10, toPct: 20, shareOfBaseFee: 0.1 },
];
const contract: OutcomeContractInput = {
  kpi: { actual: 2, target: 2 },
  direction: 'lowerIsBetter',
  baseFee: 100_000,
  bands,
  caps: { maxBonus: 20_000, maxMalus: 12_000 },
};
const settle = (actual: number, overrides: Partial<OutcomeContractInput> = {}) =>
  settleOutcomeContract({ ...contract, ...overrides, kpi: { target: 2, actual, ...overrides.kpi } });

describe('settleOutcomeContract', () => {
  it.each<[string, number, number, number, number, number]>([
    // (2.0 − 1.7)/2.0 = 15 % better → 5,000 + 7,500 + 10,000 = 22,500 → capped 20,000 → 120,000.
    ['1.7 % is 15 % better: three bonus bands, capped at 20,000', 1.7, 15, 20_000, 0, 120_000],
    // (2.0 − 1.9)/2.0 = exactly +5 %: band 0..5 pays, band 5..10 needs more than 5 (a float would say 4.999…96).
    ['1.9 % is exactly +5 %: only the first bonus band', 1.9, 5, 5_000, 0, 105_000],
    ['on target: no band, base fee only', 2, 0, 0, 0, 100_000],
    // (2.1 − 2.0)/2.0 = 5 % worse → malus band −10..0 → 5,000.
    ['2.1 % is 5 % worse: one malus band', 2.1, -5, 0, 5_000, 95_000],
    // 15 % worse → 5,000 + 10,000 = 15,000 → capped 12,000 → 88,000.
    ['2.3 % is 15 % worse: both malus bands, capped at 12,000', 2.3, -15, 0, 12_000, 88_000],
    // 50 % worse: the ladder tops out at both malus bands.
    ['3.0 % is 50 % worse: past the last band, still capped', 3, -50, 0, 12_000, 88_000],
  ])('%s', (_name, actual, deviation, bonus, malus, settlement) => {
    const s = settle(actual);
    expect(s.deviationPct).toBeCloseTo(deviation, 12);
    expect([s.bonus, s.malus, s.adjustment, s.settlement]).toEqual([bonus, malus, bonus - malus, settlement]);
  });

  it('explains each band applied and the cap, line by line', () => {
    expect(settle(1.7).lines).toEqual([
      { kind: 'bonus', amount: 5_000, text: 'band 0%..+5%: deviation +15% → bonus 5000 (0.05 × base fee 100000)' },
      { kind: 'bonus', amount: 7_500, text: 'band +5%..+10%: deviation +15% → bonus 7500 (fixed)' },
      { kind: 'bonus', amount: 10_000, text: 'band +10%..+20%: deviation +15% → bonus 10000 (0.1 × base fee 100000)' },
      { kind: 'cap', amount: -2_500, text: 'bonus 22500 capped at 20000' },
    ]);
    expect(settle(2.3).lines.map((l) => [l.kind, l.amount])).toEqual([
      ['malus', -10_000],
      ['malus', -5_000],
      ['cap', 3_000], // 15,000 − 12,000 given back
    ]);
    expect(settle(2).lines).toEqual([{ kind: 'none', amount: 0, text: 'deviation 0% reaches no band: no adjustment' }]);
  });

  it('higher is better: hit rate 88 % vs 80 % is +10 % → 5,000 + 7,500 (band 10..20 needs more than 10)', () => {
    const s = settleOutcomeContract({ ...contract, direction: 'higherIsBetter', kpi: { actual: 0.88, target: 0.8 } });
    expect([s.deviationPct, s.bonus, s.settlement]).toEqual([10, 12_500, 112_500]);
  });

  it('a negative target: −5 vs −10, higher is better → (−5 + 10)/|−10| = +50 %', () => {
    const s = settleOutcomeContract({ ...contract, direction: 'higherIsBetter', kpi: { actual: -5, target: -10 } });
    expect(s.deviationPct).toBe(50);
    expect(s.bonus).toBe(20_000);
  });

  it('rounds a share of the fee half to even: 100,010 × 5 % = 5,000.5 → 5,000', () => {
    expect(settle(1.9, { baseFee: 100_010 }).bonus).toBe(5_000);
  });

  it('a gap between bands is a dead zone: bonus from +2 % only, +1 % pays nothing', () => {
    const s = settle(1.98, { bands: [{ fromPct: 2, toPct: 10, amount: 1_000 }] });
    expect(s.deviationPct).toBeCloseTo(1, 12);
    expect(s.settlement).toBe(100_000);
  });

  it('a malus cap above the base fee can make the settlement a credit', () => {
    expect(settle(3, { caps: { maxBonus: 0, maxMalus: 200_000 }, bands: [{ fromPct: -100, toPct: 0, amount: 150_000 }] }).settlement).toBe(-50_000);
  });

  it('a floor of 0 stops a malus from making the settlement a credit: 100,000 − 150,000 → 0, with a floor line', () => {
    const s = settle(3, { caps: { maxBonus: 0, maxMalus: 200_000 }, bands: [{ fromPct: -100, toPct: 0, amount: 150_000 }], floor: 0 });
    expect([s.malus, s.adjustment, s.settlement]).toEqual([150_000, -100_000, 0]);
    expect(s.lines.at(-1)).toEqual({ kind: 'floor', amount: 50_000, text: 'settlement -50000 raised to the floor 0' });
  });

  it('a floor of 90,000 holds 2.3 % (malus capped at 12,000 → 88,000) at 90,000; one above the settlement changes nothing', () => {
    expect(settle(2.3, { floor: 90_000 }).settlement).toBe(90_000);
    expect(settle(2.1, { floor: 90_000 })).toEqual(settle(2.1));
  });

  it.each<[string, Partial<OutcomeContractInput>, Code, string]>([
    ['a band with from ≥ to', { bands: [{ fromPct: 5, toPct: 5, amount: 1 }] }, Code.InvalidBands, 'bands[0]'],
    ['a band straddling 0', { bands: [{ fromPct: -5, toPct: 5, amount: 1 }] }, Code.InvalidBands, 'bands[0]'],
    ['overlapping bands', { bands: [{ fromPct: 0, toPct: 10, amount: 1 }, { fromPct: 5, toPct: 15, amount: 1 }] }, Code.InvalidBands, 'bands[1]'],
    ['unordered bands', { bands: [{ fromPct: 5, toPct: 10, amount: 1 }, { fromPct: 0, toPct: 5, amount: 1 }] }, Code.InvalidBands, 'bands[1]'],
    ['a band with both amount and share', { bands: [{ fromPct: 0, toPct: 5, amount: 1, shareOfBaseFee: 0.1 }] }, Code.Conflict, 'bands[0]'],
    ['a band with neither amount nor share', { bands: [{ fromPct: 0, toPct: 5 }] }, Code.Conflict, 'bands[0]'],
    ['a share above 1', { bands: [{ fromPct: 0, toPct: 5, shareOfBaseFee: 1.5 }] }, Code.OutOfRange, 'bands[0].shareOfBaseFee'],
    ['a negative amount', { bands: [{ fromPct: 0, toPct: 5, amount: -1 }] }, Code.OutOfRange, 'bands[0].amount'],
    ['an infinite edge', { bands: [{ fromPct: 0, toPct: Infinity, amount: 1 }] }, Code.NotFinite, 'bands[0].toPct'],
    ['bands not a list', { bands: {} as never }, Code.InvalidType, 'bands'],
    ['a target of 0', { kpi: { actual: 1, target: 0 } }, Code.InvalidTarget, 'kpi.target'],
    ['a NaN actual', { kpi: { actual: Number.NaN, target: 1 } }, Code.NotFinite, 'kpi.actual'],
    ['an unknown direction', { direction: 'up' as never }, Code.OutOfRange, 'direction'],
    ['a negative base fee', { baseFee: -1 }, Code.OutOfRange, 'baseFee'],
    ['a negative cap', { caps: { maxBonus: -1, maxMalus: 0 } }, Code.OutOfRange, 'caps.maxBonus'],
    ['a missing malus cap', { caps: { maxBonus: 1 } as never }, Code.InvalidType, 'caps.maxMalus'],
    ['a negative floor', { floor: -1 }, Code.OutOfRange, 'floor'],
    ['a floor above the base fee', { floor: 100_001 }, Code.OutOfRange, 'floor'],
  ])('rejects %s', (_name, overrides, code, field) => {
    expect(() => settleOutcomeContract({ ...contract, ...overrides })).toThrow(expect.objectContaining({ code, field }));
  });

  const actual = fc.integer({ min: 0, max: 400 }).map((n) => n / 100);
  const caps = fc.record({ maxBonus: fc.integer({ min: 0, max: 50_000 }), maxMalus: fc.integer({ min: 0, max: 50_000 }) });

  it('law: the settlement stays within base fee − max malus and base fee + max bonus', () => {
    fc.assert(
      fc.property(actual, caps, fc.integer({ min: 0, max: 1e9 }), (a, c, baseFee) => {
        const s = settle(a, { caps: c, baseFee });
        expect(s.settlement).toBeGreaterThanOrEqual(baseFee - c.maxMalus);
        expect(s.settlement).toBeLessThanOrEqual(baseFee + c.maxBonus);
        expect(s.settlement).toBe(baseFee + s.adjustment);
      }),
    );
  });

  it('law: a better KPI never lowers the settlement', () => {
    fc.assert(
      fc.property(actual, actual, caps, (a, b, c) => {
        const [better, worse] = a <= b ? [a, b] : [b, a]; // lower is better
        expect(settle(better, { caps: c }).settlement).toBeGreaterThanOrEqual(settle(worse, { caps: c }).settlement);
      }),
    );
  });
});
