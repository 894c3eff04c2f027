import { DomainError } from '@steward/domain-kernel';
import * as api from './index';

describe('public API (what @steward/value-domain exports)', () => {
  it('exposes every model through the alias and computes the market damage example end to end', () => {
    const r = api.marketDamage({
      customers: 1_000,
      problemRate: 0.4,
      complaintRate: 0.25,
      resolutionMix: { satisfied: 0.6, mollified: 0.25, dissatisfied: 0.15 },
      repurchaseRate: { satisfied: 0.9, mollified: 0.6, dissatisfied: 0.2 },
      silentLossRate: 0.5,
      noProblemLossRate: 0.05,
      revenuePerCustomer: 1_000_000,
    });
    expect(r.revenueAtRisk).toBe(208_000_000); // 208 lost × 1,000,000 (see market-damage.spec.ts)
    for (const fn of ['lifetimeValue', 'marketDamageWhatIf', 'wordOfMouth', 'scoreAccounts', 'rankAccounts', 'redFlags', 'healthScore', 'settleOutcomeContract', 'voucherRoi', 'applyRate']) {
      expect(typeof (api as Record<string, unknown>)[fn]).toBe('function');
    }
  });

  it('keeps the internal rational helpers private', () => {
    expect(Object.keys(api)).not.toEqual(expect.arrayContaining(['add']));
    expect(Object.keys(api)).not.toEqual(expect.arrayContaining(['mul']));
  });

  it('throws the typed error with code and field', () => {
    let caught: unknown;
    try {
      api.lifetimeValue({ annualMargin: 1, growthRate: 0, retentionRate: 2, discountRate: 0 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: api.ValueDomainErrorCode.OutOfRange, field: 'retentionRate', name: 'DomainError' });
    expect((caught as Error).message).toBe('retentionRate: must be in [0, 1], got 2');
  });
});
