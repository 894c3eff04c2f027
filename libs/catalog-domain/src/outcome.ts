import { assertArray, assertFinite, assertOneOf, DomainError, fail, isDomainError } from '@steward/domain-kernel';
import { roundHalfEven, settleOutcomeContract, type OutcomeBand, type Settlement } from '@steward/value-domain';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';
import { assertAmount, assertCurrency, formatMoney, q, roundMoney, type Money, type Ratio } from './money';
import { instant, SETTLEMENT_UNITS, type CalendarPeriod, type SettlementUnit } from './periods';

/** How a period's KPI readings become the one actual value settled on. WARNING: wire values. */
export const KPI_AGGREGATIONS = ['mean', 'last', 'min', 'max', 'sum'] as const;
export type KpiAggregation = (typeof KPI_AGGREGATIONS)[number];
export const KPI_DIRECTIONS = ['higherIsBetter', 'lowerIsBetter'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];

/** The outcome-based terms of a plan: a KPI bet with a base fee per settlement period. */
export interface OutcomeTerms {
  currency: string;
  target: number;
  direction: KpiDirection;
  settlementPeriod: SettlementUnit;
  aggregation: KpiAggregation;
  /** Per settlement period, minor units. */
  baseFee: Money;
  /** value-domain's ladder of bonus and malus bands, in % deviation from target (positive = better). */
  bands: OutcomeBand[];
  caps: { maxBonus: Money; maxMalus: Money };
  /** The least a period costs (0 = never a credit); at most the base fee. */
  floor?: Money;
}

export interface KpiReading {
  /** When the value was measured, or any instant inside the period it describes. */
  at: string;
  value: number;
}

export interface PeriodSettlement {
  period: CalendarPeriod;
  /** The aggregated KPI value the period is settled on. */
  actual: number;
  readingsUsed: number;
  /** The subscription's days in the period; the base fee (and floor) are prorated when it ran part of it. */
  activeDays: number;
  periodDays: number;
  baseFee: Money;
  settlement: Settlement;
  lines: string[];
}

/** Re-raises a value-domain error with its field under `prefix` (`bands[0]` → `pricing.bands[0]`). */
function under<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    const issues = err.issues.map((i) => ({ ...i, field: prefix ? `${prefix}.${i.field}` : i.field }));
    throw new DomainError(err.code, issues[0].field, issues[0].message, err.details, issues);
  }
}

/** Checks outcome terms: the KPI direction, period and aggregation, and value-domain's rules on bands, caps and floor. */
export function validateOutcomeTerms(terms: OutcomeTerms, field = 'pricing'): void {
  assertCurrency(terms.currency, `${field}.currency`);
  assertOneOf(terms.direction, ['higherIsBetter', 'lowerIsBetter'] as const, `${field}.direction`, CHECK_CODES);
  assertOneOf(terms.settlementPeriod, SETTLEMENT_UNITS, `${field}.settlementPeriod`, CHECK_CODES);
  assertOneOf(terms.aggregation, KPI_AGGREGATIONS, `${field}.aggregation`, CHECK_CODES);
  assertFinite(terms.target, `${field}.target`, CHECK_CODES);
  assertAmount(terms.baseFee, `${field}.baseFee`);
  // value-domain validates the rest; a dry run on target checks bands, caps and floor with their own rules.
  under(field, () =>
    settleOutcomeContract({ kpi: { actual: terms.target, target: terms.target }, direction: terms.direction, baseFee: terms.baseFee, bands: terms.bands, caps: terms.caps, ...(terms.floor === undefined ? {} : { floor: terms.floor }) }),
  );
}

/** Terms returned by {@link checkOutcomeTerms}: validated once, deep-frozen so they cannot change after. */
const checkedTerms = new WeakSet<object>();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * Validates outcome terms once (as {@link validateOutcomeTerms}, fields under `field`) and
 * returns a deep-frozen copy that {@link settleOutcomePeriod} settles without checking again:
 * a run that settles thousands of contracts on a few distinct terms checks each terms once.
 */
export function checkOutcomeTerms<T extends OutcomeTerms>(terms: T, field = 'terms'): Readonly<T> {
  if (checkedTerms.has(terms)) return terms;
  validateOutcomeTerms(terms, field);
  const frozen = deepFreeze(structuredClone(terms));
  checkedTerms.add(frozen);
  return frozen;
}

const SCALE = 10n ** 12n;

/** A rational as the nearest number with at most 12 decimals, so its shortest decimal form is exact for what people type. */
function toNumber12(r: Ratio): number {
  const scaled = roundHalfEven(r.num * SCALE, r.den);
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  return Number(`${neg ? '-' : ''}${abs / SCALE}.${(abs % SCALE).toString().padStart(12, '0')}`);
}

/**
 * The period's KPI from its readings, computed exactly: mean of 2.1, 2.2 and 2.0 is 2.1 (not
 * 2.1000000000000005), so a KPI on a band edge is never misfiled. `last` takes the latest `at`.
 */
export function aggregateKpi(readings: readonly KpiReading[], aggregation: KpiAggregation): number {
  assertArray(readings, 'readings', CHECK_CODES);
  assertOneOf(aggregation, KPI_AGGREGATIONS, 'aggregation', CHECK_CODES);
  if (readings.length === 0) return fail(Code.NoReadings, 'readings', 'no KPI reading in the period');
  const values = readings.map((r, i) => q.dec(r.value, `readings[${i}].value`));
  switch (aggregation) {
    case 'last': {
      let best = 0;
      readings.forEach((r, i) => {
        if (instant(r.at, `readings[${i}].at`) >= instant(readings[best].at, `readings[${best}].at`)) best = i;
      });
      return readings[best].value;
    }
    case 'min':
      return Math.min(...readings.map((r) => r.value));
    case 'max':
      return Math.max(...readings.map((r) => r.value));
    case 'sum':
      return toNumber12(values.reduce(q.add));
    case 'mean':
      return toNumber12(q.mul(values.reduce(q.add), q.frac(1, values.length)));
  }
}

/**
 * Settles one outcome contract for one calendar period through value-domain's
 * `settleOutcomeContract`: the readings measured inside the period are aggregated to the
 * actual; a subscription that ran only part of the period pays that share of the base fee
 * (and of the floor), computed exactly and rounded once, half to even.
 */
export function settleOutcomePeriod(input: {
  /** Checked here, unless they come from {@link checkOutcomeTerms}. */
  terms: OutcomeTerms;
  period: CalendarPeriod;
  readings: readonly KpiReading[];
  /** The subscription's span: ISO instants; `activeUntil` null = still running. */
  activeFrom: string;
  activeUntil: string | null;
}): PeriodSettlement {
  const { terms, period } = input;
  if (!checkedTerms.has(terms)) validateOutcomeTerms(terms, 'terms');
  const start = instant(period.start, 'period.start');
  const end = instant(period.end, 'period.end');
  const from = Math.max(start, instant(input.activeFrom, 'activeFrom'));
  const until = Math.min(end, input.activeUntil === null ? end : instant(input.activeUntil, 'activeUntil'));
  if (until <= from) fail(Code.OutOfRange, 'period', `the subscription was not active in ${period.key}`);
  const inside = input.readings.filter((r, i) => {
    const at = instant(r.at, `readings[${i}].at`);
    return at >= start && at < end;
  });
  if (inside.length === 0) fail(Code.NoReadings, 'readings', `no KPI reading in ${period.key}`);
  const actual = aggregateKpi(inside, terms.aggregation);
  const share = q.frac(until - from, end - start);
  const partial = until - from < end - start;
  const baseFee = partial ? roundMoney(q.mul(q.of(terms.baseFee), share), 'baseFee') : terms.baseFee;
  const floor = terms.floor === undefined ? undefined : partial ? roundMoney(q.mul(q.of(terms.floor), share), 'floor') : terms.floor;
  const settlement = settleOutcomeContract({
    kpi: { actual, target: terms.target },
    direction: terms.direction,
    baseFee,
    bands: terms.bands,
    caps: terms.caps,
    ...(floor === undefined ? {} : { floor }),
  });
  const day = 86_400_000;
  const activeDays = (until - from) / day;
  const periodDays = (end - start) / day;
  const f = (m: Money) => formatMoney(m, terms.currency);
  return {
    period,
    actual,
    readingsUsed: inside.length,
    activeDays,
    periodDays,
    baseFee,
    settlement,
    lines: [
      `KPI ${terms.aggregation} of ${inside.length} reading(s) in ${period.key}: ${actual} (target ${terms.target}, ${terms.direction === 'lowerIsBetter' ? 'lower' : 'higher'} is better)`,
      partial ? `base fee ${f(baseFee)} = ${f(terms.baseFee)} × ${activeDays}/${periodDays} days active` : `base fee ${f(baseFee)}`,
      ...settlement.lines.map((l) => l.text),
      `settlement ${f(settlement.settlement)}`,
    ],
  };
}
