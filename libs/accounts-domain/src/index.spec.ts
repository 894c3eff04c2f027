import { DomainError } from '@steward/domain-kernel';
import * as api from './index';

describe('public API', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AccountsErrorCode',
        'BUYING_ROLES',
        'DEFAULT_TIER_THRESHOLD',
        'INFLUENCE_LEVELS',
        'STAKEHOLDER_GAP_CODES',
        'TIERS',
        'buildStakeholderMap',
        'computeTiers',
        'findReportsToCycle',
      ].sort(),
    );
    expect(api.BUYING_ROLES).toEqual(['decision-maker', 'economic-buyer', 'influencer', 'champion', 'end-user', 'blocker']);
    expect(api.INFLUENCE_LEVELS).toEqual(['low', 'medium', 'high']);
    expect(api.TIERS).toEqual([1, 2, 3]);
    expect(api.DEFAULT_TIER_THRESHOLD).toBe(0.8);
  });

  it('tiers a tenant end to end: revenue, a strategic flag and an override', () => {
    const accounts: api.TieringAccount[] = [
      { id: 'acme', revenue: 70_000_00, strategic: false, highPotential: false },
      { id: 'globex', revenue: 20_000_00, strategic: false, highPotential: false, override: null },
      { id: 'initech', revenue: 6_000_00, strategic: false, highPotential: false },
      { id: 'umbrella', revenue: 4_000_00, strategic: true, highPotential: false },
      { id: 'hooli', revenue: 0, strategic: false, highPotential: false, override: { tier: 1, reason: 'board pick', expiresAt: '2027-01-01T00:00:00Z' } },
    ];
    // total 100,000.00: acme 70% < 80%, + globex → 90% → Tier 1. remaining 10,000.00 (need 8,000.00):
    // initech 6,000.00 + umbrella 4,000.00 → Tier 2 by revenue (umbrella's flag is not needed). hooli: override.
    const result = api.computeTiers(accounts, { now: '2026-03-01T00:00:00Z' });
    expect(result.assignments.map((a) => [a.accountId, a.tier, a.reason])).toEqual([
      ['acme', 1, 'tier1-revenue'],
      ['globex', 1, 'tier1-revenue'],
      ['initech', 2, 'tier2-revenue'],
      ['umbrella', 2, 'tier2-revenue'],
      ['hooli', 1, 'override'],
    ]);
    expect(result.summary.tiers.map((t) => t.accounts)).toEqual([3, 2, 0]);
  });

  it("throws the kernel's DomainError, an Error with code, field and details", () => {
    let caught: unknown;
    try {
      api.computeTiers([{ id: 'a', revenue: 1.5, strategic: false, highPotential: false }], { now: '2026-03-01T00:00:00Z' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ code: api.AccountsErrorCode.NotSafeInteger, field: 'accounts[0].revenue', details: {}, message: 'accounts[0].revenue: must be a safe integer (minor units), got 1.5' });
  });

  it('maps a stakeholder list and guards a new reporting line', () => {
    const contacts: api.StakeholderContact[] = [
      { id: 'c1', name: 'Chen', title: 'CEO', department: null, buyingRole: 'decision-maker', influence: 'high', reportsToId: null, engaged: true },
      { id: 'c2', name: 'Tara', title: 'Tech lead', department: 'IT', buyingRole: 'end-user', influence: 'high', reportsToId: 'c1', engaged: false },
    ];
    const map = api.buildStakeholderMap(contacts);
    expect(map.roots[0]!.reports[0]).toMatchObject({ id: 'c2', depth: 1, hiddenInfluencer: true });
    expect(map.gaps.map((g) => g.code)).toEqual(['single-threaded', 'no-champion', 'hidden-influencer']);
    expect(api.findReportsToCycle(contacts, 'c1', 'c2')).toEqual(['c1', 'c2', 'c1']);
  });
});
