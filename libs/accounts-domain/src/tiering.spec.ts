import { AccountsErrorCode } from './errors';
import { computeTiers, thresholdFraction, type Tier, type TierReason, type TieringAccount, type TierOverride } from './tiering';

const NOW = '2026-03-01T12:00:00Z';

function makeAccount(id: string, revenue: number, overrides: Partial<TieringAccount> = {}): TieringAccount {
  return { id, revenue, strategic: false, highPotential: false, ...overrides };
}

/** id → `tier/reason`, the compact form the scenario tables assert on. */
function tiersOf(accounts: TieringAccount[], threshold?: number): Record<string, string> {
  const { assignments } = computeTiers(accounts, threshold === undefined ? { now: NOW } : { now: NOW, threshold });
  return Object.fromEntries(assignments.map((a) => [a.accountId, `${a.tier}/${a.reason}`]));
}

describe('computeTiers — revenue cut-offs', () => {
  it.each<[string, TieringAccount[], number | undefined, Record<string, string>]>([
    [
      // total 100; a 50 → 50%, b 30 → 80% = 80% exactly: Tier 1 stops at b.
      // remaining 20, 80% of it = 16; c 10 → 10, d 6 → 16 = exactly 16: Tier 2 stops at d; e is the rest.
      'cut-off landing exactly on 80% stops there (and exactly on 80% of the remainder too)',
      [makeAccount('a', 50), makeAccount('b', 30), makeAccount('c', 10), makeAccount('d', 6), makeAccount('e', 4)],
      undefined,
      { a: '1/tier1-revenue', b: '1/tier1-revenue', c: '2/tier2-revenue', d: '2/tier2-revenue', e: '3/rest' },
    ],
    [
      // total 1000; 500 + 299 = 799 < 800, so c (101) joins Tier 1 → 900. remaining 100: d alone is 100% → Tier 2.
      'cut-off just below 80% (79.9%) takes one more account',
      [makeAccount('a', 500), makeAccount('b', 299), makeAccount('c', 101), makeAccount('d', 100)],
      undefined,
      { a: '1/tier1-revenue', b: '1/tier1-revenue', c: '1/tier1-revenue', d: '2/tier2-revenue' },
    ],
    [
      // total 1000; 500 + 301 = 801 ≥ 800: Tier 1 = {a, b}. remaining 199, need ⌈159.2⌉ = 160: c 100 < 160, d 99 → 199.
      'cut-off just above 80% (80.1%) stops there',
      [makeAccount('a', 500), makeAccount('b', 301), makeAccount('c', 100), makeAccount('d', 99)],
      undefined,
      { a: '1/tier1-revenue', b: '1/tier1-revenue', c: '2/tier2-revenue', d: '2/tier2-revenue' },
    ],
    [
      // total 100 at threshold 0.55 → 11/20: need exactly 55. a 30 + b 25 = 55 → stop. In floats 100 × 0.55 =
      // 55.00000000000001 and b would not be enough; the exact fraction keeps the boundary where it belongs.
      // remaining 45, need ⌈24.75⌉ = 25: c 25 → Tier 2; d is the rest.
      'threshold 0.55: an exact boundary that floating point would misplace',
      [makeAccount('a', 30), makeAccount('b', 25), makeAccount('c', 25), makeAccount('d', 20)],
      0.55,
      { a: '1/tier1-revenue', b: '1/tier1-revenue', c: '2/tier2-revenue', d: '3/rest' },
    ],
    [
      // 10 × 100 = 1000, need 800: the first 8 by id. remaining 200, need 160: j is 100 (50%) < 160, so k joins → 200.
      'all-equal revenue: first 8 by id are Tier 1, the last 2 are Tier 2',
      ['k', 'j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b'].map((id) => makeAccount(id, 100)),
      undefined,
      { b: '1/tier1-revenue', c: '1/tier1-revenue', d: '1/tier1-revenue', e: '1/tier1-revenue', f: '1/tier1-revenue', g: '1/tier1-revenue', h: '1/tier1-revenue', i: '1/tier1-revenue', j: '2/tier2-revenue', k: '2/tier2-revenue' },
    ],
    [
      // it alone is 100% ≥ 80%.
      'a single account is Tier 1',
      [makeAccount('solo', 1)],
      undefined,
      { solo: '1/tier1-revenue' },
    ],
    [
      // threshold 1: Tier 1 must reach 100% → every positive account; nothing remains for Tier 2.
      'threshold 1 puts every positive account in Tier 1',
      [makeAccount('a', 5), makeAccount('b', 1), makeAccount('z', 0)],
      1,
      { a: '1/tier1-revenue', b: '1/tier1-revenue', z: '3/no-positive-revenue' },
    ],
    [
      // threshold 1e-7: the top account alone clears it; of the remaining 3, the top again.
      'a tiny threshold takes the top account only, at each step',
      [makeAccount('a', 5), makeAccount('b', 2), makeAccount('c', 1)],
      1e-7,
      { a: '1/tier1-revenue', b: '2/tier2-revenue', c: '3/rest' },
    ],
  ])('%s', (_name, accounts, threshold, expected) => {
    expect(tiersOf(accounts, threshold)).toEqual(expected);
  });

  it('reports ranks, cumulative shares and cut-offs (exact-80% scenario)', () => {
    const accounts = [makeAccount('e', 4), makeAccount('a', 50), makeAccount('d', 6), makeAccount('b', 30), makeAccount('c', 10)];
    const { assignments, summary } = computeTiers(accounts, { now: NOW });
    // Output keeps the input order.
    expect(assignments.map((a) => a.accountId)).toEqual(['e', 'a', 'd', 'b', 'c']);
    // ranks a1 b2 c3 d4 e5; cumulative 50, 80, 90, 96, 100 of 100.
    expect(assignments.map((a) => [a.accountId, a.rank, a.cumulativeShare])).toEqual([
      ['e', 5, 1],
      ['a', 1, 0.5],
      ['d', 4, 0.96],
      ['b', 2, 0.8],
      ['c', 3, 0.9],
    ]);
    expect(summary).toEqual({
      totalPositiveRevenue: 100,
      tiers: [
        { tier: 1, accounts: 2, revenue: 80, share: 0.8 },
        { tier: 2, accounts: 2, revenue: 16, share: 0.16 },
        { tier: 3, accounts: 1, revenue: 4, share: 0.04 },
      ],
      cutoffs: { tier1MinRevenue: 30, tier1CumulativeShare: 0.8, tier2MinRevenue: 6, tier2CumulativeShare: 0.96 },
    });
  });

  it('ties are ordered by id (plain string compare, so "B" < "a"), whatever the input order', () => {
    // 5 × 100 = 500, need 400: the first 4 by id. Code-unit order: B, a, b, c, d.
    const accounts = ['d', 'a', 'c', 'B', 'b'].map((id) => makeAccount(id, 100));
    const { assignments } = computeTiers(accounts, { now: NOW });
    expect(Object.fromEntries(assignments.map((a) => [a.accountId, [a.rank, a.tier]]))).toEqual({
      B: [1, 1],
      a: [2, 1],
      b: [3, 1],
      c: [4, 1],
      d: [5, 2],
    });
  });
});

describe('computeTiers — zero and negative revenue', () => {
  it('zero and negative revenue are Tier 3 without rank or share, and count in the tier revenue', () => {
    // positive total 100 (a alone → Tier 1); z 0 and n −50 (a credit note) are outside the ranking.
    const { assignments, summary } = computeTiers([makeAccount('z', 0), makeAccount('a', 100), makeAccount('n', -50)], { now: NOW });
    expect(assignments).toEqual([
      { accountId: 'z', tier: 3, computedTier: 3, reason: 'no-positive-revenue', rank: null, revenue: 0, cumulativeShare: null, overrideExpired: false },
      { accountId: 'a', tier: 1, computedTier: 1, reason: 'tier1-revenue', rank: 1, revenue: 100, cumulativeShare: 1, overrideExpired: false },
      { accountId: 'n', tier: 3, computedTier: 3, reason: 'no-positive-revenue', rank: null, revenue: -50, cumulativeShare: null, overrideExpired: false },
    ]);
    // Tier 3 revenue = 0 + (−50) = −50; its share of positive revenue is 0.
    expect(summary.tiers[2]).toEqual({ tier: 3, accounts: 2, revenue: -50, share: 0 });
    expect(summary.cutoffs).toEqual({ tier1MinRevenue: 100, tier1CumulativeShare: 1, tier2MinRevenue: null, tier2CumulativeShare: null });
  });

  it('all revenue non-positive: everyone is Tier 3, totals and shares are 0, no cut-offs', () => {
    const { assignments, summary } = computeTiers([makeAccount('a', 0), makeAccount('b', -7)], { now: NOW });
    expect(assignments.map((a) => `${a.tier}/${a.reason}`)).toEqual(['3/no-positive-revenue', '3/no-positive-revenue']);
    expect(summary).toEqual({
      totalPositiveRevenue: 0,
      tiers: [
        { tier: 1, accounts: 0, revenue: 0, share: 0 },
        { tier: 2, accounts: 0, revenue: 0, share: 0 },
        { tier: 3, accounts: 2, revenue: -7, share: 0 },
      ],
      cutoffs: { tier1MinRevenue: null, tier1CumulativeShare: null, tier2MinRevenue: null, tier2CumulativeShare: null },
    });
  });

  it('an empty tenant gives no assignments and an all-zero summary', () => {
    expect(computeTiers([], { now: NOW })).toEqual({
      assignments: [],
      summary: {
        totalPositiveRevenue: 0,
        tiers: [
          { tier: 1, accounts: 0, revenue: 0, share: 0 },
          { tier: 2, accounts: 0, revenue: 0, share: 0 },
          { tier: 3, accounts: 0, revenue: 0, share: 0 },
        ],
        cutoffs: { tier1MinRevenue: null, tier1CumulativeShare: null, tier2MinRevenue: null, tier2CumulativeShare: null },
      },
    });
  });
});

describe('computeTiers — strategic and high-potential flags', () => {
  // Revenue tiers without flags: total 1000; a 600 + b 200 = 800 → Tier 1 {a, b};
  // remaining 200, need 160: c 100, d 60 → 160 → Tier 2 {c, d}; e, f, z, n are Tier 3.
  const base = [makeAccount('a', 600), makeAccount('b', 200), makeAccount('c', 100), makeAccount('d', 60), makeAccount('e', 30), makeAccount('f', 10)];

  it.each<[string, TieringAccount, string]>([
    ['a strategic Tier 3 account is promoted to Tier 2', makeAccount('e', 30, { strategic: true }), '2/strategic'],
    ['a high-potential Tier 3 account is promoted to Tier 2', makeAccount('e', 30, { highPotential: true }), '2/high-potential'],
    ['both flags: "strategic" takes precedence', makeAccount('e', 30, { strategic: true, highPotential: true }), '2/strategic'],
    ['a flagged Tier 1 account stays Tier 1', makeAccount('a', 600, { strategic: true, highPotential: true }), '1/tier1-revenue'],
    ['a flagged Tier 2 account keeps its revenue reason', makeAccount('c', 100, { highPotential: true }), '2/tier2-revenue'],
    ['a flagged account with zero revenue is Tier 2', makeAccount('z', 0, { highPotential: true }), '2/high-potential'],
    ['a flagged account with negative revenue is Tier 2', makeAccount('n', -40, { strategic: true }), '2/strategic'],
  ])('%s', (_name, flagged, expected) => {
    const accounts = [...base.filter((a) => a.id !== flagged.id), flagged];
    expect(tiersOf(accounts)[flagged.id]).toBe(expected);
  });

  it('flags do not move the revenue cut-offs of the other accounts', () => {
    const flagged = base.map((a) => makeAccount(a.id, a.revenue, { strategic: true }));
    expect(tiersOf(flagged)).toEqual({ a: '1/tier1-revenue', b: '1/tier1-revenue', c: '2/tier2-revenue', d: '2/tier2-revenue', e: '2/strategic', f: '2/strategic' });
  });
});

describe('computeTiers — overrides', () => {
  // b alone: 100 of 100 → Tier 1 before any override.
  it.each<[string, TierOverride, { tier: Tier; reason: TierReason; overrideExpired: boolean }]>([
    ['an override without expiry applies', { tier: 3, reason: 'parent group pays', expiresAt: null }, { tier: 3, reason: 'override', overrideExpired: false }],
    ['an override expiring after now applies', { tier: 2, reason: 'pilot', expiresAt: '2026-03-01T12:00:00.001Z' }, { tier: 2, reason: 'override', overrideExpired: false }],
    ['an override expiring exactly at now is expired (ignored, reported)', { tier: 3, reason: 'pilot', expiresAt: NOW }, { tier: 1, reason: 'tier1-revenue', overrideExpired: true }],
    ['an override that expired yesterday is ignored and reported', { tier: 3, reason: 'pilot', expiresAt: '2026-02-28T12:00:00Z' }, { tier: 1, reason: 'tier1-revenue', overrideExpired: true }],
    ['expiry compares instants, not strings (13:00+02:00 = 11:00Z, before now)', { tier: 3, reason: 'pilot', expiresAt: '2026-03-01T13:00:00+02:00' }, { tier: 1, reason: 'tier1-revenue', overrideExpired: true }],
    ['an override to the computed tier still says "override"', { tier: 1, reason: 'board decision', expiresAt: null }, { tier: 1, reason: 'override', overrideExpired: false }],
  ])('%s', (_name, override, expected) => {
    const [assignment] = computeTiers([makeAccount('b', 100, { override })], { now: NOW }).assignments;
    expect(assignment).toMatchObject({ computedTier: 1, ...expected });
  });

  it('an override promoting a zero-revenue account counts it in its effective tier', () => {
    const { summary, assignments } = computeTiers([makeAccount('a', 100), makeAccount('z', 0, { override: { tier: 1, reason: 'reference customer', expiresAt: null } })], { now: NOW });
    expect(assignments[1]).toMatchObject({ tier: 1, computedTier: 3, reason: 'override', rank: null });
    expect(summary.tiers[0]).toEqual({ tier: 1, accounts: 2, revenue: 100, share: 1 });
    expect(summary.tiers[2]).toEqual({ tier: 3, accounts: 0, revenue: 0, share: 0 });
  });

  it('override null or absent means no override', () => {
    // total 5, need 4: a alone is Tier 1; b is all of the remaining 1 → Tier 2.
    expect(tiersOf([makeAccount('a', 4, { override: null }), makeAccount('b', 1)])).toEqual({ a: '1/tier1-revenue', b: '2/tier2-revenue' });
  });
});

describe('thresholdFraction', () => {
  it.each<[number, bigint, bigint]>([
    [0.8, 4n, 5n],
    [0.95, 19n, 20n],
    [0.55, 11n, 20n],
    [1, 1n, 1n],
    [0.5, 1n, 2n],
    [1e-7, 1n, 10_000_000n],
    [2.5e-8, 1n, 40_000_000n],
    [0.3333333333333333, 3333333333333333n, 10_000_000_000_000_000n],
    [0.1 + 0.2, 30000000000000004n, 10n ** 17n],
  ])('%s → %s/%s', (threshold, num, den) => {
    const g = (a: bigint, b: bigint): bigint => (b === 0n ? a : g(b, a % b));
    const d = g(num, den);
    expect(thresholdFraction(threshold)).toEqual({ num: num / d, den: den / d });
  });
});

describe('computeTiers — validation', () => {
  const ok = makeAccount('ok', 1);
  it.each<[string, unknown, unknown, AccountsErrorCode, string]>([
    ['accounts not an array', { a: 1 }, { now: NOW }, AccountsErrorCode.InvalidType, 'accounts'],
    ['an account that is not an object', [ok, null], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[1]'],
    ['missing id', [{ revenue: 1, strategic: false, highPotential: false }], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].id'],
    ['blank id', [makeAccount(' ', 1)], { now: NOW }, AccountsErrorCode.OutOfRange, 'accounts[0].id'],
    ['duplicate id', [ok, makeAccount('x', 2), makeAccount('ok', 3)], { now: NOW }, AccountsErrorCode.DuplicateId, 'accounts[2].id'],
    ['revenue as a string', [makeAccount('a', '100' as unknown as number)], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].revenue'],
    ['fractional revenue', [ok, ok, ok, makeAccount('a', 10.5)].map((a, i) => ({ ...a, id: `a${i}` })), { now: NOW }, AccountsErrorCode.NotSafeInteger, 'accounts[3].revenue'],
    ['NaN revenue', [makeAccount('a', Number.NaN)], { now: NOW }, AccountsErrorCode.NotSafeInteger, 'accounts[0].revenue'],
    ['revenue beyond 2^53', [makeAccount('a', 2 ** 53)], { now: NOW }, AccountsErrorCode.NotSafeInteger, 'accounts[0].revenue'],
    ['strategic not a boolean', [{ ...ok, strategic: 'yes' }], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].strategic'],
    ['highPotential missing', [{ id: 'a', revenue: 1, strategic: false }], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].highPotential'],
    ['override not an object', [{ ...ok, override: 'tier1' }], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].override'],
    ['override tier 4', [{ ...ok, override: { tier: 4, reason: 'x', expiresAt: null } }], { now: NOW }, AccountsErrorCode.OutOfRange, 'accounts[0].override.tier'],
    ['override tier as a string', [{ ...ok, override: { tier: '1', reason: 'x', expiresAt: null } }], { now: NOW }, AccountsErrorCode.OutOfRange, 'accounts[0].override.tier'],
    ['override without a reason', [{ ...ok, override: { tier: 1, reason: '  ', expiresAt: null } }], { now: NOW }, AccountsErrorCode.OutOfRange, 'accounts[0].override.reason'],
    ['override expiry not ISO', [{ ...ok, override: { tier: 1, reason: 'x', expiresAt: 'next week' } }], { now: NOW }, AccountsErrorCode.InvalidTimestamp, 'accounts[0].override.expiresAt'],
    ['override expiry without a zone', [{ ...ok, override: { tier: 1, reason: 'x', expiresAt: '2026-04-01T00:00:00' } }], { now: NOW }, AccountsErrorCode.InvalidTimestamp, 'accounts[0].override.expiresAt'],
    ['override expiry on 30 February', [{ ...ok, override: { tier: 1, reason: 'x', expiresAt: '2026-02-30T00:00:00Z' } }], { now: NOW }, AccountsErrorCode.InvalidTimestamp, 'accounts[0].override.expiresAt'],
    ['override expiry as epoch ms', [{ ...ok, override: { tier: 1, reason: 'x', expiresAt: 1 } }], { now: NOW }, AccountsErrorCode.InvalidType, 'accounts[0].override.expiresAt'],
    ['options missing', [ok], undefined, AccountsErrorCode.InvalidType, 'options'],
    ['now missing', [ok], {}, AccountsErrorCode.InvalidType, 'options.now'],
    ['now not ISO', [ok], { now: '01/03/2026' }, AccountsErrorCode.InvalidTimestamp, 'options.now'],
    ['threshold 0', [ok], { now: NOW, threshold: 0 }, AccountsErrorCode.OutOfRange, 'options.threshold'],
    ['threshold above 1', [ok], { now: NOW, threshold: 1.01 }, AccountsErrorCode.OutOfRange, 'options.threshold'],
    ['threshold as a percentage', [ok], { now: NOW, threshold: 80 }, AccountsErrorCode.OutOfRange, 'options.threshold'],
    ['threshold NaN', [ok], { now: NOW, threshold: Number.NaN }, AccountsErrorCode.OutOfRange, 'options.threshold'],
    ['threshold as a string', [ok], { now: NOW, threshold: '0.8' }, AccountsErrorCode.InvalidType, 'options.threshold'],
    ['positive total beyond 2^53', [makeAccount('a', Number.MAX_SAFE_INTEGER), makeAccount('b', 1)], { now: NOW }, AccountsErrorCode.Overflow, 'accounts[1].revenue'],
    ['negative total beyond −2^53', [makeAccount('a', Number.MIN_SAFE_INTEGER), makeAccount('b', -1)], { now: NOW }, AccountsErrorCode.Overflow, 'accounts[1].revenue'],
  ])('refuses %s', (_name, accounts, options, code, field) => {
    expect(() => computeTiers(accounts as TieringAccount[], options as never)).toThrow(expect.objectContaining({ name: 'DomainError', code, field }));
  });

  it('names the first index of a duplicate id in details', () => {
    expect(() => computeTiers([ok, ok], { now: NOW })).toThrow(expect.objectContaining({ details: { id: 'ok', firstIndex: 0 }, message: 'accounts[1].id: duplicates accounts[0].id "ok"' }));
  });

  it('accepts a total of exactly 2^53 − 1 split over accounts', () => {
    const half = (Number.MAX_SAFE_INTEGER - 1) / 2;
    expect(computeTiers([makeAccount('a', half), makeAccount('b', half + 1)], { now: NOW }).summary.totalPositiveRevenue).toBe(Number.MAX_SAFE_INTEGER);
  });
});
