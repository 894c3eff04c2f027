import { CatalogDomainErrorCode as Code } from './errors';
import { prorateChange, type ProrationInput } from './proration';

const april: Omit<ProrationInput, 'changeAt' | 'oldTermPrice' | 'newTermPrice'> = { currency: 'EUR', termStart: '2026-04-01T00:00:00Z', termEnd: '2026-05-01T00:00:00Z' };

describe('proration of a change in the middle of a term', () => {
  it.each<[string, ProrationInput, number, number, number]>([
    // 20 of 30 days left: 300,000 × 20/30 = 200,000; 600,000 × 20/30 = 400,000.
    ['upgrade EUR 3,000 → 6,000 a month on 11 April 00:00 (20 of 30 days left): credit 2,000, charge 4,000, pay 2,000', { ...april, changeAt: '2026-04-11T00:00:00Z', oldTermPrice: 300_000, newTermPrice: 600_000 }, 200_000, 400_000, 200_000],
    // 19.5 of 30 days: 300,000 × 19.5/30 = 195,000.
    ['the same change at noon leaves 19.5 of 30 days: credit 1,950, charge 3,900', { ...april, changeAt: '2026-04-11T12:00:00Z', oldTermPrice: 300_000, newTermPrice: 600_000 }, 195_000, 390_000, 195_000],
    // 91 of 365 days: 120,000 × 91/365 = 29,917.81 → 29,918; 60,000 × 91/365 = 14,958.90 → 14,959.
    ['downgrade EUR 1,200 → 600 a year on 2 Oct 2026 (91 of 365 days left): credit 299.18, charge 149.59, owed 149.59', { currency: 'EUR', termStart: '2026-01-01T00:00:00Z', termEnd: '2027-01-01T00:00:00Z', changeAt: '2026-10-02T00:00:00Z', oldTermPrice: 120_000, newTermPrice: 60_000 }, 29_918, 14_959, -14_959],
    // February 2026 has 28 days; 14 left: 10 seats × 2,500 = 25,000 → 12,500; 15 × 2,500 = 37,500 → 18,750.
    ['10 → 15 seats at EUR 25 each on 15 Feb 2026 (14 of 28 days left): credit 125, charge 187.50, pay 62.50', { currency: 'EUR', termStart: '2026-02-01T00:00:00Z', termEnd: '2026-03-01T00:00:00Z', changeAt: '2026-02-15T00:00:00Z', oldTermPrice: 25_000, newTermPrice: 37_500 }, 12_500, 18_750, 6_250],
    // 15 of 30 days: ¥1,001 × ½ = 500.5 → 500 (even); ¥1,003 × ½ = 501.5 → 502 (even).
    ['JPY 1,001 → 1,003 halfway through June: 500.5 rounds to 500 and 501.5 to 502 (half to even, whole yen)', { currency: 'JPY', termStart: '2026-06-01T00:00:00Z', termEnd: '2026-07-01T00:00:00Z', changeAt: '2026-06-16T00:00:00Z', oldTermPrice: 1_001, newTermPrice: 1_003 }, 500, 502, 2],
    ['a change on the first instant of the term credits and charges the whole term', { ...april, changeAt: '2026-04-01T00:00:00Z', oldTermPrice: 300_000, newTermPrice: 450_000 }, 300_000, 450_000, 150_000],
  ])('%s', (_name, input, credit, charge, net) => {
    const p = prorateChange(input);
    expect([p.credit, p.charge, p.net]).toEqual([credit, charge, net]);
  });

  it('explains the days and each amount', () => {
    expect(prorateChange({ ...april, changeAt: '2026-04-11T00:00:00Z', oldTermPrice: 300_000, newTermPrice: 600_000 }).lines).toEqual([
      '20 of 30 days of the term remain',
      'credit EUR 2,000.00 = EUR 3,000.00 × 20/30',
      'charge EUR 4,000.00 = EUR 6,000.00 × 20/30',
      'net EUR 2,000.00',
    ]);
  });

  it.each<[string, Partial<ProrationInput>, string, string]>([
    ['a change at the term end (it belongs to the next term)', { changeAt: '2026-05-01T00:00:00Z' }, Code.OutOfRange, 'changeAt'],
    ['a change before the term', { changeAt: '2026-03-31T23:59:59Z' }, Code.OutOfRange, 'changeAt'],
    ['a negative price', { oldTermPrice: -1 }, Code.OutOfRange, 'oldTermPrice'],
    ['a fractional price', { newTermPrice: 10.5 }, Code.NotSafeInteger, 'newTermPrice'],
    ['an unknown currency', { currency: 'EURO' }, Code.InvalidCurrency, 'currency'],
    ['a term that ends before it starts', { termEnd: '2026-03-01T00:00:00Z' }, Code.InvalidTimestamp, 'termEnd'],
  ])('rejects %s', (_name, overrides, code, field) => {
    expect(() => prorateChange({ ...april, changeAt: '2026-04-11T00:00:00Z', oldTermPrice: 1, newTermPrice: 1, ...overrides })).toThrow(expect.objectContaining({ code, field }));
  });
});
