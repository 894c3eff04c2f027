import { CatalogDomainErrorCode as Code } from './errors';
import { assertCurrency, formatMoney, minorUnitDigits, roundMoney, toMinorUnits, unitPrice } from './money';

describe('currencies and the one rounding rule (half to even, once, at the minor unit)', () => {
  it.each([
    ['EUR has cents', 'EUR', 2],
    ['CNY has fen', 'CNY', 2],
    ['JPY has no minor unit', 'JPY', 0],
    ['BHD has 1,000 fils to the dinar', 'BHD', 3],
    ['CLF has 4 decimals', 'CLF', 4],
  ])('%s: %s → %i digits', (_name, currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each([
    ['"12.345" EUR is 1,234.5 cents: a tie, rounds to the even 1,234', '12.345', 'EUR', 1234],
    ['"12.355" EUR is 1,235.5 cents: a tie, rounds to the even 1,236', '12.355', 'EUR', 1236],
    ['"12.3451" EUR is past the tie: 1,235', '12.3451', 'EUR', 1235],
    ['"1234.5" JPY (no minor unit) rounds to the even 1,234', '1234.5', 'JPY', 1234],
    ['"1235.5" JPY rounds to the even 1,236', '1235.5', 'JPY', 1236],
    ['"1.2345" BHD is 1,234.5 fils: 1,234', '1.2345', 'BHD', 1234],
    ['"-0.005" EUR is −0.5 cents: −0 → 0', '-0.005', 'EUR', 0],
    ['"99" CNY is 9,900 fen', '99', 'CNY', 9900],
  ])('%s', (_name, major, currency, minor) => {
    expect(toMinorUnits(major, currency)).toBe(minor);
  });

  it('rounds an exact rational once: 2.5 → 2, 3.5 → 4, −2.5 → −2 (banker’s rounding: ties never drift one way)', () => {
    expect([roundMoney({ num: 5n, den: 2n }), roundMoney({ num: 7n, den: 2n }), roundMoney({ num: -5n, den: 2n })]).toEqual([2, 4, -2]);
  });

  it.each([
    ['EUR 1,234.56', 123456, 'EUR'],
    ['JPY 1,235', 1235, 'JPY'],
    ['BHD 1.235', 1235, 'BHD'],
    ['EUR 0.05', 5, 'EUR'],
    ['−CNY 12.00', -1200, 'CNY'],
  ])('formats %s', (text, amount, currency) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });

  it('takes a unit price of 0.35 minor units exactly (35/100), and refuses a ten-millionth', () => {
    expect(unitPrice(0.35, 'p')).toEqual({ num: 35n, den: 100n });
    expect(() => unitPrice(0.0000001, 'tiers[0].unitPrice')).toThrow(expect.objectContaining({ code: Code.TooPrecise, field: 'tiers[0].unitPrice' }));
    expect(() => unitPrice(-1, 'p')).toThrow(expect.objectContaining({ code: Code.OutOfRange }));
  });

  it.each(['eur', 'EURO', 'XAU', '', 42])('refuses %j as a currency', (c) => {
    expect(() => assertCurrency(c, 'pricing.currency')).toThrow(expect.objectContaining({ field: 'pricing.currency' }));
  });
});
