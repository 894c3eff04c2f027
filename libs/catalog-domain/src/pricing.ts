import { assertIntegerInRange, assertObject, assertOneOf, fail, fieldPath } from '@steward/domain-kernel';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';
import { assertAmount, assertCurrency, q, roundMoney, type Money } from './money';
import { validateOutcomeTerms, type OutcomeTerms } from './outcome';
import { perYear, TERM_UNITS, type TermUnit } from './periods';
import { validateUsageTerms, type UsagePricingTerms } from './usage';

/** The four ways a plan is priced (DOMAIN.md §3). WARNING: wire values. */
export const PRICING_KINDS = ['one-off', 'subscription', 'usage', 'outcome'] as const;
export type PricingKind = (typeof PRICING_KINDS)[number];

/** Paid once; `validityDays` bounds what it grants (a health check's entitlements last 90 days), null = no end. */
export interface OneOffPricing {
  kind: 'one-off';
  currency: string;
  price: Money;
  validityDays?: number | null;
}

/** A recurring fee per term, flat or per seat. */
export interface SubscriptionPricing {
  kind: 'subscription';
  currency: string;
  billingPeriod: TermUnit;
  unit: 'flat' | 'seat';
  /** Per term, per seat when `unit` is `seat`, minor units. */
  unitPrice: Money;
  /** Least seats a per-seat subscription holds (default 1). */
  minSeats?: number;
}

/** Metered units, priced per billing period with tiers or volume. */
export interface UsagePricing extends UsagePricingTerms {
  kind: 'usage';
  billingPeriod: TermUnit;
  /** What is counted (`forecast-runs`, `expert-hours`). */
  metric: string;
}

/** A KPI bet: base fee per settlement period plus bonus or malus; the contract term renews per `billingPeriod`. */
export interface OutcomePricing extends OutcomeTerms {
  kind: 'outcome';
  billingPeriod: TermUnit;
  kpi: { key: string; name: string; unit: string };
}

export type Pricing = OneOffPricing | SubscriptionPricing | UsagePricing | OutcomePricing;

/** The cross-field rules of a price (the wire schema checks the shapes): tiers, bands, caps, floors, seats. */
export function validatePricing(p: Pricing, field = 'pricing'): void {
  assertObject(p, field, CHECK_CODES);
  assertOneOf(p.kind, PRICING_KINDS, fieldPath(field, 'kind'), CHECK_CODES);
  assertCurrency(p.currency, fieldPath(field, 'currency'));
  if (p.kind !== 'one-off') assertOneOf(p.billingPeriod, TERM_UNITS, fieldPath(field, 'billingPeriod'), CHECK_CODES);
  switch (p.kind) {
    case 'one-off':
      assertAmount(p.price, fieldPath(field, 'price'));
      if (p.validityDays !== undefined && p.validityDays !== null) assertIntegerInRange(p.validityDays, 1, 3660, fieldPath(field, 'validityDays'), CHECK_CODES);
      return;
    case 'subscription':
      assertAmount(p.unitPrice, fieldPath(field, 'unitPrice'));
      if (p.minSeats !== undefined) {
        assertIntegerInRange(p.minSeats, 1, 1_000_000, fieldPath(field, 'minSeats'), CHECK_CODES);
        if (p.unit !== 'seat') fail(Code.Conflict, fieldPath(field, 'minSeats'), "only a per-seat price ('unit': 'seat') has seats");
      }
      return;
    case 'usage':
      validateUsageTerms(p, field);
      return;
    case 'outcome':
      validateOutcomeTerms(p, field);
      return;
  }
}

/** Seats a subscription of this price holds: per-seat prices need at least `minSeats`; flat ones hold none. */
export function seatsFor(p: Pricing, seats: number | undefined, field = 'seats'): number {
  if (p.kind === 'subscription' && p.unit === 'seat') {
    const min = p.minSeats ?? 1;
    if (seats === undefined) return min;
    assertIntegerInRange(seats, min, 1_000_000, field, CHECK_CODES);
    return seats;
  }
  if (seats !== undefined && seats !== 0) fail(Code.Conflict, field, `this plan is not priced per seat (${p.kind}${p.kind === 'subscription' ? `, ${p.unit}` : ''})`);
  return 0;
}

/** What one term of a subscription costs: the unit price, times the seats for a per-seat price. One-off: the price. */
export function termPrice(p: Pricing, seats: number): Money {
  switch (p.kind) {
    case 'one-off':
      return p.price;
    case 'subscription':
      return roundMoney(q.mul(q.of(p.unitPrice), q.of(p.unit === 'seat' ? seats : 1)), 'price');
    case 'usage':
      return p.minimumCharge ?? 0;
    case 'outcome':
      return p.baseFee;
  }
}

/**
 * The value of the first year of a plan, to compare and bundle plans of every kind in one
 * currency: one-off = its price; subscription = term price × terms per year; usage = the
 * minimum charge × periods per year (usage beyond it is billed as used); outcome = base fee ×
 * settlement periods per year (bonus and malus come on top).
 */
export function firstYearValue(p: Pricing, seats = 0): Money {
  switch (p.kind) {
    case 'one-off':
      return p.price;
    case 'subscription':
      return roundMoney(q.mul(q.of(termPrice(p, seats)), q.of(perYear(p.billingPeriod))), 'price');
    case 'usage':
      return roundMoney(q.mul(q.of(p.minimumCharge ?? 0), q.of(perYear(p.billingPeriod))), 'price');
    case 'outcome':
      return roundMoney(q.mul(q.of(p.baseFee), q.of(perYear(p.settlementPeriod))), 'price');
  }
}
