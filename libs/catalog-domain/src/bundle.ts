import { assertArray, assertKnownKeys, assertObject, assertRange, assertString, DomainError, fail } from '@steward/domain-kernel';
import { apportion } from '@steward/value-domain';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';
import { assertAmount, assertCurrency, assertSameCurrency, formatMoney, q, roundMoney, type Money } from './money';

/** A component's price when sold alone (its first-year value, see `firstYearValue`). */
export interface BundleComponentPrice {
  key: string;
  currency: string;
  listPrice: Money;
}

/** A bundle discount: a percentage of the components' list total, or a fixed amount off it. */
export type BundleDiscount = { percent: number } | { amount: Money };

export interface BundlePrice {
  currency: string;
  /** Σ component list prices. */
  listTotal: Money;
  discount: Money;
  /** listTotal − discount. */
  total: Money;
  /** Each component's share of the bundle price (proportional to its list price, adding up to `total`). */
  components: Array<{ key: string; listPrice: Money; bundlePrice: Money }>;
  /** The cheapest way in: the lowest list price of a component sold alone (unbundled). */
  entryPrice: Money;
  entryComponent: string;
  lines: string[];
}

/**
 * Prices a bundle from its components' list prices. A percentage discount is computed exactly
 * and rounded once, half to even; the bundle price is then split over the components by their
 * list prices (largest remainder, so the parts add up to it exactly). Unbundling: any component
 * is also sold alone at its list price, so the entry price is the cheapest component's.
 */
export function priceBundle(input: { currency: string; components: BundleComponentPrice[]; discount: BundleDiscount }): BundlePrice {
  assertObject(input, 'input', CHECK_CODES);
  assertCurrency(input.currency);
  assertArray(input.components, 'components', CHECK_CODES);
  if (input.components.length < 2) fail(Code.OutOfRange, 'components', 'a bundle has at least 2 components');
  input.components.forEach((c, i) => {
    assertObject(c, `components[${i}]`, CHECK_CODES);
    assertString(c.key, `components[${i}].key`, CHECK_CODES);
    assertCurrency(c.currency, `components[${i}].currency`);
    assertSameCurrency(input.currency, c.currency, `components[${i}].currency`);
    assertAmount(c.listPrice, `components[${i}].listPrice`);
  });
  const listTotal = input.components.reduce((s, c) => s + c.listPrice, 0);
  if (!Number.isSafeInteger(listTotal)) fail(Code.Overflow, 'components', 'the list total exceeds the safe integer range');
  const discount = discountOf(input.discount, listTotal, input.currency);
  const total = listTotal - discount;
  const parts = listTotal === 0 ? input.components.map(() => 0) : apportion(total, input.components.map((c) => q.frac(c.listPrice, listTotal))).parts;
  const entry = input.components.reduce((best, c) => (c.listPrice < best.listPrice ? c : best));
  const f = (m: Money) => formatMoney(m, input.currency);
  return {
    currency: input.currency,
    listTotal,
    discount,
    total,
    components: input.components.map((c, i) => ({ key: c.key, listPrice: c.listPrice, bundlePrice: parts[i] })),
    entryPrice: entry.listPrice,
    entryComponent: entry.key,
    lines: [
      `components alone: ${input.components.map((c) => f(c.listPrice)).join(' + ')} = ${f(listTotal)}`,
      'percent' in input.discount ? `bundle discount ${input.discount.percent}%: −${f(discount)}` : `bundle discount: −${f(discount)}`,
      `bundle price ${f(total)}; the cheapest component alone costs ${f(entry.listPrice)}`,
    ],
  };
}

function discountOf(d: BundleDiscount, listTotal: Money, currency: string): Money {
  assertObject(d, 'discount', CHECK_CODES);
  assertKnownKeys(d, ['percent', 'amount'], 'discount', CHECK_CODES);
  const has = ['percent', 'amount'].filter((k) => (d as Record<string, unknown>)[k] !== undefined);
  if (has.length !== 1) fail(Code.InvalidDiscount, 'discount', 'give exactly one of percent and amount');
  if ('percent' in d && d.percent !== undefined) {
    assertRange(d.percent, 0, 100, 'discount.percent', CHECK_CODES);
    if (Math.round(d.percent * 100) !== d.percent * 100) fail(Code.InvalidDiscount, 'discount.percent', 'at most 2 decimals');
    return roundMoney(q.mul(q.of(listTotal), q.mul(q.dec(d.percent, 'discount.percent'), q.frac(1, 100))), 'discount');
  }
  const amount = (d as { amount: Money }).amount;
  assertAmount(amount, 'discount.amount');
  if (amount > listTotal) throw new DomainError(Code.InvalidDiscount, 'discount.amount', `must not exceed the components' list total ${formatMoney(listTotal, currency)}`);
  return amount;
}
