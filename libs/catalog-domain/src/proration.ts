import { fail } from '@steward/domain-kernel';
import { CatalogDomainErrorCode as Code } from './errors';
import { assertAmount, assertCurrency, formatMoney, q, roundMoney, type Money } from './money';
import { instant } from './periods';

/** A change of a running subscription (price, plan version or seats) in the middle of a term. */
export interface ProrationInput {
  currency: string;
  /** The current term [start, end): ISO instants. */
  termStart: string;
  termEnd: string;
  /** When the change takes effect; inside the term. */
  changeAt: string;
  /** The price of the whole term before and after the change, minor units. */
  oldTermPrice: Money;
  newTermPrice: Money;
}

export interface Proration {
  currency: string;
  /** Share of the term left at the change, as days (fractional when the change is not at midnight). */
  remainingDays: number;
  termDays: number;
  /** The unused part of the old price, given back. */
  credit: Money;
  /** The new price for the rest of the term. */
  charge: Money;
  /** charge − credit: positive = the customer pays, negative = the customer is owed. */
  net: Money;
  lines: string[];
}

const DAY = 86_400_000;

/**
 * Time-based proration: credit = old term price × remaining / term, charge = new term price ×
 * remaining / term, each computed exactly and rounded once, half to even; net = charge − credit.
 * "Remaining" is measured in milliseconds from the change to the term's end, so a change at
 * midnight on day 11 of a 30-day term leaves exactly 20/30.
 */
export function prorateChange(input: ProrationInput): Proration {
  assertCurrency(input.currency);
  const start = instant(input.termStart, 'termStart');
  const end = instant(input.termEnd, 'termEnd');
  const at = instant(input.changeAt, 'changeAt');
  if (end <= start) fail(Code.InvalidTimestamp, 'termEnd', 'must be after termStart');
  if (at < start || at >= end) fail(Code.OutOfRange, 'changeAt', `must fall inside the current term [${input.termStart}, ${input.termEnd})`);
  assertAmount(input.oldTermPrice, 'oldTermPrice');
  assertAmount(input.newTermPrice, 'newTermPrice');
  const remaining = q.frac(end - at, end - start);
  const credit = roundMoney(q.mul(q.of(input.oldTermPrice), remaining), 'credit');
  const charge = roundMoney(q.mul(q.of(input.newTermPrice), remaining), 'charge');
  const remainingDays = (end - at) / DAY;
  const termDays = (end - start) / DAY;
  const f = (m: Money) => formatMoney(m, input.currency);
  return {
    currency: input.currency,
    remainingDays,
    termDays,
    credit,
    charge,
    net: charge - credit,
    lines: [
      `${remainingDays} of ${termDays} days of the term remain`,
      `credit ${f(credit)} = ${f(input.oldTermPrice)} × ${remainingDays}/${termDays}`,
      `charge ${f(charge)} = ${f(input.newTermPrice)} × ${remainingDays}/${termDays}`,
      `net ${f(charge - credit)}`,
    ],
  };
}
