import { assertKnownKeys, assertMinorUnits, assertObject, assertRange } from '@steward/domain-kernel';
import { CHECK_CODES } from './errors';
import { add, applyRatio, div, fromInteger, mul, ONE, ratio, type Ratio, type Money } from './money';

/** Inputs of {@link lifetimeValue}. */
export interface LifetimeValueInput {
  /** Gross margin the account brings in its first year, minor units (may be negative). */
  annualMargin: Money;
  /** Yearly margin growth g, in [-1, 1] (−0.1 = shrinks 10 % a year). */
  growthRate: number;
  /** Yearly retention r, in [0, 1]: chance the account is still a customer next year. */
  retentionRate: number;
  /** Yearly discount rate d, in [0, 1]. */
  discountRate: number;
}

/** CLV over the 1-, 2- and 3-year horizons (DOMAIN.md: a B2B customer life here is ~3 years). */
export interface LifetimeValue {
  oneYear: Money;
  twoYears: Money;
  threeYears: Money;
  /** Discounted expected margin of each year t = 1..3 (unrounded would sum to the horizons; see README). */
  byYear: [number, number, number];
}

const KEYS = ['annualMargin', 'growthRate', 'retentionRate', 'discountRate'] as const;

/**
 * Customer lifetime value, CLV_T = Σ_{t=1..T} m·(1+g)^(t−1)·r^(t−1)/(1+d)^t.
 *
 * Convention: year 1 is retained with certainty (r^0 = 1) — the account is a customer
 * today — and every year's margin arrives at the end of the year, so even year 1 is
 * discounted once. Each horizon is computed exactly and rounded once, half to even.
 */
export function lifetimeValue(input: LifetimeValueInput): LifetimeValue {
  assertObject(input, 'input', CHECK_CODES);
  assertKnownKeys(input, KEYS, '', CHECK_CODES);
  assertMinorUnits(input.annualMargin, 'annualMargin', CHECK_CODES);
  assertRange(input.growthRate, -1, 1, 'growthRate', CHECK_CODES);
  assertRange(input.retentionRate, 0, 1, 'retentionRate', CHECK_CODES);
  assertRange(input.discountRate, 0, 1, 'discountRate', CHECK_CODES);

  const grow = add(ONE, ratio(input.growthRate));
  const keep = ratio(input.retentionRate);
  const disc = add(ONE, ratio(input.discountRate));

  // factor_t = (1+g)^(t−1)·r^(t−1)/(1+d)^t, exact.
  const factors: Ratio[] = [];
  let carried = ONE; // (1+g)^(t−1)·r^(t−1)
  let discount = disc; // (1+d)^t
  for (let t = 1; t <= 3; t++) {
    factors.push(div(carried, discount));
    carried = mul(carried, mul(grow, keep));
    discount = mul(discount, disc);
  }
  const cumulative = [factors[0], add(factors[0], factors[1]), add(add(factors[0], factors[1]), factors[2])];
  const [oneYear, twoYears, threeYears] = cumulative.map((f) => applyRatio(input.annualMargin, f, 'annualMargin'));
  const m = fromInteger(input.annualMargin);
  const byYear = factors.map((f) => toFixed2(mul(m, f))) as [number, number, number];
  return { oneYear, twoYears, threeYears, byYear };
}

// Per-year figures are explanatory, shown to two decimals of a minor unit.
function toFixed2(r: Ratio): number {
  return Number(applyRatio(100, r)) / 100;
}
