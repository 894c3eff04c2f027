import { assertFinite, assertMinorUnits, fail } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';

/**
 * Money in integer minor units (cents, fen…), always a safe integer. Plain `number`
 * rather than `bigint` so results stay plain JSON; every product with a rate is
 * computed exactly in `bigint` and rounded once, in {@link applyRatio}.
 */
export type Money = number;

/** An exact rational `num / den` with `den > 0`; used to chain rates without float error. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * The exact rational of a number's shortest decimal form, i.e. what was typed:
 * `0.1` becomes exactly 1/10, not the binary double 0.1000000000000000055….
 */
export function ratio(value: number, field = 'value'): Ratio {
  assertFinite(value, field, CHECK_CODES);
  if (Number.isSafeInteger(value)) return { num: BigInt(value), den: 1n };
  // String() gives the shortest round-trip decimal; finite numbers always match.
  const m = DECIMAL.exec(String(value)) as RegExpExecArray;
  const [, sign, int, frac = '', exp = '0'] = m;
  let num = BigInt(int + frac);
  let den = pow10(frac.length);
  const e = Number(exp);
  if (e >= 0) num *= pow10(e);
  else den *= pow10(-e);
  return { num: sign === '-' ? -num : num, den };
}

/** 10ⁿ as a bigint; the exponents a double's decimal form can need (0…~345) are kept once made. */
const POWERS_OF_TEN: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let k = POWERS_OF_TEN.length; k <= n; k++) POWERS_OF_TEN.push(POWERS_OF_TEN[k - 1]! * 10n);
  return POWERS_OF_TEN[n]!;
}

export const ZERO: Ratio = { num: 0n, den: 1n };
export const ONE: Ratio = { num: 1n, den: 1n };

export function fromInteger(n: number | bigint): Ratio {
  return { num: BigInt(n), den: 1n };
}

export function mul(a: Ratio, b: Ratio): Ratio {
  return { num: a.num * b.num, den: a.den * b.den };
}

export function add(a: Ratio, b: Ratio): Ratio {
  return a.den === b.den ? { num: a.num + b.num, den: a.den } : { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function sub(a: Ratio, b: Ratio): Ratio {
  return add(a, { num: -b.num, den: b.den });
}

/** a / b; the caller guarantees b ≠ 0. */
export function div(a: Ratio, b: Ratio): Ratio {
  const sign = b.num < 0n ? -1n : 1n;
  return { num: a.num * b.den * sign, den: a.den * b.num * sign };
}

/** -1, 0 or 1 as a compares to b. */
export function compare(a: Ratio, b: Ratio): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Nearest double, for reporting counts and percentages (never for money). */
export function toNumber(r: Ratio): number {
  // Scale the quotient so huge numerators/denominators keep ~15 significant digits.
  const scale = 10n ** 18n;
  const q = (r.num * scale) / r.den;
  return Number(q) / 1e18;
}

/**
 * Rounds `num / den` (den > 0) to the nearest integer, ties to even (banker's rounding),
 * so repeated settlements do not drift upward on .5 cases.
 */
export function roundHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += 1n;
  return q;
}

function toMoney(value: bigint, field: string): Money {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    fail(Code.Overflow, field, 'money result exceeds the safe integer range');
  }
  return Number(value);
}

/**
 * THE place a rate multiplies money: `amount × r`, exact in bigint, rounded once
 * half to even. Every money result of this library goes through here.
 */
export function applyRatio(amount: Money, r: Ratio, field = 'amount'): Money {
  assertMinorUnits(amount, field, CHECK_CODES);
  return toMoney(roundHalfEven(BigInt(amount) * r.num, r.den), field);
}

/** `amount × rate` for a plain number rate, taken at its decimal value (see {@link ratio}). */
export function applyRate(amount: Money, rate: number, field = 'amount'): Money {
  return applyRatio(amount, ratio(rate, field), field);
}

/** Checked integer sum of money amounts. */
export function sumMoney(amounts: readonly Money[], field = 'amount'): Money {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return toMoney(total, field);
}

/**
 * Splits `amount × Σ shares` into one money part per share: the total is rounded once
 * half to even, then distributed by largest remainder (ties to the earlier share) so
 * the parts add up to the total exactly. Shares must be non-negative.
 */
export function apportion(amount: Money, shares: readonly Ratio[], field = 'amount'): { total: Money; parts: Money[] } {
  assertMinorUnits(amount, field, CHECK_CODES, 0);
  const a = BigInt(amount);
  const totalShare = shares.reduce(add, ZERO);
  const total = roundHalfEven(a * totalShare.num, totalShare.den);
  const floors = shares.map((s) => (a * s.num) / s.den);
  // Remainders compared as fractions over each share's own denominator.
  const rems = shares.map((s, i) => ({ i, num: a * s.num - floors[i] * s.den, den: s.den }));
  let left = total - floors.reduce((x, y) => x + y, 0n);
  rems.sort((x, y) => {
    const l = x.num * y.den;
    const r = y.num * x.den;
    return l > r ? -1 : l < r ? 1 : x.i - y.i;
  });
  const parts = [...floors];
  for (const rem of rems) {
    if (left <= 0n) break;
    parts[rem.i] += 1n;
    left -= 1n;
  }
  return { total: toMoney(total, field), parts: parts.map((p) => toMoney(p, field)) };
}
