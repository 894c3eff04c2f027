import fc from 'fast-check';
import { ValueDomainErrorCode as Code } from './errors';
import { marketDamage, marketDamageWhatIf, type MarketDamageInput } from './market-damage';

// The worked example of the issue, by hand:
//   1,000 customers; 40 % meet a problem → 400 with a problem, 600 without.
//   25 % of the 400 complain → 100 complainers, 300 silent sufferers.
//   Complainers 60/25/15 → 60 satisfied, 25 mollified, 15 dissatisfied.
//   Lost: 60 × (1 − 0.90) = 6;  25 × (1 − 0.60) = 10;  15 × (1 − 0.20) = 12.
//   Silent: 300 × 0.50 = 150.  No problem: 600 × 0.05 = 30.
//   Total lost = 6 + 10 + 12 + 150 + 30 = 208 → 208 × 1,000,000 = 208,000,000 at risk.
const example: MarketDamageInput = {
  customers: 1_000,
  problemRate: 0.4,
  complaintRate: 0.25,
  resolutionMix: { satisfied: 0.6, mollified: 0.25, dissatisfied: 0.15 },
  repurchaseRate: { satisfied: 0.9, mollified: 0.6, dissatisfied: 0.2 },
  silentLossRate: 0.5,
  noProblemLossRate: 0.05,
  revenuePerCustomer: 1_000_000,
};

describe('marketDamage', () => {
  it('computes every branch of the worked example (see the comment above)', () => {
    expect(marketDamage(example)).toEqual({
      complainers: {
        satisfied: { customers: 60, lost: 6, revenueAtRisk: 6_000_000 },
        mollified: { customers: 25, lost: 10, revenueAtRisk: 10_000_000 },
        dissatisfied: { customers: 15, lost: 12, revenueAtRisk: 12_000_000 },
      },
      silentSufferers: { customers: 300, lost: 150, revenueAtRisk: 150_000_000 },
      noProblem: { customers: 600, lost: 30, revenueAtRisk: 30_000_000 },
      customersLost: 208,
      revenueAtRisk: 208_000_000,
    });
  });

  it('treats a missing noProblemLossRate as 0: 208 − 30 = 178 lost', () => {
    const { noProblemLossRate: _omit, ...rest } = example;
    const result = marketDamage(rest);
    expect(result.noProblem).toEqual({ customers: 600, lost: 0, revenueAtRisk: 0 });
    expect(result.customersLost).toBe(178);
    expect(result.revenueAtRisk).toBe(178_000_000);
  });

  it('keeps fractional customers exact and rounds money once: 7 customers, revenue 3', () => {
    // problem 7 × 0.5 = 3.5; complain 3.5 × 0.5 = 1.75 (all dissatisfied, repurchase 0 → 1.75 lost);
    // silent 1.75 × 1 = 1.75 lost; total 3.5 × 3 = 10.5 → 10 (half to even).
    // Branches 5.25 and 5.25 → floors 5 + 5 = 10, nothing left to hand out.
    const result = marketDamage({
      customers: 7,
      problemRate: 0.5,
      complaintRate: 0.5,
      resolutionMix: { satisfied: 0, mollified: 0, dissatisfied: 1 },
      repurchaseRate: { satisfied: 1, mollified: 1, dissatisfied: 0 },
      silentLossRate: 1,
      revenuePerCustomer: 3,
    });
    expect(result.customersLost).toBe(3.5);
    expect(result.revenueAtRisk).toBe(10);
    expect(result.complainers.dissatisfied.revenueAtRisk + result.silentSufferers.revenueAtRisk).toBe(10);
  });

  it('accepts a mix that sums to 1 within 1e-9 (0.1 + 0.2 + 0.7 = 0.9999999999999999 in floats)', () => {
    expect(() => marketDamage({ ...example, resolutionMix: { satisfied: 0.1, mollified: 0.2, dissatisfied: 0.7 } })).not.toThrow();
  });

  it.each<[string, unknown, Code, string]>([
    ['a mix summing to 0.99', { ...example, resolutionMix: { satisfied: 0.6, mollified: 0.24, dissatisfied: 0.15 } }, Code.NotNormalised, 'resolutionMix'],
    ['a mix 2e-9 over 1', { ...example, resolutionMix: { satisfied: 0.600000002, mollified: 0.25, dissatisfied: 0.15 } }, Code.NotNormalised, 'resolutionMix'],
    ['a mix share above 1', { ...example, resolutionMix: { satisfied: 1.2, mollified: -0.1, dissatisfied: -0.1 } }, Code.OutOfRange, 'resolutionMix.satisfied'],
    ['a missing repurchase rate', { ...example, repurchaseRate: { satisfied: 0.9, mollified: 0.6 } }, Code.InvalidType, 'repurchaseRate.dissatisfied'],
    ['an unknown outcome', { ...example, repurchaseRate: { ...example.repurchaseRate, delighted: 1 } }, Code.UnknownField, 'repurchaseRate.delighted'],
    ['fractional customers', { ...example, customers: 10.5 }, Code.NotSafeInteger, 'customers'],
    ['negative customers', { ...example, customers: -1 }, Code.OutOfRange, 'customers'],
    ['complaint rate 1.5', { ...example, complaintRate: 1.5 }, Code.OutOfRange, 'complaintRate'],
    ['NaN silent loss', { ...example, silentLossRate: Number.NaN }, Code.NotFinite, 'silentLossRate'],
    ['no-problem loss above 1', { ...example, noProblemLossRate: 2 }, Code.OutOfRange, 'noProblemLossRate'],
    ['negative revenue', { ...example, revenuePerCustomer: -5 }, Code.OutOfRange, 'revenuePerCustomer'],
    ['a typo', { ...example, complaintrate: 0.3 }, Code.UnknownField, 'complaintrate'],
    ['not an object', 42, Code.InvalidType, 'input'],
  ])('rejects %s', (_name, input, code, field) => {
    expect(() => marketDamage(input as MarketDamageInput)).toThrow(expect.objectContaining({ code, field }));
  });
});

describe('marketDamageWhatIf', () => {
  it('doubling the complaint rate 25 % → 50 % keeps 22 customers, worth 22,000,000', () => {
    // 200 complainers → 120/50/30 → lost 12 + 20 + 24 = 56; 200 silent × 0.5 = 100; no problem 30.
    // 56 + 100 + 30 = 186 vs 208 → −22 customers, −22,000,000 at risk.
    const r = marketDamageWhatIf(example, { complaintRate: 0.5 });
    expect(r.scenario.customersLost).toBe(186);
    expect(r.difference).toEqual({ customersLost: -22, revenueAtRisk: -22_000_000 });
    expect(r.base.revenueAtRisk).toBe(208_000_000);
  });

  it('a better resolution mix 80/15/5 keeps 10 customers', () => {
    // 100 complainers → 80/15/5 → lost 8 + 6 + 4 = 18 vs 28 → −10 customers, −10,000,000.
    const r = marketDamageWhatIf(example, { resolutionMix: { satisfied: 0.8, mollified: 0.15, dissatisfied: 0.05 } });
    expect(r.difference).toEqual({ customersLost: -10, revenueAtRisk: -10_000_000 });
  });

  it('more complaints cost money when complaint handling is worse than silence', () => {
    // Every complainer ends dissatisfied and never repurchases (loss 100 %) vs 50 % silent loss:
    // 25 % → 50 % moves 100 people from a 50 % loss to a 100 % loss → +50 customers lost.
    const bad = { ...example, resolutionMix: { satisfied: 0, mollified: 0, dissatisfied: 1 }, repurchaseRate: { satisfied: 1, mollified: 1, dissatisfied: 0 } };
    expect(marketDamageWhatIf(bad, { complaintRate: 0.5 }).difference).toEqual({ customersLost: 50, revenueAtRisk: 50_000_000 });
  });

  it('treats an explicit undefined in the change as "unchanged"', () => {
    expect(marketDamageWhatIf(example, { noProblemLossRate: undefined }).difference).toEqual({ customersLost: 0, revenueAtRisk: 0 });
  });

  it.each<[string, unknown, Code, string]>([
    ['a typo in the change', { complaintrate: 0.5 }, Code.UnknownField, 'change.complaintrate'],
    ['a change of the customer base', { customers: 5 }, Code.UnknownField, 'change.customers'],
    ['a bad mix in the change', { resolutionMix: { satisfied: 0.5, mollified: 0.5, dissatisfied: 0.5 } }, Code.NotNormalised, 'change.resolutionMix'],
    ['a bad rate in the change', { silentLossRate: -0.1 }, Code.OutOfRange, 'change.silentLossRate'],
    ['no change object', null, Code.InvalidType, 'change'],
  ])('rejects %s', (_name, change, code, field) => {
    expect(() => marketDamageWhatIf(example, change as never)).toThrow(expect.objectContaining({ code, field }));
  });

  // Integer percentages keep the decimal inputs exact, so the laws hold to the minor unit.
  const pct = fc.integer({ min: 0, max: 100 });
  const scenario = fc
    .record({
      customers: fc.integer({ min: 0, max: 1_000_000 }),
      problem: pct,
      complaint: pct,
      sat: pct,
      mol: pct,
      repS: pct,
      repM: pct,
      repD: pct,
      noProblem: pct,
      revenue: fc.integer({ min: 0, max: 1e8 }),
      extraSilentBp: fc.integer({ min: 0, max: 10_000 }),
    })
    .map((g) => {
      const sat = g.sat;
      const mol = Math.min(g.mol, 100 - sat);
      const dis = 100 - sat - mol;
      // Complainers' loss in basis points: Σ mix% × (100 − repurchase%).
      const complainerLossBp = sat * (100 - g.repS) + mol * (100 - g.repM) + dis * (100 - g.repD);
      const silentBp = complainerLossBp + Math.floor((g.extraSilentBp * (10_000 - complainerLossBp)) / 10_000);
      const input: MarketDamageInput = {
        customers: g.customers,
        problemRate: g.problem / 100,
        complaintRate: g.complaint / 100,
        resolutionMix: { satisfied: sat / 100, mollified: mol / 100, dissatisfied: dis / 100 },
        repurchaseRate: { satisfied: g.repS / 100, mollified: g.repM / 100, dissatisfied: g.repD / 100 },
        silentLossRate: silentBp / 10_000,
        noProblemLossRate: g.noProblem / 100,
        revenuePerCustomer: g.revenue,
      };
      return input;
    });

  it('law: a what-if with no change equals the base', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = marketDamageWhatIf(input, {});
        expect(r.scenario).toEqual(r.base);
        expect(r.difference).toEqual({ customersLost: 0, revenueAtRisk: 0 });
      }),
    );
  });

  it('law: when complainers repurchase at least as much as silent sufferers stay, a higher complaint rate never raises revenue at risk', () => {
    fc.assert(
      fc.property(scenario, pct, (input, higher) => {
        const to = Math.max(higher / 100, input.complaintRate);
        expect(marketDamageWhatIf(input, { complaintRate: to }).difference.revenueAtRisk).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('law: branches add up to the total, and no more customers are lost than exist', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const r = marketDamage(input);
        const { satisfied, mollified, dissatisfied } = r.complainers;
        const branches = [satisfied, mollified, dissatisfied, r.silentSufferers, r.noProblem];
        expect(branches.reduce((s, b) => s + b.revenueAtRisk, 0)).toBe(r.revenueAtRisk);
        expect(r.customersLost).toBeLessThanOrEqual(input.customers + 1e-9);
        expect(r.revenueAtRisk).toBeLessThanOrEqual(input.customers * input.revenuePerCustomer);
      }),
    );
  });
});
