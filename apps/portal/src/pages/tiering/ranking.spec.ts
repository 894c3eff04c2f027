import { accountsToReach, cutoffIndex, overridesOf, parseActor, rankAccounts, tierReason, topShare, type RankableAccount } from './ranking';

const acc = (id: string, revenue: number, extra: Partial<RankableAccount> = {}): RankableAccount => ({ id, name: `Account ${id}`, tier: 3, computedTier: 3, revenue12m: revenue, tierReason: 'rest', ...extra });

describe('the Pareto ranking', () => {
  it('ranks positive revenue, highest first, with the cumulative share of the total', () => {
    const ranked = rankAccounts([acc('c', 10), acc('a', 60), acc('z', 0), acc('n', -5), acc('b', 30)], 100);
    expect(ranked.map((r) => [r.id, r.rank, r.cumulativeShare])).toEqual([
      ['a', 1, 0.6],
      ['b', 2, 0.9],
      ['c', 3, 1],
    ]);
  });

  it('breaks ties by name then id, keeps at most max, and uses the given total (the tenant total) even when cut', () => {
    const ranked = rankAccounts([acc('2', 50, { name: 'B' }), acc('1', 50, { name: 'A' }), acc('3', 100)], 400, 2);
    expect(ranked.map((r) => r.id)).toEqual(['3', '1']);
    expect(ranked[1].cumulativeShare).toBeCloseTo(0.375);
  });

  it('falls back on the sum of the accounts when the total is not known', () => {
    expect(rankAccounts([acc('a', 1), acc('b', 3)], 0).map((r) => r.cumulativeShare)).toEqual([0.75, 1]);
    expect(rankAccounts([], 0)).toEqual([]);
  });

  it('counts the accounts making 80% (undefined when not reached)', () => {
    const ranked = rankAccounts([acc('a', 50), acc('b', 30), acc('c', 20)], 100);
    expect(accountsToReach(ranked, 0.8)).toBe(2);
    expect(accountsToReach(ranked, 0.5)).toBe(1);
    expect(accountsToReach(rankAccounts([acc('a', 10)], 100), 0.8)).toBeUndefined();
  });

  it('gives the share of the top 20% of all accounts, when the ranking is long enough', () => {
    const ranked = rankAccounts([acc('a', 50), acc('b', 30), acc('c', 20)], 100);
    expect(topShare(ranked, 10, 0.2, true)).toEqual({ accounts: 2, share: 0.8 });
    expect(topShare(ranked, 3, 0.2, true)).toEqual({ accounts: 1, share: 0.5 });
    // 20% of 50 accounts = 10, past the 3 with revenue: all of it if the ranking is complete, unknown otherwise.
    expect(topShare(ranked, 50, 0.2, true)).toEqual({ accounts: 10, share: 1 });
    expect(topShare(ranked, 50, 0.2, false)).toBeUndefined();
    expect(topShare([], 10, 0.2, true)).toBeUndefined();
  });

  it('finds the last account at or above a cut-off', () => {
    const ranked = rankAccounts([acc('a', 50), acc('b', 30), acc('c', 20)], 100);
    expect(cutoffIndex(ranked, 30)).toBe(1);
    expect(cutoffIndex(ranked, 10)).toBe(2);
    expect(cutoffIndex(ranked, 60)).toBeUndefined();
    expect(cutoffIndex(ranked, null)).toBeUndefined();
  });
});

describe('the overrides', () => {
  it('lists the overridden accounts, the latest first', () => {
    const o = (at: string) => ({ tier: 1 as const, reason: 'pilot', expiresAt: null, by: 'user:u1', at });
    const rows = overridesOf([acc('a', 1, { tierOverride: o('2026-01-01T00:00:00Z'), tier: 1 }), acc('b', 1), acc('c', 1, { tierOverride: o('2026-02-01T00:00:00Z'), tier: 1, computedTier: 2 })]);
    expect(rows.map((r) => [r.id, r.tier, r.computedTier, r.reason])).toEqual([
      ['c', 1, 2, 'pilot'],
      ['a', 1, 3, 'pilot'],
    ]);
  });

  it('reads actor references', () => {
    expect(parseActor('user:123')).toEqual({ kind: 'user', id: '123' });
    expect(parseActor('operator')).toEqual({ kind: 'operator' });
  });
});

describe('tier reasons', () => {
  it.each([
    ['tier1-revenue', { key: 'tier1Revenue' }],
    ['no-positive-revenue', { key: 'noPositiveRevenue' }],
    ['override cleared', { key: 'overrideCleared' }],
    ['override: parent group pays', { key: 'overrideWith', text: 'parent group pays' }],
    ['something new', { text: 'something new' }],
  ])('%s', (reason, expected) => expect(tierReason(reason)).toEqual(expected));
});
