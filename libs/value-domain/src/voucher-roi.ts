import { ValueDomainError, ValueDomainErrorCode as Code } from './errors';
import { sumMoney, type Money } from './money';
import { assertArray, assertKnownKeys, assertMoney, assertObject, assertRange, join, parseTimestamp } from './validate';

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
  assertObject(input, 'input');
  assertKnownKeys(input, ['voucher', 'spend', 'windowDays', 'baseline'], '');
  const v = input.voucher;
  assertObject(v, 'voucher');
  assertKnownKeys(v, ['issuedAt', 'faceValue', 'redeemedAt', 'redeemedValue'], 'voucher');
  const issued = parseTimestamp(v.issuedAt, 'voucher.issuedAt');
  assertMoney(v.faceValue, 'voucher.faceValue', 1);
  const redeemed = v.redeemedAt !== undefined;
  if (redeemed && parseTimestamp(v.redeemedAt, 'voucher.redeemedAt') < issued) {
    throw new ValueDomainError(Code.InvalidTimestamp, 'voucher.redeemedAt', 'must not be before issuedAt');
  }
  if (v.redeemedValue !== undefined) {
    if (!redeemed) throw new ValueDomainError(Code.Conflict, 'voucher.redeemedValue', 'requires redeemedAt');
    assertMoney(v.redeemedValue, 'voucher.redeemedValue', 1);
    if (v.redeemedValue > v.faceValue) throw new ValueDomainError(Code.OutOfRange, 'voucher.redeemedValue', 'must not exceed faceValue');
  }
  assertRange(input.windowDays, 1, 3650, 'windowDays');
  if (!Number.isInteger(input.windowDays)) throw new ValueDomainError(Code.NotSafeInteger, 'windowDays', 'must be whole days');
  assertArray(input.spend, 'spend');
  const spend = input.spend.map((s, i) => {
    const f = `spend[${i}]`;
    assertObject(s, f);
    assertKnownKeys(s, ['at', 'amount'], f);
    assertMoney(s.amount, join(f, 'amount'));
    return { at: parseTimestamp(s.at, join(f, 'at')), amount: s.amount };
  });
  const windowMs = input.windowDays * DAY_MS;
  const within = (from: number, to: number) => spend.filter((s) => s.at >= from && s.at < to).map((s) => s.amount);

  const spendAfter = sumMoney(within(issued, issued + windowMs), 'spend');
  let baselineSpend = 0;
  if (input.baseline === 'priorWindow') baselineSpend = sumMoney(within(issued - windowMs, issued), 'spend');
  else if (input.baseline !== undefined) {
    assertMoney(input.baseline, 'baseline');
    baselineSpend = input.baseline;
  }
  const incrementalSpend = sumMoney([spendAfter, -baselineSpend], 'spend');
  const cost = redeemed ? (v.redeemedValue ?? v.faceValue) : v.faceValue;
  return { redeemed, spendAfter, baselineSpend, incrementalSpend, cost, roi: (incrementalSpend - cost) / cost };
}
