import { assertArray, assertKnownKeys, assertMinorUnits, assertObject, assertRange, fail, fieldPath, parseInstant } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { sumMoney, type Money } from './money';

/** A service-recovery voucher (credit, free service) issued to an account. */
export interface Voucher {
  /** ISO 8601 with zone. */
  issuedAt: string;
  /** Face value, minor units (> 0). */
  faceValue: Money;
  redeemedAt?: string;
  /** Credit actually used, minor units, in (0, faceValue]; defaults to faceValue when redeemed. */
  redeemedValue?: Money;
}

/** One purchase by the account (minor units; a refund may be negative). */
export interface SpendRecord {
  at: string;
  amount: Money;
}

/** Inputs of {@link voucherRoi}. */
export interface VoucherRoiInput {
  voucher: Voucher;
  spend: SpendRecord[];
  /** Window length in whole days, 1..3650. */
  windowDays: number;
  /**
   * What the account would have spent anyway. Either a known amount, or `'priorWindow'` to
   * sum `spend` over the same-length window just before issue. Omitted = 0 (ROI is then an upper bound).
   */
  baseline?: Money | 'priorWindow';
}

export interface VoucherRoi {
  redeemed: boolean;
  /** Spend in [issuedAt, issuedAt + windowDays). */
  spendAfter: Money;
  baselineSpend: Money;
  /** spendAfter − baselineSpend. */
  incrementalSpend: Money;
  /** redeemedValue (or faceValue) when redeemed; faceValue when not, as the credit is still owed. */
  cost: Money;
  /** (incrementalSpend − cost) / cost; 0 = broke even, 1 = returned twice its cost. */
  roi: number;
}

const DAY_MS = 86_400_000;

/**
 * Voucher ROI = (incremental spend − cost) / cost, where incremental spend = spend in the
 * window after issue − baseline spend. Windows are half-open [start, end).
 */
export function voucherRoi(input: VoucherRoiInput): VoucherRoi {
  assertObject(input, 'input', CHECK_CODES);
  assertKnownKeys(input, ['voucher', 'spend', 'windowDays', 'baseline'], '', CHECK_CODES);
  const v = input.voucher;
  assertObject(v, 'voucher', CHECK_CODES);
  assertKnownKeys(v, ['issuedAt', 'faceValue', 'redeemedAt', 'redeemedValue'], 'voucher', CHECK_CODES);
  const issued = parseInstant(v.issuedAt, 'voucher.issuedAt', CHECK_CODES);
  assertMinorUnits(v.faceValue, 'voucher.faceValue', CHECK_CODES, 1);
  const redeemed = v.redeemedAt !== undefined;
  if (redeemed && parseInstant(v.redeemedAt, 'voucher.redeemedAt', CHECK_CODES) < issued) {
    fail(Code.InvalidTimestamp, 'voucher.redeemedAt', 'must not be before issuedAt');
  }
  if (v.redeemedValue !== undefined) {
    if (!redeemed) fail(Code.Conflict, 'voucher.redeemedValue', 'requires redeemedAt');
    assertMinorUnits(v.redeemedValue, 'voucher.redeemedValue', CHECK_CODES, 1);
    if (v.redeemedValue > v.faceValue) fail(Code.OutOfRange, 'voucher.redeemedValue', 'must not exceed faceValue');
  }
  assertRange(input.windowDays, 1, 3650, 'windowDays', CHECK_CODES);
  if (!Number.isInteger(input.windowDays)) fail(Code.NotSafeInteger, 'windowDays', 'must be whole days');
  assertArray(input.spend, 'spend', CHECK_CODES);
  const spend = input.spend.map((s, i) => {
    const f = `spend[${i}]`;
    assertObject(s, f, CHECK_CODES);
    assertKnownKeys(s, ['at', 'amount'], f, CHECK_CODES);
    assertMinorUnits(s.amount, fieldPath(f, 'amount'), CHECK_CODES);
    return { at: parseInstant(s.at, fieldPath(f, 'at'), CHECK_CODES), amount: s.amount };
  });
  const windowMs = input.windowDays * DAY_MS;
  const within = (from: number, to: number) => spend.filter((s) => s.at >= from && s.at < to).map((s) => s.amount);

  const spendAfter = sumMoney(within(issued, issued + windowMs), 'spend');
  let baselineSpend = 0;
  if (input.baseline === 'priorWindow') baselineSpend = sumMoney(within(issued - windowMs, issued), 'spend');
  else if (input.baseline !== undefined) {
    assertMinorUnits(input.baseline, 'baseline', CHECK_CODES);
    baselineSpend = input.baseline;
  }
  const incrementalSpend = sumMoney([spendAfter, -baselineSpend], 'spend');
  const cost = redeemed ? (v.redeemedValue ?? v.faceValue) : v.faceValue;
  return { redeemed, spendAfter, baselineSpend, incrementalSpend, cost, roi: (incrementalSpend - cost) / cost };
}
