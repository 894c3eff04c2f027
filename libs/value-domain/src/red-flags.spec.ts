import { ValueDomainErrorCode as Code } from './errors';
import { redFlags, type RedFlag } from './red-flags';
import { prepareScorecard, scoreAccount, type AccountMeasures, type AccountScorecard } from './scorecard';
import { makeAccount, targets } from './__fixtures__/scorecard';

const prepared = prepareScorecard({ targets });
const card = (overrides: Partial<AccountMeasures> & { measures?: AccountMeasures['measures'] } = {}): AccountScorecard =>
  scoreAccount(makeAccount(overrides), prepared);
const summary = (flags: RedFlag[]) => flags.map((f) => `${f.rule}/${f.measure ?? '-'}/${f.severity}/${f.suggestedAction}`);

describe('redFlags', () => {
  it('an account at target on every measure raises nothing, whatever its tier', () => {
    for (const tier of [1, 2, 3] as const) expect(redFlags(card({ tier }), prepared, 100)).toEqual([]);
  });

  it.each<[string, Partial<AccountMeasures> & { measures?: AccountMeasures['measures'] }, string[]]>([
    // Share of wallet 5 % < floor 10 %: tier 2 → medium; wallet is a conversation → deep-dive interview.
    ['share of wallet under its floor, Tier 2', { tier: 2, measures: { shareOfWallet: 0.05 } }, ['measure-below-floor/shareOfWallet/medium/deep-dive-interview']],
    ['the same on Tier 1 is high', { tier: 1, measures: { shareOfWallet: 0.05 } }, ['measure-below-floor/shareOfWallet/high/deep-dive-interview']],
    ['the same on Tier 3 is low', { tier: 3, measures: { shareOfWallet: 0.05 } }, ['measure-below-floor/shareOfWallet/low/deep-dive-interview']],
    ['gross margin under its floor of 0 → recovery plan', { tier: 2, measures: { grossMargin: -1 } }, ['measure-below-floor/grossMargin/medium/recovery-plan']],
    // Engagement 3.5: above the floor of 2, but under 4 of 5 → not an engaged customer.
    ['engagement 3.5 of 5 on Tier 3', { tier: 3, measures: { engagement: 3.5 } }, ['low-engagement/engagement/low/deep-dive-interview']],
    ['engagement exactly 4 is engaged', { tier: 1, measures: { engagement: 4 } }, []],
    // Engagement 1.5 is under its floor of 2 as well as under 4: both rules speak.
    [
      'engagement 1.5 on Tier 1 trips both the floor and the engagement rule',
      { tier: 1, measures: { engagement: 1.5 } },
      ['measure-below-floor/engagement/high/deep-dive-interview', 'low-engagement/engagement/high/deep-dive-interview'],
    ],
    ['morale 2.5 of 5 (under 3) → team change', { tier: 2, measures: { teamMorale: 2.5 } }, ['low-morale/teamMorale/medium/team-change']],
    [
      'morale 1 on Tier 1: under floor 2 and under 3',
      { tier: 1, measures: { teamMorale: 1 } },
      ['measure-below-floor/teamMorale/high/team-change', 'low-morale/teamMorale/high/team-change'],
    ],
    ['growth −5 % on Tier 1 (above floor −10 %) → recovery plan', { tier: 1, measures: { revenueGrowth12m: -0.05 } }, ['negative-growth/revenueGrowth12m/high/recovery-plan']],
    ['growth −5 % on Tier 2 is not flagged', { tier: 2, measures: { revenueGrowth12m: -0.05 } }, []],
    ['missing engagement raises no engagement flag', { tier: 1, measures: { engagement: null } }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(summary(redFlags(card(overrides), prepared))).toEqual(expected);
  });

  describe('Tier 1 total drop (default more than 10 points; more than 20 is critical)', () => {
    it.each<[string, 1 | 2 | 3, number | null | undefined, number, string[]]>([
      ['80 → 65 fell 15 > 10: high', 1, 80, 65, ['total-dropped/-/high/recovery-plan']],
      ['90 → 65 fell 25 > 20: critical', 1, 90, 65, ['total-dropped/-/critical/recovery-plan']],
      ['75 → 65 fell exactly 10: not more than 10', 1, 75, 65, []],
      ['Tier 2 falling 30 is not this rule', 2, 95, 65, []],
      ['no previous period', 1, undefined, 65, []],
      ['previous total unknown', 1, null, 65, []],
    ])('%s', (_name, tier, previous, total, expected) => {
      expect(summary(redFlags({ ...card({ tier }), total }, prepared, previous))).toEqual(expected);
    });

    it('explains the fall in words', () => {
      const [flag] = redFlags({ ...card({ tier: 1 }), total: 65 }, prepared, 80);
      expect(flag.reason).toBe('Tier 1 scorecard total fell 15.0 points (80.0 → 65.0)');
    });

    it('a tenant threshold of 5 flags a 6-point fall', () => {
      expect(summary(redFlags({ ...card({ tier: 1 }), total: 74 }, prepared, 80, { totalDropPoints: 5 }))).toEqual(['total-dropped/-/high/recovery-plan']);
    });

    it('a current total of null (nothing measured) cannot have fallen', () => {
      expect(redFlags({ ...card({ tier: 1 }), total: null }, prepared, 80)).toEqual([]);
    });
  });

  it('a lower-is-better measure (floor above target) is flagged above its floor', () => {
    const lower = prepareScorecard({ targets: { ...targets, openQuotesValue: { floor: 10, target: 2 } } });
    const flags = redFlags(scoreAccount(makeAccount({ measures: { openQuotesValue: 12 } }), lower), lower);
    expect(summary(flags)).toEqual(['measure-below-floor/openQuotesValue/medium/recovery-plan']);
    expect(flags[0].reason).toBe('openQuotesValue is 12, past its floor of 10');
  });

  it('tenant engagement and morale thresholds apply', () => {
    const c = card({ measures: { engagement: 3.5, teamMorale: 3.5 } });
    expect(summary(redFlags(c, prepared, null, { engagementMin: 3, moraleMin: 4 }))).toEqual(['low-morale/teamMorale/medium/team-change']);
  });

  it.each<[string, unknown, unknown, Code, string]>([
    ['a negative drop threshold', { totalDropPoints: -1 }, 50, Code.OutOfRange, 'options.totalDropPoints'],
    ['engagement threshold 6', { engagementMin: 6 }, 50, Code.OutOfRange, 'options.engagementMin'],
    ['morale threshold 0', { moraleMin: 0 }, 50, Code.OutOfRange, 'options.moraleMin'],
    ['an unknown option', { engagementMinimum: 3 }, 50, Code.UnknownField, 'options.engagementMinimum'],
    ['a previous total of 140', undefined, 140, Code.OutOfRange, 'previousTotal'],
  ])('rejects %s', (_name, options, previous, code, field) => {
    expect(() => redFlags(card(), prepared, previous as number, options as never)).toThrow(expect.objectContaining({ code, field }));
  });

  it('rejects a card with a bad tier or no card', () => {
    expect(() => redFlags({ ...card(), tier: 0 as 1 }, prepared)).toThrow(expect.objectContaining({ code: Code.OutOfRange, field: 'card.tier' }));
    expect(() => redFlags(null as never, prepared)).toThrow(expect.objectContaining({ code: Code.InvalidType, field: 'card' }));
  });
});
