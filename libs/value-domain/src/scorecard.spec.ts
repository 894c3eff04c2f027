import fc from 'fast-check';
import { ValueDomainErrorCode as Code } from './errors';
import {
  normaliseMeasure,
  prepareScorecard,
  rankAccounts,
  SCORECARD_MEASURES,
  scoreAccount,
  scoreAccounts,
  type AccountMeasures,
  type ScorecardConfig,
} from './scorecard';
import { makeAccount, targets } from './__fixtures__/scorecard';

// Every measure half-way between floor and target: 5,000,000; 1,500,000; 5 %; 15 %; 30 %; 3; 3; 3; 2,500,000.
const halfway = { revenue12m: 5_000_000, grossMargin: 1_500_000, revenueGrowth12m: 0.05, valueAddedServiceShare: 0.15, shareOfWallet: 0.3, engagement: 3, impact: 3, teamMorale: 3, openQuotesValue: 2_500_000 };

describe('scorecard', () => {
  describe('normaliseMeasure: floor → 0, target → 100, linear, clamped', () => {
    it.each([
      [5, 0, 10, 50, 'half-way'],
      [-3, 0, 10, 0, 'below floor clamps to 0'],
      [15, 0, 10, 100, 'past target clamps to 100'],
      // Lower-is-better is the same formula with floor above target: (6 − 10)/(2 − 10) = 0.5.
      [6, 10, 2, 50, 'lower-is-better half-way'],
      [12, 10, 2, 0, 'lower-is-better past floor'],
      [1, 10, 2, 100, 'lower-is-better beyond target'],
    ])('value %p, floor %p, target %p → %p (%s)', (v, floor, target, expected) => {
      expect(normaliseMeasure(v, floor, target)).toBeCloseTo(expected, 10);
    });
  });

  describe('scoreAccount', () => {
    it('all nine measures at target → total 100, full coverage', () => {
      const card = scoreAccount(makeAccount(), { targets });
      expect(card.total).toBe(100);
      expect(card.coverage).toBe(1);
      expect(card.missing).toEqual([]);
      expect(Object.keys(card.scores)).toHaveLength(9);
    });

    it('all nine half-way between floor and target → every score 50, total 50', () => {
      const card = scoreAccount(makeAccount({ measures: halfway }), { targets });
      for (const m of SCORECARD_MEASURES) expect(card.scores[m]).toBeCloseTo(50, 9);
      expect(card.total).toBe(50);
    });

    it('re-weights over present measures: revenue 100 and engagement 0 only → (100 + 0)/2 = 50, coverage 2/9', () => {
      const card = scoreAccount({ accountId: 'a', tier: 1, measures: { revenue12m: 12_000_000, engagement: 1.5, impact: null } }, { targets });
      expect(card.scores).toEqual({ revenue12m: 100, engagement: 0 });
      expect(card.total).toBe(50);
      expect(card.coverage).toBeCloseTo(2 / 9, 12);
      expect(card.missing).toEqual(['grossMargin', 'revenueGrowth12m', 'valueAddedServiceShare', 'shareOfWallet', 'impact', 'teamMorale', 'openQuotesValue']);
    });

    it('no measure present → total null and coverage 0, not NaN', () => {
      const card = scoreAccount({ accountId: 'a', tier: 3, measures: {} }, { targets });
      expect(card.total).toBeNull();
      expect(card.coverage).toBe(0);
      expect(card.missing).toHaveLength(9);
    });

    it('tenant weights revenue 3 : engagement 1 (others 0, no target needed): revenue 50, engagement 100 → (150 + 100)/4 = 62.5', () => {
      const config: ScorecardConfig = { targets: { revenue12m: targets.revenue12m, engagement: targets.engagement }, weights: { revenue12m: 3, engagement: 1 } };
      const card = scoreAccount(makeAccount({ measures: { revenue12m: 5_000_000, engagement: 4 } }), config);
      expect(card.total).toBe(62.5);
      // Unweighted measures are not scored but stay visible to the red-flag rules.
      expect(card.scores.teamMorale).toBeUndefined();
      expect(card.values.teamMorale).toBe(4);
    });

    it('accepts a prepared configuration', () => {
      const prepared = prepareScorecard({ targets });
      expect(scoreAccount(makeAccount({ measures: halfway }), prepared).total).toBe(50);
    });

    it.each<[string, unknown, Code, string]>([
      ['a negative weight', { targets, weights: { revenue12m: -1 } }, Code.InvalidWeights, 'config.weights.revenue12m'],
      ['all-zero weights', { targets, weights: { revenue12m: 0 } }, Code.InvalidWeights, 'config.weights'],
      ['an unknown weight', { targets, weights: { nps: 1 } }, Code.UnknownField, 'config.weights.nps'],
      ['a weighted measure with no target', { targets: { ...targets, impact: undefined } }, Code.InvalidTarget, 'config.targets.impact'],
      ['floor equal to target', { targets: { ...targets, impact: { floor: 3, target: 3 } } }, Code.InvalidTarget, 'config.targets.impact'],
      ['a NaN floor', { targets: { ...targets, impact: { floor: Number.NaN, target: 3 } } }, Code.NotFinite, 'config.targets.impact.floor'],
      ['an unknown target', { targets: { ...targets, nps: { floor: 0, target: 50 } } }, Code.UnknownField, 'config.targets.nps'],
      ['no targets', {}, Code.InvalidType, 'config.targets'],
    ])('rejects a config with %s', (_name, config, code, field) => {
      expect(() => prepareScorecard(config as ScorecardConfig)).toThrow(expect.objectContaining({ code, field }));
    });

    it.each<[string, unknown, Code, string]>([
      ['tier 4', makeAccount({ tier: 4 as 1 }), Code.OutOfRange, 'account.tier'],
      ['an empty account id', makeAccount({ accountId: '' }), Code.InvalidType, 'account.accountId'],
      ['engagement 6 of 5', makeAccount({ measures: { engagement: 6 } }), Code.OutOfRange, 'account.measures.engagement'],
      ['a share of wallet of 120 %', makeAccount({ measures: { shareOfWallet: 1.2 } }), Code.OutOfRange, 'account.measures.shareOfWallet'],
      ['growth below −100 %', makeAccount({ measures: { revenueGrowth12m: -1.01 } }), Code.OutOfRange, 'account.measures.revenueGrowth12m'],
      ['an unknown measure', makeAccount({ measures: { nps: 10 } as never }), Code.UnknownField, 'account.measures.nps'],
      ['no measures object', { accountId: 'a', tier: 1 }, Code.InvalidType, 'account.measures'],
    ])('rejects an account with %s', (_name, account, code, field) => {
      expect(() => scoreAccount(account as AccountMeasures, { targets })).toThrow(expect.objectContaining({ code, field }));
    });
  });

  describe('scoreAccounts', () => {
    it('scores a batch in order', () => {
      const cards = scoreAccounts([makeAccount({ accountId: 'a' }), makeAccount({ accountId: 'b', measures: halfway })], { targets });
      expect(cards.map((c) => [c.accountId, Math.round(c.total!)])).toEqual([
        ['a', 100],
        ['b', 50],
      ]);
    });

    it('rejects a duplicate account id with its index', () => {
      expect(() => scoreAccounts([makeAccount({ accountId: 'a' }), makeAccount({ accountId: 'a' })], { targets })).toThrow(
        expect.objectContaining({ code: Code.DuplicateId, field: 'accounts[1].accountId' }),
      );
    });

    it('rejects a non-array batch', () => {
      expect(() => scoreAccounts({} as never, { targets })).toThrow(expect.objectContaining({ code: Code.InvalidType, field: 'accounts' }));
    });
  });

  describe('rankAccounts', () => {
    it('orders by total desc, ties by account id, missing totals last: E 95, B 90, A 80, C 80, D —', () => {
      const ranked = rankAccounts([
        { accountId: 'C', total: 80 },
        { accountId: 'D', total: null },
        { accountId: 'A', total: 80 },
        { accountId: 'E', total: 95 },
        { accountId: 'B', total: 90 },
        { accountId: 'F', total: null },
      ]);
      expect(ranked.map((r) => `${r.rank}:${r.accountId}`)).toEqual(['1:E', '2:B', '3:A', '4:C', '5:D', '6:F']);
    });

    it('compares ids by code unit, not locale: "Z" (0x5A) before "a" (0x61)', () => {
      expect(rankAccounts([{ accountId: 'a', total: 1 }, { accountId: 'Z', total: 1 }]).map((r) => r.accountId)).toEqual(['Z', 'a']);
    });

    it.each<[string, unknown, Code, string]>([
      ['a duplicate id', [{ accountId: 'a', total: 1 }, { accountId: 'a', total: 2 }], Code.DuplicateId, 'cards[1].accountId'],
      ['a total of 120', [{ accountId: 'a', total: 120 }], Code.OutOfRange, 'cards[0].total'],
      ['no array', 'a', Code.InvalidType, 'cards'],
    ])('rejects %s', (_name, cards, code, field) => {
      expect(() => rankAccounts(cards as never)).toThrow(expect.objectContaining({ code, field }));
    });

    const cards = fc.uniqueArray(
      fc.record({ accountId: fc.string({ minLength: 1, maxLength: 4 }), total: fc.option(fc.constantFrom(0, 12.5, 50, 50, 99, 100), { nil: null }) }),
      { selector: (c) => c.accountId, maxLength: 40 },
    );

    it('law: the ranking is a permutation with ranks 1..n, non-increasing totals, ties by id', () => {
      fc.assert(
        fc.property(cards, (input) => {
          const ranked = rankAccounts(input);
          expect(ranked.map((r) => r.accountId).sort()).toEqual(input.map((c) => c.accountId).sort());
          expect(ranked.map((r) => r.rank)).toEqual(input.map((_, i) => i + 1));
          for (let i = 1; i < ranked.length; i++) {
            const [a, b] = [ranked[i - 1], ranked[i]];
            if (a.total === null) expect(b.total).toBeNull();
            else if (b.total !== null) {
              expect(a.total).toBeGreaterThanOrEqual(b.total);
              if (a.total === b.total) expect(a.accountId < b.accountId).toBe(true);
            }
          }
        }),
      );
    });

    it('law: the ranking does not depend on input order', () => {
      fc.assert(
        fc.property(
          cards.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length, maxLength: c.length }))),
          ([a, b]) => {
            expect(rankAccounts(b)).toEqual(rankAccounts(a));
          },
        ),
      );
    });
  });
});
