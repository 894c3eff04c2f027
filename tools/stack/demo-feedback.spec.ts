import * as contracts from '@steward/contracts';
import { analyseDrivers, nps } from '@steward/feedback-domain';
import { demoPlan } from './demo-data';
import { DEMO_SURVEYS, feedbackDemoPlan, type FeedbackDemoInput, type FeedbackSeedApi, seedFeedback, SPEED_DRIVEN } from './demo-feedback';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const uuid = (n: number): string => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** The demo plan's accounts and contacts with ids as the API would give them; the 20 largest accounts are Tier 1. */
function input(): FeedbackDemoInput {
  const plan = demoPlan(NOW);
  const ranked = [...plan.accounts].sort((a, b) => b.annualRevenue - a.annualRevenue);
  const tierOf = new Map(ranked.map((a, i) => [a.externalId, i < 20 ? 1 : i < 60 ? 2 : 3]));
  const accounts = plan.accounts.map((a, i) => ({ id: uuid(i + 1), externalId: a.externalId, tier: tierOf.get(a.externalId)!, industry: a.industry }));
  let n = 10_000;
  const contacts = new Map(accounts.map((a) => [a.id, (plan.contacts.get(a.externalId) ?? []).map((c) => ({ id: uuid(n++), buyingRole: c.buyingRole }))]));
  const users = [
    { id: uuid(900), role: 'admin' },
    { id: uuid(901), role: 'manager' },
    { id: uuid(902), role: 'csm' },
    { id: uuid(903), role: 'agent' },
    { id: uuid(904), role: 'viewer' },
  ];
  return { now: NOW, accounts, contacts, users };
}

const data = input();
const plan = feedbackDemoPlan(data);
const accountOfContact = new Map([...data.contacts].flatMap(([accountId, cs]) => cs.map((c) => [c.id, accountId] as const)));
const accountById = new Map(data.accounts.map((a) => [a.id, a]));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('demo feedback', () => {
  it('is the same on every run', () => {
    expect(feedbackDemoPlan(input())).toEqual(plan);
  });

  it('has valid surveys and every row is an import the API accepts, answering every scored item on its scale', () => {
    for (const spec of Object.values(DEMO_SURVEYS)) expect(contracts.CreateSurveyRequest.safeParse(spec).error).toBeUndefined();
    for (const [key, rows] of Object.entries(plan.rows)) {
      expect(rows.length).toBeGreaterThan(key === 'pulse' ? 5 : 50);
      const items = (DEMO_SURVEYS[key as keyof typeof DEMO_SURVEYS].definition as contracts.SurveyDefinition).items;
      for (const row of rows) {
        expect(contracts.ImportedResponse.safeParse(row).error).toBeUndefined();
        for (const item of items) {
          const v = row.answers[item.key];
          if (item.type === 'text') continue;
          const [lo, hi] = item.type === 'nps' || item.type === 'enps' ? [0, 10] : [1, 5];
          expect(Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi).toBe(true);
        }
      }
      expect(new Set(rows.map((r) => r.externalId)).size).toBe(rows.length);
    }
  });

  it('covers a year: NPS and CSAT from the last 12 months, each quarter answered', () => {
    for (const rows of [plan.rows.nps, plan.rows.csat]) {
      const ages = rows.map((r) => (NOW.getTime() - Date.parse(r.answeredAt)) / DAY);
      expect(Math.min(...ages)).toBeGreaterThan(0);
      expect(Math.max(...ages)).toBeLessThan(366);
      expect(Math.max(...ages)).toBeGreaterThan(270);
    }
    const quarters = new Set(plan.rows.nps.map((r) => Math.floor((NOW.getTime() - Date.parse(r.answeredAt)) / DAY / 91.25)));
    expect([...quarters].sort()).toEqual([0, 1, 2, 3]);
    // Each NPS answer comes from a contact of the account it is about.
    for (const r of plan.rows.nps) expect(accountOfContact.has(r.contactId!)).toBe(true);
  });

  it('is shaped so that key drivers differ: speed and quality in asset-heavy industries, staff and value elsewhere', () => {
    const top = (speedDriven: boolean) => {
      const rows = plan.rows.nps.filter((r) => SPEED_DRIVEN.has(accountById.get(accountOfContact.get(r.contactId!)!)!.industry ?? '') === speedDriven);
      const result = analyseDrivers({
        respondents: rows.map((r) => ({ id: r.externalId, items: { speed: r.answers.speed as number, quality: r.answers.quality as number, staff: r.answers.staff as number, value: r.answers.value as number }, outcome: r.answers.recommend as number })),
        resamples: 0,
      });
      return [...result.drivers].sort((a, b) => b.importance - a.importance).slice(0, 2).map((d) => d.driver).sort();
    };
    expect(top(true)).toEqual(['quality', 'speed']);
    expect(top(false)).toEqual(['staff', 'value']);
  });

  it('puts some Tier 1 accounts at risk: their recent engagement and NPS fall below the healthy ones', () => {
    const tier1 = data.accounts.filter((a) => a.tier === 1 && (data.contacts.get(a.id) ?? []).length > 0).map((a) => a.id);
    expect(plan.atRisk.length).toBeGreaterThan(0);
    expect(plan.atRisk.length).toBeLessThan(tier1.length);
    for (const id of plan.atRisk) expect(accountById.get(id)!.tier).toBe(1);
    const engagement = (risky: boolean, wave: string) =>
      mean(plan.rows.engagement.filter((r) => r.externalId.includes(wave) && plan.atRisk.includes(accountOfContact.get(r.contactId!)!) === risky).map((r) => mean([r.answers.confidence, r.answers.integrity, r.answers.pride, r.answers.passion] as number[])));
    expect(engagement(true, '-W1-')).toBeLessThan(3);
    expect(engagement(false, '-W1-')).toBeGreaterThan(3.7);
    expect(engagement(true, '-W0-') - engagement(true, '-W1-')).toBeGreaterThan(0.8);
    // Engagement asks Tier 1 stakeholders only.
    for (const r of plan.rows.engagement) expect(accountById.get(accountOfContact.get(r.contactId!)!)!.tier).toBe(1);
    const recentNps = (risky: boolean) => nps(plan.rows.nps.filter((r) => NOW.getTime() - Date.parse(r.answeredAt) < 182 * DAY && plan.atRisk.includes(accountOfContact.get(r.contactId!)!) === risky && accountById.get(accountOfContact.get(r.contactId!)!)!.tier === 1).map((r) => r.answers.recommend as number)).nps!;
    expect(recentNps(true)).toBeLessThan(recentNps(false) - 30);
  });

  it('asks employees of the account teams and service, not viewers or the admin', () => {
    const byUser = new Map(plan.rows.pulse.map((r) => [r.userId, r.attributes?.team]));
    expect(byUser).toEqual(
      new Map([
        [uuid(901), 'Account team'],
        [uuid(902), 'Account team'],
        [uuid(903), 'Service'],
      ]),
    );
  });
});

describe('seedFeedback', () => {
  /** A gateway that knows one survey already and whose read model misses a contact on the first import. */
  function fakeApi() {
    const calls: string[] = [];
    let lagging = 1;
    const api: FeedbackSeedApi = {
      all: async <T>() => [{ id: uuid(1), name: 'Relationship NPS', status: 'active' }] as T[],
      get: async <T>() => ({}) as T,
      post: async <T>(route: string, body: unknown) => {
        calls.push(route);
        if (route === '/v1/feedback/surveys') return { id: uuid(100 + calls.length), name: (body as { name: string }).name, status: 'draft' } as T;
        if (route.endsWith('/responses/import')) {
          const rows = (body as { rows: unknown[] }).rows;
          if (route.includes(uuid(1)) && lagging-- > 0) return { imported: rows.length - 1, duplicates: 0, errors: [{ line: 1, field: 'contactId', rule: 'exists', message: 'unknown' }] } as T;
          return { imported: route.includes(uuid(1)) ? 1 : rows.length, duplicates: route.includes(uuid(1)) ? rows.length - 1 : 0, errors: [] } as T;
        }
        return {} as T;
      },
    };
    return { api, calls };
  }

  it('creates the missing surveys, activates drafts, and retries rows whose respondent is not known yet', async () => {
    const { api, calls } = fakeApi();
    const small = { rows: { nps: plan.rows.nps.slice(0, 3), csat: plan.rows.csat.slice(0, 2), engagement: plan.rows.engagement.slice(0, 2), pulse: plan.rows.pulse.slice(0, 2) }, atRisk: [] };
    const totals = await seedFeedback(api, small, { wait: async () => undefined });
    expect(calls.filter((c) => c === '/v1/feedback/surveys')).toHaveLength(3);
    expect(calls.filter((c) => c.endsWith('/activate'))).toHaveLength(3);
    expect(calls.filter((c) => c === `/v1/feedback/surveys/${uuid(1)}/responses/import`)).toHaveLength(2);
    expect(totals.nps).toEqual({ imported: 3, duplicates: 0, errors: [] });
    expect(totals.csat.imported).toBe(2);
  });

  it('fails naming the survey and line on any other refusal', async () => {
    const api: FeedbackSeedApi = {
      all: async <T>() => [] as T[],
      get: async <T>() => ({}) as T,
      post: async <T>(route: string) => (route.endsWith('/import') ? { imported: 0, duplicates: 0, errors: [{ line: 2, field: 'answers.recommend', rule: 'out-of-range', message: 'is out of range' }] } : { id: uuid(7), name: 'x', status: 'active' }) as T,
    };
    await expect(seedFeedback(api, plan, { wait: async () => undefined })).rejects.toThrow(/Relationship NPS import rejected 1 row\(s\): line 2 answers.recommend/);
  });
});
