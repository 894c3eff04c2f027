import { assertArray, assertIntegerInRange, assertKnownKeys, assertObject, assertOneOf, fail, fieldPath } from '@steward/domain-kernel';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';
import { assertAmount, assertCurrency, formatMoney, q, roundMoney, unitPrice, type Money, type Ratio } from './money';

/**
 * How metered units are priced. WARNING: wire values.
 * - `tiered` (graduated): each unit is priced by the tier it falls in; every tier reached adds its flat fee.
 * - `volume`: every unit is priced by the one tier the period's total falls in, plus that tier's flat fee.
 */
export const USAGE_MODELS = ['tiered', 'volume'] as const;
export type UsageModel = (typeof USAGE_MODELS)[number];

/** A tier covers units above the previous tier's `upTo` up to its own (inclusive); the last is open (`upTo: null`). */
export interface UsageTier {
  upTo: number | null;
  /** Minor units per unit, at most 6 decimals (0.35 = 0.35 fen per call). */
  unitPrice: number;
  flatFee?: Money;
}

export interface UsagePricingTerms {
  currency: string;
  model: UsageModel;
  tiers: UsageTier[];
  /** The least a period costs, minor units. */
  minimumCharge?: Money;
}

export interface UsageLine {
  tier: number;
  /** Units priced in this tier. */
  units: number;
  unitPrice: number;
  flatFee: Money;
  text: string;
}

export interface UsageCharge {
  currency: string;
  quantity: number;
  /** Σ units × unit price + flat fees, exact, rounded once (half to even); at least the minimum. */
  charge: Money;
  minimumApplied: boolean;
  lines: UsageLine[];
}

const MAX_UNITS = 1e12;

/** Checks a usage price list: at least one tier, `upTo` strictly rising whole units, the last one open. */
export function validateUsageTerms(terms: UsagePricingTerms, field = 'pricing'): void {
  assertObject(terms, field, CHECK_CODES);
  assertCurrency(terms.currency, fieldPath(field, 'currency'));
  assertOneOf(terms.model, USAGE_MODELS, fieldPath(field, 'model'), CHECK_CODES);
  const tf = fieldPath(field, 'tiers');
  assertArray(terms.tiers, tf, CHECK_CODES);
  if (terms.tiers.length === 0 || terms.tiers.length > 20) fail(Code.InvalidTiers, tf, 'give 1 to 20 tiers');
  let previous = 0;
  terms.tiers.forEach((t, i) => {
    const f = `${tf}[${i}]`;
    assertObject(t, f, CHECK_CODES);
    assertKnownKeys(t, ['upTo', 'unitPrice', 'flatFee'], f, CHECK_CODES);
    unitPrice(t.unitPrice, `${f}.unitPrice`);
    if (t.flatFee !== undefined) assertAmount(t.flatFee, `${f}.flatFee`);
    const last = i === terms.tiers.length - 1;
    if (t.upTo === null) {
      if (!last) fail(Code.InvalidTiers, `${f}.upTo`, 'only the last tier is open-ended (null)');
      return;
    }
    if (last) fail(Code.InvalidTiers, `${f}.upTo`, 'the last tier must be open-ended (null) so every quantity has a price');
    assertIntegerInRange(t.upTo, 1, MAX_UNITS, `${f}.upTo`, CHECK_CODES);
    if (t.upTo <= previous) fail(Code.InvalidTiers, `${f}.upTo`, `must be above the previous tier's ${previous}`);
    previous = t.upTo;
  });
  if (terms.minimumCharge !== undefined) assertAmount(terms.minimumCharge, fieldPath(field, 'minimumCharge'));
}

/**
 * Prices one period's metered `quantity` (whole units); no usage costs nothing but the
 * minimum (no tier is reached, so no flat fee). Worked example, tiers 0–1,000 at 0.5,
 * 1,001–10,000 at 0.35, above at 0.2, 12,000 units: tiered = 1,000 × 0.5 + 9,000 × 0.35 +
 * 2,000 × 0.2 = 4,050; volume = 12,000 × 0.2 = 2,400.
 */
export function priceUsage(terms: UsagePricingTerms, quantity: number): UsageCharge {
  validateUsageTerms(terms);
  assertIntegerInRange(quantity, 0, MAX_UNITS, 'quantity', CHECK_CODES);
  const f = (m: Money) => formatMoney(m, terms.currency);
  const lines: UsageLine[] = [];
  let exact: Ratio = q.of(0);
  const price = (t: UsageTier, i: number, units: number, flatFee: Money) => {
    const p = unitPrice(t.unitPrice, `tiers[${i}].unitPrice`);
    exact = q.add(exact, q.add(q.mul(q.of(units), p), q.of(flatFee)));
    lines.push({ tier: i, units, unitPrice: t.unitPrice, flatFee, text: `tier ${i + 1}: ${units} × ${t.unitPrice}${flatFee ? ` + flat ${f(flatFee)}` : ''}` });
  };
  if (quantity > 0 && terms.model === 'volume') {
    const i = terms.tiers.findIndex((t) => t.upTo === null || quantity <= t.upTo);
    price(terms.tiers[i], i, quantity, terms.tiers[i].flatFee ?? 0);
  } else if (quantity > 0) {
    let below = 0;
    terms.tiers.forEach((t, i) => {
      const units = Math.max(0, Math.min(quantity, t.upTo ?? quantity) - below);
      if (units > 0) price(t, i, units, t.flatFee ?? 0);
      below = t.upTo ?? below;
    });
  }
  let charge = roundMoney(exact, 'charge');
  const minimumApplied = terms.minimumCharge !== undefined && charge < terms.minimumCharge;
  if (minimumApplied) charge = terms.minimumCharge as Money;
  return { currency: terms.currency, quantity, charge, minimumApplied, lines };
}
