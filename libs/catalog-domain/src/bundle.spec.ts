import { CatalogDomainErrorCode as Code } from './errors';
import { priceBundle, type BundleComponentPrice } from './bundle';

const eur = (key: string, listPrice: number): BundleComponentPrice => ({ key, currency: 'EUR', listPrice });
const solution = [eur('bi', 120_000), eur('mobile', 60_000), eur('health-check', 20_000)];

describe('bundle pricing and unbundling', () => {
  it('15 % off 1,200 + 600 + 200 = 2,000 → 1,700, split 1,020 / 510 / 170; the health check alone is the entry price, 200', () => {
    const b = priceBundle({ currency: 'EUR', components: solution, discount: { percent: 15 } });
    expect([b.listTotal, b.discount, b.total]).toEqual([200_000, 30_000, 170_000]);
    expect(b.components.map((c) => c.bundlePrice)).toEqual([102_000, 51_000, 17_000]);
    expect([b.entryPrice, b.entryComponent]).toEqual([20_000, 'health-check']);
  });

  it('a fixed 100 off three components of 100: 200 split 67 / 67 / 66 (largest remainder, ties to the earlier), adding up exactly', () => {
    const b = priceBundle({ currency: 'EUR', components: [eur('a', 100), eur('b', 100), eur('c', 100)], discount: { amount: 100 } });
    expect(b.components.map((c) => c.bundlePrice)).toEqual([67, 67, 66]);
    expect(b.total).toBe(200);
  });

  it.each([
    // 1,004 × 12.5 % = 125.5 → 126 (even).
    ['12.5 % of 1,004 = 125.5 → 126 (half to even)', [eur('a', 1_000), eur('b', 4)], 12.5, 126],
    // 1,002 × 12.5 % = 125.25 → 125.
    ['12.5 % of 1,002 = 125.25 → 125', [eur('a', 1_000), eur('b', 2)], 12.5, 125],
    // 33,333 × 10 % = 3,333.3 → 3,333.
    ['10 % of 333.33 = 33.333 → 33.33', [eur('a', 33_000), eur('b', 333)], 10, 3_333],
  ])('%s', (_name, components, percent, discount) => {
    expect(priceBundle({ currency: 'EUR', components, discount: { percent } }).discount).toBe(discount);
  });

  it('explains the list, the discount and the entry price', () => {
    expect(priceBundle({ currency: 'EUR', components: solution, discount: { percent: 15 } }).lines).toEqual([
      'components alone: EUR 1,200.00 + EUR 600.00 + EUR 200.00 = EUR 2,000.00',
      'bundle discount 15%: −EUR 300.00',
      'bundle price EUR 1,700.00; the cheapest component alone costs EUR 200.00',
    ]);
  });

  it.each<[string, Parameters<typeof priceBundle>[0], string, string]>([
    ['a discount above the list total', { currency: 'EUR', components: solution, discount: { amount: 200_001 } }, Code.InvalidDiscount, 'discount.amount'],
    ['both a percent and an amount', { currency: 'EUR', components: solution, discount: { percent: 5, amount: 5 } as never }, Code.InvalidDiscount, 'discount'],
    ['a percent over 100', { currency: 'EUR', components: solution, discount: { percent: 101 } }, Code.OutOfRange, 'discount.percent'],
    ['a percent with 3 decimals', { currency: 'EUR', components: solution, discount: { percent: 12.125 } }, Code.InvalidDiscount, 'discount.percent'],
    ['a component in another currency', { currency: 'EUR', components: [...solution, { key: 'x', currency: 'CNY', listPrice: 1 }], discount: { percent: 1 } }, Code.CurrencyMismatch, 'components[3].currency'],
    ['a single component', { currency: 'EUR', components: [eur('a', 1)], discount: { percent: 1 } }, Code.OutOfRange, 'components'],
  ])('rejects %s', (_name, input, code, field) => {
    expect(() => priceBundle(input)).toThrow(expect.objectContaining({ code, field }));
  });
});
