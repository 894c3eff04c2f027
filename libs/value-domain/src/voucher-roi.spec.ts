import { ValueDomainErrorCode as Code } from './errors';
import { voucherRoi, type SpendRecord, type Voucher, type VoucherRoiInput } from './voucher-roi';

// Voucher issued 1 March 00:00Z, face 50,000, 40,000 of it used on 10 March. Window 30 days:
//   after  = [1 Mar, 31 Mar)  → 100,000 (1 Mar 00:00, start included) + 80,000 (20 Mar) = 180,000
//   before = [30 Jan, 1 Mar)  → 60,000 (5 Feb) + 20,000 (28 Feb 23:59:59) = 80,000
//   excluded: 31 Mar 00:00 (end is exclusive), 15 Jan (before both windows).
const voucher: Voucher = { issuedAt: '2025-03-01T00:00:00Z', faceValue: 50_000, redeemedAt: '2025-03-10T12:00:00Z', redeemedValue: 40_000 };
const spend: SpendRecord[] = [
  { at: '2025-01-15T10:00:00Z', amount: 5_000 },
  { at: '2025-02-05T10:00:00Z', amount: 60_000 },
  { at: '2025-02-28T23:59:59Z', amount: 20_000 },
  { at: '2025-03-01T00:00:00Z', amount: 100_000 },
  { at: '2025-03-20T09:30:00.250Z', amount: 80_000 },
  { at: '2025-03-31T00:00:00Z', amount: 999_999 },
];
const input: VoucherRoiInput = { voucher, spend, windowDays: 30, baseline: 'priorWindow' };

describe('voucherRoi', () => {
  it.each<[string, Partial<VoucherRoiInput>, { spendAfter: number; baselineSpend: number; incrementalSpend: number; cost: number; roi: number; redeemed: boolean }]>([
    // (180,000 − 80,000 − 40,000) / 40,000 = 1.5
    ['prior-window baseline, redeemed 40,000: (100,000 − 40,000)/40,000 = 1.5', {}, { spendAfter: 180_000, baselineSpend: 80_000, incrementalSpend: 100_000, cost: 40_000, roi: 1.5, redeemed: true }],
    // No baseline: all 180,000 counts → (180,000 − 40,000)/40,000 = 3.5 (an upper bound).
    ['no baseline: (180,000 − 40,000)/40,000 = 3.5', { baseline: undefined }, { spendAfter: 180_000, baselineSpend: 0, incrementalSpend: 180_000, cost: 40_000, roi: 3.5, redeemed: true }],
    // Known baseline 200,000 → incremental −20,000 → (−20,000 − 40,000)/40,000 = −1.5.
    ['a known baseline of 200,000: (−20,000 − 40,000)/40,000 = −1.5', { baseline: 200_000 }, { spendAfter: 180_000, baselineSpend: 200_000, incrementalSpend: -20_000, cost: 40_000, roi: -1.5, redeemed: true }],
    // Unredeemed: costed at face value 50,000 → (100,000 − 50,000)/50,000 = 1.
    ['unredeemed, costed at face: (100,000 − 50,000)/50,000 = 1', { voucher: { issuedAt: voucher.issuedAt, faceValue: 50_000 } }, { spendAfter: 180_000, baselineSpend: 80_000, incrementalSpend: 100_000, cost: 50_000, roi: 1, redeemed: false }],
    ['redeemed without a value uses face value', { voucher: { ...voucher, redeemedValue: undefined } }, { spendAfter: 180_000, baselineSpend: 80_000, incrementalSpend: 100_000, cost: 50_000, roi: 1, redeemed: true }],
    // A 1-day window: after = 100,000; before = [28 Feb, 1 Mar) = 20,000 → (80,000 − 40,000)/40,000 = 1.
    ['a 1-day window: (100,000 − 20,000 − 40,000)/40,000 = 1', { windowDays: 1 }, { spendAfter: 100_000, baselineSpend: 20_000, incrementalSpend: 80_000, cost: 40_000, roi: 1, redeemed: true }],
  ])('%s', (_name, overrides, expected) => {
    expect(voucherRoi({ ...input, ...overrides })).toEqual(expected);
  });

  it('reads zone offsets: 01:00+01:00 on 1 March is the issue instant, so it counts as after', () => {
    const r = voucherRoi({ ...input, spend: [{ at: '2025-03-01T01:00:00+01:00', amount: 7 }] });
    expect([r.spendAfter, r.baselineSpend]).toEqual([7, 0]);
  });

  it('nets a refund (negative spend) inside the window', () => {
    const r = voucherRoi({ ...input, baseline: undefined, spend: [...spend, { at: '2025-03-25T00:00:00Z', amount: -30_000 }] });
    expect(r.spendAfter).toBe(150_000);
  });

  it.each<[string, Partial<VoucherRoiInput>, Code, string]>([
    ['redemption before issue', { voucher: { ...voucher, redeemedAt: '2025-02-01T00:00:00Z' } }, Code.InvalidTimestamp, 'voucher.redeemedAt'],
    ['a redeemed value without a redemption', { voucher: { issuedAt: voucher.issuedAt, faceValue: 10, redeemedValue: 5 } }, Code.Conflict, 'voucher.redeemedValue'],
    ['a redeemed value above face', { voucher: { ...voucher, redeemedValue: 60_000 } }, Code.OutOfRange, 'voucher.redeemedValue'],
    ['a zero face value', { voucher: { issuedAt: voucher.issuedAt, faceValue: 0 } }, Code.OutOfRange, 'voucher.faceValue'],
    ['a date without a zone', { voucher: { ...voucher, issuedAt: '2025-03-01T00:00:00' } }, Code.InvalidTimestamp, 'voucher.issuedAt'],
    ['an impossible date', { spend: [{ at: '2025-13-45T00:00:00Z', amount: 1 }] }, Code.InvalidTimestamp, 'spend[0].at'],
    ['a day that does not exist (30 February)', { spend: [{ at: '2025-02-30T00:00:00Z', amount: 1 }] }, Code.InvalidTimestamp, 'spend[0].at'],
    ['a numeric timestamp', { spend: [{ at: 1740787200000 as never, amount: 1 }] }, Code.InvalidType, 'spend[0].at'],
    ['a fractional amount', { spend: [{ at: '2025-03-02T00:00:00Z', amount: 1.5 }] }, Code.NotSafeInteger, 'spend[0].amount'],
    ['an unknown spend field', { spend: [{ at: '2025-03-02T00:00:00Z', amount: 1, sku: 'x' } as never] }, Code.UnknownField, 'spend[0].sku'],
    ['spend not a list', { spend: {} as never }, Code.InvalidType, 'spend'],
    ['a 0-day window', { windowDays: 0 }, Code.OutOfRange, 'windowDays'],
    ['a 1.5-day window', { windowDays: 1.5 }, Code.NotSafeInteger, 'windowDays'],
    ['a fractional baseline', { baseline: 10.5 }, Code.NotSafeInteger, 'baseline'],
    ['a baseline keyword typo', { baseline: 'prior' as never }, Code.InvalidType, 'baseline'],
    ['an unknown voucher field', { voucher: { ...voucher, code: 'X' } as never }, Code.UnknownField, 'voucher.code'],
  ])('rejects %s', (_name, overrides, code, field) => {
    expect(() => voucherRoi({ ...input, ...overrides })).toThrow(expect.objectContaining({ code, field }));
  });
});
