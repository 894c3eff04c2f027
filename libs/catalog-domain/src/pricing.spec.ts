import { CatalogDomainErrorCode as Code } from './errors';
import { firstYearValue, seatsFor, termPrice, validatePricing, type Pricing } from './pricing';

const coaching: Pricing = { kind: 'subscription', currency: 'EUR', billingPeriod: 'month', unit: 'seat', unitPrice: 4_900, minSeats: 5 };

describe('prices of the four kinds', () => {
  it.each<[string, Pricing, number, number, number]>([
    ['one-off health check, EUR 4,800: its price', { kind: 'one-off', currency: 'EUR', price: 480_000 }, 0, 480_000, 480_000],
    ['CSM coaching, EUR 49 a seat a month, 8 seats: 392 a month, 4,704 a year', coaching, 8, 39_200, 470_400],
    ['annual review visits, EUR 6,000 flat a year', { kind: 'subscription', currency: 'EUR', billingPeriod: 'year', unit: 'flat', unitPrice: 600_000 }, 0, 600_000, 600_000],
    ['forecasting, usage with a EUR 500 monthly minimum: 6,000 a year before usage', { kind: 'usage', currency: 'EUR', billingPeriod: 'month', metric: 'forecast-runs', model: 'tiered', tiers: [{ upTo: null, unitPrice: 1 }], minimumCharge: 50_000 }, 0, 50_000, 600_000],
  ])('%s', (_name, pricing, seats, term, year) => {
    validatePricing(pricing);
    expect([termPrice(pricing, seats), firstYearValue(pricing, seats)]).toEqual([term, year]);
  });

  it('an outcome contract is worth its base fee per settlement period: EUR 9,000 a quarter → 36,000 a year', () => {
    const p: Pricing = {
      kind: 'outcome', currency: 'EUR', billingPeriod: 'year', kpi: { key: 'complaint-rate', name: 'Complaint rate', unit: '%' }, target: 2, direction: 'lowerIsBetter',
      settlementPeriod: 'quarter', aggregation: 'mean', baseFee: 900_000, bands: [], caps: { maxBonus: 0, maxMalus: 0 },
    };
    validatePricing(p);
    expect(firstYearValue(p)).toBe(3_600_000);
  });

  it('seats: a per-seat plan holds at least its minimum (5 by default here), a flat plan none', () => {
    expect(seatsFor(coaching, undefined)).toBe(5);
    expect(seatsFor(coaching, 12)).toBe(12);
    expect(() => seatsFor(coaching, 4)).toThrow(expect.objectContaining({ field: 'seats' }));
    expect(() => seatsFor({ kind: 'one-off', currency: 'EUR', price: 1 }, 3)).toThrow(expect.objectContaining({ code: Code.Conflict, field: 'seats' }));
  });

  it.each<[string, Pricing, string, string]>([
    ['minimum seats on a flat price', { kind: 'subscription', currency: 'EUR', billingPeriod: 'month', unit: 'flat', unitPrice: 1, minSeats: 2 }, Code.Conflict, 'pricing.minSeats'],
    ['a one-off valid for 0 days', { kind: 'one-off', currency: 'EUR', price: 1, validityDays: 0 }, Code.OutOfRange, 'pricing.validityDays'],
    ['an unknown currency', { kind: 'one-off', currency: 'XYZ', price: 1 }, Code.InvalidCurrency, 'pricing.currency'],
  ])('rejects %s', (_name, pricing, code, field) => {
    expect(() => validatePricing(pricing)).toThrow(expect.objectContaining({ code, field }));
  });
});
