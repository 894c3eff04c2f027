import { assertMinorUnits, assertString, fail } from '@steward/domain-kernel';
import { ratio, roundHalfEven, type Money, type Ratio } from '@steward/value-domain';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';

export type { Money, Ratio };

/**
 * ISO 4217 active currencies and their minor-unit exponents (digits after the decimal point):
 * 2 unless listed under 0, 3 or 4. Amounts are always integers in minor units: 1 = one cent,
 * one fen, one yen (JPY has no minor unit), one fils (BHD has 1,000 per dinar).
 */
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP ' +
  'CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK ' +
  'LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD ' +
  'RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ' +
  'ZAR ZMW ZWG';

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...EXPONENT_2.split(' ').map((c) => [c, 2] as const),
  ...EXPONENT_0.split(' ').map((c) => [c, 0] as const),
  ...EXPONENT_3.split(' ').map((c) => [c, 3] as const),
  ...EXPONENT_4.split(' ').map((c) => [c, 4] as const),
]);

/** Every currency code this library accepts, sorted. */
export const CURRENCIES: readonly string[] = [...EXPONENTS.keys()].sort();

/** Digits of the currency's minor unit (EUR 2, JPY 0, BHD 3); throws for an unknown code. */
export function minorUnitDigits(currency: unknown, field = 'currency'): number {
  assertCurrency(currency, field);
  return EXPONENTS.get(currency) as number;
}

export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && EXPONENTS.has(value);
}

export function assertCurrency(value: unknown, field = 'currency'): asserts value is string {
  assertString(value, field, CHECK_CODES);
  if (!EXPONENTS.has(value)) fail(Code.InvalidCurrency, field, `must be an active ISO 4217 code (EUR, CNY, USD, JPY…), got ${JSON.stringify(value.slice(0, 10))}`);
}

/** All amounts of one computation must share a currency. */
export function assertSameCurrency(expected: string, actual: string, field: string): void {
  if (actual !== expected) fail(Code.CurrencyMismatch, field, `is in ${actual}, expected ${expected} like the rest`);
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * THE rounding of this library: an exact rational amount of minor units rounded once, half
 * to even, to a whole minor unit (value-domain's `roundHalfEven`: 2.5 → 2, 3.5 → 4). Every
 * computed price (a fraction of a period, a fractional unit price times a quantity, a
 * percentage discount) is computed exactly first and goes through here exactly once.
 */
export function roundMoney(amount: Ratio, field = 'amount'): Money {
  const v = roundHalfEven(amount.num, amount.den);
  if (v > MAX || v < -MAX) fail(Code.Overflow, field, 'money result exceeds the safe integer range');
  return Number(v);
}

/** Exact rational arithmetic on minor units (no rounding until {@link roundMoney}). */
export const q = {
  of: (n: number | bigint): Ratio => ({ num: BigInt(n), den: 1n }),
  /** A number at its shortest decimal form: 0.35 is exactly 35/100. */
  dec: (n: number, field = 'value'): Ratio => ratio(n, field),
  frac: (num: number | bigint, den: number | bigint): Ratio => ({ num: BigInt(num), den: BigInt(den) }),
  add: (a: Ratio, b: Ratio): Ratio => (a.den === b.den ? { num: a.num + b.num, den: a.den } : { num: a.num * b.den + b.num * a.den, den: a.den * b.den }),
  mul: (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.num, den: a.den * b.den }),
  cmp: (a: Ratio, b: Ratio): number => {
    const l = a.num * b.den;
    const r = b.num * a.den;
    return l < r ? -1 : l > r ? 1 : 0;
  },
};

/** Checked integer sum of minor-unit amounts. */
export function sumMoney(amounts: readonly Money[], field = 'amount'): Money {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  if (total > MAX || total < -MAX) fail(Code.Overflow, field, 'money result exceeds the safe integer range');
  return Number(total);
}

/** At most a millionth of a minor unit: a unit price like 0.35 fen per call, or 12.5 cents per GB. */
export const UNIT_PRICE_DECIMALS = 6;

/** A unit price in (possibly fractional) minor units, ≥ 0, with at most 6 decimals, as an exact ratio. */
export function unitPrice(value: unknown, field: string): Ratio {
  if (typeof value !== 'number') return fail(Code.InvalidType, field, 'expected a number of minor units');
  if (!Number.isFinite(value)) return fail(Code.NotFinite, field, 'must be finite');
  if (value < 0 || value > 1e12) return fail(Code.OutOfRange, field, `must be in [0, 1e12] minor units, got ${value}`);
  const r = ratio(value, field);
  if (r.den > 10n ** BigInt(UNIT_PRICE_DECIMALS)) return fail(Code.TooPrecise, field, `at most ${UNIT_PRICE_DECIMALS} decimals of a minor unit, got ${value}`);
  return r;
}

/** A whole, non-negative amount in minor units. */
export function assertAmount(value: unknown, field: string): asserts value is Money {
  assertMinorUnits(value, field, CHECK_CODES, 0);
}

/**
 * A decimal amount in major units ("12.345" EUR) to minor units, rounded once half to even
 * at the currency's minor unit: "12.345" EUR → 1234, "12.355" EUR → 1236, "1234.5" JPY → 1234,
 * "1.2345" BHD → 1234. For importing prices written by people; the API itself takes minor units.
 */
export function toMinorUnits(major: string, currency: string, field = 'amount'): Money {
  const digits = minorUnitDigits(currency, 'currency');
  if (typeof major !== 'string' || !/^-?\d{1,15}(\.\d{1,12})?$/.test(major)) return fail(Code.InvalidType, field, 'expected a decimal like "1234.56"');
  const [int, frac = ''] = major.replace('-', '').split('.');
  const num = BigInt(int + frac) * 10n ** BigInt(digits);
  const value = roundMoney({ num: major.startsWith('-') ? -num : num, den: 10n ** BigInt(frac.length) }, field);
  return value;
}

/** `EUR 1,234.56`, `JPY 1,235`, `BHD 1.235`: for explanation lines, never for arithmetic. */
export function formatMoney(amount: Money, currency: string): string {
  const digits = EXPONENTS.get(currency) ?? 2;
  const neg = amount < 0;
  const abs = BigInt(Math.abs(amount)).toString().padStart(digits + 1, '0');
  const int = abs.slice(0, abs.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = digits ? `.${abs.slice(abs.length - digits)}` : '';
  return `${neg ? '−' : ''}${currency} ${int}${frac}`;
}
