import { assertArray, assertFinite, assertKnownKeys, assertMinorUnits, assertObject, assertRange, fail, fieldPath } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { applyRate, compare, div, fromInteger, mul, ratio, sub, sumMoney, toNumber, type Money } from './money';

/**
 * A bonus or malus band on the KPI's deviation from target, in % of target, signed so that
 * positive = better than target whatever the KPI's direction. A band lies wholly on one
 * side of 0: `0 ≤ fromPct < toPct` is a bonus band, `fromPct < toPct ≤ 0` a malus band.
 * Pays either a fixed `amount` or `shareOfBaseFee` × base fee (exactly one of them).
 */
export interface OutcomeBand {
  fromPct: number;
  toPct: number;
  amount?: Money;
  shareOfBaseFee?: number;
}

/** Inputs of {@link settleOutcomeContract}. */
export interface OutcomeContractInput {
  kpi: { actual: number; target: number };
  /** e.g. complaint rate: lower-is-better; forecast hit rate: higher-is-better. */
  direction: 'higherIsBetter' | 'lowerIsBetter';
  /** Base fee for the period, minor units. */
  baseFee: Money;
  /** Ordered by `fromPct`, non-overlapping (gaps are dead zones). */
  bands: OutcomeBand[];
  /** Caps on the total bonus and the total malus, minor units (≥ 0). */
  caps: { maxBonus: Money; maxMalus: Money };
  /**
   * Floor of the settlement, minor units (≥ 0, at most the base fee): what the customer pays
   * at least, whatever the malus (0 = never a credit). Absent: no floor.
   */
  floor?: Money;
}

export interface SettlementLine {
  kind: 'bonus' | 'malus' | 'cap' | 'floor' | 'none';
  /** Signed effect on the settlement, minor units. */
  amount: Money;
  text: string;
}

export interface Settlement {
  /** Signed deviation, % of target; positive = better than target. */
  deviationPct: number;
  bonus: Money;
  malus: Money;
  /** bonus − malus after caps (and the floor, when it lifts the settlement). */
  adjustment: Money;
  /** max(floor, baseFee + bonus − malus); negative means a credit to the customer. */
  settlement: Money;
  lines: SettlementLine[];
}

function validateBands(bands: unknown): asserts bands is OutcomeBand[] {
  assertArray(bands, 'bands', CHECK_CODES);
  bands.forEach((b, i) => {
    const f = `bands[${i}]`;
    assertObject(b, f, CHECK_CODES);
    assertKnownKeys(b, ['fromPct', 'toPct', 'amount', 'shareOfBaseFee'], f, CHECK_CODES);
    assertFinite(b.fromPct, fieldPath(f, 'fromPct'), CHECK_CODES);
    assertFinite(b.toPct, fieldPath(f, 'toPct'), CHECK_CODES);
    if (b.fromPct >= b.toPct) fail(Code.InvalidBands, f, 'fromPct must be below toPct');
    if (b.fromPct < 0 && b.toPct > 0) fail(Code.InvalidBands, f, 'a band must not straddle 0 (split it into a malus and a bonus band)');
    if ((b.amount === undefined) === (b.shareOfBaseFee === undefined)) {
      fail(Code.Conflict, f, 'give exactly one of amount and shareOfBaseFee');
    }
    if (b.amount !== undefined) assertMinorUnits(b.amount, fieldPath(f, 'amount'), CHECK_CODES, 0);
    else assertRange(b.shareOfBaseFee, 0, 1, fieldPath(f, 'shareOfBaseFee'), CHECK_CODES);
    if (i > 0) {
      const prev = bands[i - 1] as OutcomeBand;
      if (prev.toPct > b.fromPct) fail(Code.InvalidBands, f, `overlaps or precedes bands[${i - 1}] (ordered by fromPct, non-overlapping)`);
    }
  });
}

const pct = (v: number) => `${v > 0 ? '+' : ''}${v}%`;

/**
 * Settles an outcome-based contract for one period. Deviation = (actual − target)/|target|
 * × 100, negated when lower is better. Bands work as a ladder: every bonus band whose
 * `fromPct` the deviation exceeds pays in full, every malus band whose `toPct` it falls
 * below charges in full. Totals are then capped; settlement = base fee + bonus − malus, raised
 * to the floor when one is given.
 */
export function settleOutcomeContract(input: OutcomeContractInput): Settlement {
  assertObject(input, 'input', CHECK_CODES);
  assertKnownKeys(input, ['kpi', 'direction', 'baseFee', 'bands', 'caps', 'floor'], '', CHECK_CODES);
  assertObject(input.kpi, 'kpi', CHECK_CODES);
  assertKnownKeys(input.kpi, ['actual', 'target'], 'kpi', CHECK_CODES);
  assertFinite(input.kpi.actual, 'kpi.actual', CHECK_CODES);
  assertFinite(input.kpi.target, 'kpi.target', CHECK_CODES);
  if (input.kpi.target === 0) fail(Code.InvalidTarget, 'kpi.target', 'must not be 0 (deviation is in % of target)');
  if (input.direction !== 'higherIsBetter' && input.direction !== 'lowerIsBetter') {
    fail(Code.OutOfRange, 'direction', "must be 'higherIsBetter' or 'lowerIsBetter'");
  }
  assertMinorUnits(input.baseFee, 'baseFee', CHECK_CODES, 0);
  validateBands(input.bands);
  assertObject(input.caps, 'caps', CHECK_CODES);
  assertKnownKeys(input.caps, ['maxBonus', 'maxMalus'], 'caps', CHECK_CODES);
  assertMinorUnits(input.caps.maxBonus, 'caps.maxBonus', CHECK_CODES, 0);
  assertMinorUnits(input.caps.maxMalus, 'caps.maxMalus', CHECK_CODES, 0);
  if (input.floor !== undefined) {
    assertMinorUnits(input.floor, 'floor', CHECK_CODES, 0);
    if (input.floor > input.baseFee) fail(Code.OutOfRange, 'floor', `must not exceed the base fee ${input.baseFee}`);
  }

  // Exact deviation, so a KPI landing on a band edge is never misfiled by float error.
  const target = ratio(input.kpi.target);
  const raw = div(mul(sub(ratio(input.kpi.actual), target), fromInteger(100)), ratio(Math.abs(input.kpi.target)));
  const deviation = input.direction === 'higherIsBetter' ? raw : { num: -raw.num, den: raw.den };
  const deviationPct = toNumber(deviation);

  const lines: SettlementLine[] = [];
  const bonuses: Money[] = [];
  const maluses: Money[] = [];
  input.bands.forEach((b, i) => {
    const isBonus = b.fromPct >= 0;
    const applies = isBonus ? compare(deviation, ratio(b.fromPct)) > 0 : compare(deviation, ratio(b.toPct)) < 0;
    if (!applies) return;
    const amount = b.amount ?? applyRate(input.baseFee, b.shareOfBaseFee as number, `bands[${i}].shareOfBaseFee`);
    const basis = b.amount !== undefined ? 'fixed' : `${b.shareOfBaseFee} × base fee ${input.baseFee}`;
    (isBonus ? bonuses : maluses).push(amount);
    lines.push({
      kind: isBonus ? 'bonus' : 'malus',
      amount: isBonus ? amount : -amount,
      text: `band ${pct(b.fromPct)}..${pct(b.toPct)}: deviation ${pct(deviationPct)} → ${isBonus ? 'bonus' : 'malus'} ${amount} (${basis})`,
    });
  });
  if (lines.length === 0) lines.push({ kind: 'none', amount: 0, text: `deviation ${pct(deviationPct)} reaches no band: no adjustment` });

  let bonus = sumMoney(bonuses, 'bands');
  let malus = sumMoney(maluses, 'bands');
  if (bonus > input.caps.maxBonus) {
    lines.push({ kind: 'cap', amount: input.caps.maxBonus - bonus, text: `bonus ${bonus} capped at ${input.caps.maxBonus}` });
    bonus = input.caps.maxBonus;
  }
  if (malus > input.caps.maxMalus) {
    lines.push({ kind: 'cap', amount: malus - input.caps.maxMalus, text: `malus ${malus} capped at ${input.caps.maxMalus}` });
    malus = input.caps.maxMalus;
  }
  let settlement = sumMoney([input.baseFee, bonus - malus], 'baseFee');
  if (input.floor !== undefined && settlement < input.floor) {
    lines.push({ kind: 'floor', amount: input.floor - settlement, text: `settlement ${settlement} raised to the floor ${input.floor}` });
    settlement = input.floor;
  }
  return { deviationPct, bonus, malus, adjustment: settlement - input.baseFee, settlement, lines };
}
