import { businessMinutesBetween, calendarNameFor, validatePolicyDocument } from '@steward/support-domain';
import { ImportTicketsRequest } from '@steward/contracts';
import { Rng } from './demo-data';
import { DEMO_TEAMS, DEMO_TICKET_COUNT, demoSupportPolicy, IMPORT_BATCH, importRequest, LATE_SHARE, supportDemoPlan, TROUBLED_TIER1_ACCOUNTS, troubledAccounts, type SupportDemoAccount } from './demo-support';

const NOW = new Date('2026-11-20T10:00:00Z');
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Demo-like accounts: 40, tiers 1–3, projects of every lead and size in the three regions. */
function accounts(): SupportDemoAccount[] {
  const rng = new Rng('spec:support:accounts');
  const leads = ['vendor', 'partner', 'dealer', 'direct'] as const;
  const sizes = ['large', 'mid', 'small'] as const;
  const regions = ['EMEA', 'APAC', 'Americas'] as const;
  let n = 1000;
  return Array.from({ length: 40 }, (_, i) => ({
    id: uuid(i + 1),
    externalId: `DEMO-${String(i + 1).padStart(4, '0')}`,
    tier: (i < 8 ? 1 : i < 20 ? 2 : 3) as 1 | 2 | 3,
    strategic: i % 7 === 0,
    projects:
      i === 39
        ? []
        : Array.from({ length: rng.int(1, 3) }, () => ({ id: uuid(n++), kind: 'project' as const, size: rng.pick(sizes), lead: rng.pick(leads), region: rng.pick(regions) })),
  }));
}

describe('support demo data', () => {
  const input = accounts();
  const plan = supportDemoPlan(NOW, input);
  const doc = demoSupportPolicy();

  it('is a valid policy with two regional calendars that have holidays, and teams for distinct queues', () => {
    expect(validatePolicyDocument(doc)).toEqual([]);
    expect(doc.regionCalendars).toEqual({ EMEA: 'emea', APAC: 'apac' });
    for (const name of ['emea', 'apac']) {
      const cal = doc.calendars[name]!;
      expect(cal.kind).toBe('business-hours');
      expect(cal.kind === 'business-hours' && cal.holidays!.length).toBeGreaterThanOrEqual(5);
    }
    expect(new Set(DEMO_TEAMS.map((t) => t.queue)).size).toBe(DEMO_TEAMS.length);
  });

  it('is deterministic: the same accounts give the same tickets', () => {
    expect(supportDemoPlan(NOW, input)).toEqual(plan);
  });

  it('has a few thousand tickets over the last 12 months, on accounts with projects, with unique external ids', () => {
    expect(plan.length).toBeGreaterThan(DEMO_TICKET_COUNT * 0.95);
    expect(plan.length).toBeLessThanOrEqual(DEMO_TICKET_COUNT);
    expect(new Set(plan.map((t) => t.externalId)).size).toBe(plan.length);
    const byId = new Map(input.map((a) => [a.id, a]));
    for (const t of plan) {
      const created = Date.parse(t.createdAt);
      expect(created).toBeGreaterThan(NOW.getTime() - 366 * 86_400_000);
      expect(created).toBeLessThan(NOW.getTime() - 3_600_000);
      expect(byId.get(t.accountId)!.projects.map((p) => p.id)).toContain(t.projectId);
    }
    const months = new Set(plan.map((t) => t.createdAt.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it('sends valid import requests: history in lifecycle order, in the past, in batches the route accepts', () => {
    expect(IMPORT_BATCH).toBeLessThanOrEqual(500);
    for (let i = 0; i < plan.length; i += IMPORT_BATCH) {
      expect(() => ImportTicketsRequest.parse({ tickets: plan.slice(i, i + IMPORT_BATCH).map(importRequest) })).not.toThrow();
    }
    for (const t of plan) {
      expect(['in-progress', 'resolved', 'closed'].slice(0, t.history.length)).toEqual(t.history.map((h) => h.status));
      const times = [t.createdAt, ...t.history.map((h) => h.at)].map(Date.parse);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    }
    expect(plan.filter((t) => t.history.length < 2).length).toBeGreaterThan(0); // some still open
  });

  it('answers late exactly when planned, in the business calendar of the level and region', () => {
    const byId = new Map(input.flatMap((a) => a.projects.map((p) => [p.id, p] as const)));
    for (const t of plan.filter((x) => x.comments.some((c) => c.by === 'agent'))) {
      const region = byId.get(t.projectId)!.region;
      const calendar = doc.calendars[calendarNameFor(doc, t.plan.level, region)]!;
      const answer = t.comments.find((c) => c.by === 'agent')!.at;
      const used = businessMinutesBetween(calendar, t.createdAt, answer);
      const target = doc.levels[t.plan.level].targets[t.priority]!.firstResponse;
      expect({ id: t.externalId, late: used > target }).toEqual({ id: t.externalId, late: t.plan.late });
    }
  });

  it('makes compliance differ by level (L1 best, L3 worst) and gives some Tier 1 accounts breaches and complaints', () => {
    const lateShare = (level: string) => {
      const mine = plan.filter((t) => t.plan.level === level);
      return mine.filter((t) => t.plan.late).length / mine.length;
    };
    for (const level of ['L1', 'L2', 'L3'] as const) expect(plan.filter((t) => t.plan.level === level).length).toBeGreaterThan(50);
    expect(lateShare('L1')).toBeLessThan(lateShare('L2'));
    expect(lateShare('L2')).toBeLessThan(lateShare('L3'));
    expect(lateShare('L3')).toBeGreaterThan(LATE_SHARE.L3 * 0.8);
    const troubled = troubledAccounts(input);
    expect(troubled.size).toBe(TROUBLED_TIER1_ACCOUNTS);
    for (const id of troubled) {
      const theirs = plan.filter((t) => t.accountId === id);
      expect(theirs[0]!.plan.tier).toBe(1);
      expect(theirs.filter((t) => t.plan.late).length / theirs.length).toBeGreaterThan(0.3);
      expect(theirs.filter((t) => t.complaint).length).toBeGreaterThanOrEqual(3);
    }
    // Tier 1 accounts that are not singled out answer on time far more often.
    const others = plan.filter((t) => t.plan.tier === 1 && !troubled.has(t.accountId));
    expect(others.filter((t) => t.plan.late).length / others.length).toBeLessThan(0.3);
  });
});
