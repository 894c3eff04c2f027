import { CatalogDomainErrorCode as Code } from './errors';
import { priceUsage, type UsagePricingTerms } from './usage';

// Forecast runs, in fen: up to 1,000 at 0.5; 1,001–10,000 at 0.35; above 10,000 at 0.2.
const ladder: UsagePricingTerms = {
  currency: 'CNY',
  model: 'tiered',
  tiers: [
    { upTo: 1_000, unitPrice: 0.5 },
    { upTo: 10_000, unitPrice: 0.35 },
    { upTo: null, unitPrice: 0.2 },
  ],
};
const volume: UsagePricingTerms = { ...ladder, model: 'volume' };

describe('usage pricing: tiers (graduated) and volume', () => {
  it.each<[string, UsagePricingTerms, number, number]>([
    // 1,000 × 0.5 + 9,000 × 0.35 + 2,000 × 0.2 = 500 + 3,150 + 400.
    ['tiered, 12,000 runs: 1,000 × 0.5 + 9,000 × 0.35 + 2,000 × 0.2 = 4,050', ladder, 12_000, 4_050],
    ['volume, 12,000 runs: all at the third tier’s 0.2 = 2,400', volume, 12_000, 2_400],
    ['tiered, exactly 1,000 runs stay in the first tier: 500', ladder, 1_000, 500],
    ['volume, exactly 1,000 runs: 1,000 × 0.5 = 500', volume, 1_000, 500],
    // 500 + 0.35 = 500.35 → 500.
    ['tiered, 1,001 runs: 500 + 1 × 0.35 = 500.35 → 500', ladder, 1_001, 500],
    // 1,001 × 0.35 = 350.35 → 350: crossing the break makes every unit cheaper.
    ['volume, 1,001 runs: 1,001 × 0.35 = 350.35 → 350 (cheaper than 1,000 runs)', volume, 1_001, 350],
    ['no usage costs nothing (no tier reached)', ladder, 0, 0],
  ])('%s', (_name, terms, quantity, charge) => {
    expect(priceUsage(terms, quantity).charge).toBe(charge);
  });

  it('rounds once, at the end: 5 runs at 0.5 = 2.5 → 2 (half to even), not 5 × round(0.5)', () => {
    expect(priceUsage({ ...ladder, currency: 'EUR' }, 5).charge).toBe(2);
    expect(priceUsage({ ...ladder, currency: 'EUR' }, 7).charge).toBe(4); // 3.5 → 4
  });

  it('adds the flat fee of every tier reached (tiered) or of the one tier (volume): 1,001 runs with a 1,000 flat fee on tier 2', () => {
    const tiers = [{ upTo: 1_000, unitPrice: 0.5 }, { upTo: 10_000, unitPrice: 0.35, flatFee: 1_000 }, { upTo: null, unitPrice: 0.2 }];
    expect(priceUsage({ ...ladder, tiers }, 1_000).charge).toBe(500);
    expect(priceUsage({ ...ladder, tiers }, 1_001).charge).toBe(1_500); // 500.35 + 1,000 → 1,500
    expect(priceUsage({ ...volume, tiers }, 1_001).charge).toBe(1_350); // 350.35 + 1,000 → 1,350
  });

  it('charges at least the minimum: 12,000 tiered runs (4,050) under a 5,000 minimum cost 5,000', () => {
    const c = priceUsage({ ...ladder, minimumCharge: 5_000 }, 12_000);
    expect([c.charge, c.minimumApplied]).toEqual([5_000, true]);
    expect(priceUsage({ ...ladder, minimumCharge: 5_000 }, 0).charge).toBe(5_000);
  });

  it('explains each tier used', () => {
    expect(priceUsage(ladder, 12_000).lines.map((l) => l.text)).toEqual(['tier 1: 1000 × 0.5', 'tier 2: 9000 × 0.35', 'tier 3: 2000 × 0.2']);
  });

  it.each<[string, UsagePricingTerms['tiers'], string, string]>([
    ['no tier', [], Code.InvalidTiers, 'pricing.tiers'],
    ['an open tier in the middle', [{ upTo: null, unitPrice: 1 }, { upTo: null, unitPrice: 1 }], Code.InvalidTiers, 'pricing.tiers[0].upTo'],
    ['a closed last tier (10,001 units would have no price)', [{ upTo: 10_000, unitPrice: 1 }], Code.InvalidTiers, 'pricing.tiers[0].upTo'],
    ['tiers not rising', [{ upTo: 100, unitPrice: 1 }, { upTo: 100, unitPrice: 1 }, { upTo: null, unitPrice: 1 }], Code.InvalidTiers, 'pricing.tiers[1].upTo'],
    ['a unit price finer than a millionth', [{ upTo: null, unitPrice: 0.0000005 }], Code.TooPrecise, 'pricing.tiers[0].unitPrice'],
    ['a fractional break', [{ upTo: 10.5, unitPrice: 1 }, { upTo: null, unitPrice: 1 }], Code.NotSafeInteger, 'pricing.tiers[0].upTo'],
  ])('rejects %s', (_name, tiers, code, field) => {
    expect(() => priceUsage({ ...ladder, tiers }, 1)).toThrow(expect.objectContaining({ code, field }));
  });

  it('rejects a fractional or negative quantity', () => {
    expect(() => priceUsage(ladder, 1.5)).toThrow(expect.objectContaining({ field: 'quantity' }));
    expect(() => priceUsage(ladder, -1)).toThrow(expect.objectContaining({ field: 'quantity' }));
  });
});
