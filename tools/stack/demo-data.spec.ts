import { parse } from 'csv-parse/sync';
import { buildStakeholderMap } from '@steward/accounts-domain';
import * as contracts from '@steward/contracts';
import {
  ACCOUNT_CSV_COLUMNS,
  accountsCsv,
  BUYING_ROLES,
  contactRequest,
  DEMO_ACCOUNT_COUNT,
  DEMO_PARTNERS,
  DEMO_USERS,
  demoPlan,
  INDUSTRIES,
  INFLUENCE_LEVELS,
  LEAD_CHANNELS,
  LIFECYCLE_STAGES,
  monthsBefore,
  PARTNER_KINDS,
  PROJECT_KINDS,
  PROJECT_LEADS,
  PROJECT_SIZES,
  PROJECT_STATUSES,
  projectRequest,
  revenueLast12,
  Rng,
  SIZE_BANDS,
  tier1Count,
} from './demo-data';

const NOW = new Date('2026-03-10T12:00:00Z');
const plan = demoPlan(NOW);
const uuid = (n: number): string => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const partnerIds = new Map(DEMO_PARTNERS.map((p, i) => [p.key, uuid(900 + i)]));

describe('demo data', () => {

  it('is the same on every run', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const again = demoPlan(new Date(NOW));
    expect(again.accounts).toEqual(plan.accounts);
    expect([...again.contacts]).toEqual([...plan.contacts]);
    expect([...again.projects]).toEqual([...plan.projects]);
    expect(again.revenue).toEqual(plan.revenue);
    expect(accountsCsv(again.accounts, partnerIds)).toBe(accountsCsv(plan.accounts, partnerIds));
  });

  it('keeps accounts, people and projects when only the month changes', () => {
    const later = demoPlan(new Date('2026-09-01T00:00:00Z'));
    expect(later.accounts).toEqual(plan.accounts);
    expect([...later.contacts]).toEqual([...plan.contacts]);
  });

  it('users and partners are valid create requests', () => {
    expect(new Set(DEMO_USERS.map((u) => u.role))).toEqual(new Set(['manager', 'csm', 'agent', 'viewer']));
    for (const u of DEMO_USERS) expect(contracts.CreateUserRequest.safeParse({ ...u, password: 'steward-demo' }).success).toBe(true);
    for (const p of DEMO_PARTNERS) expect(contracts.CreatePartnerRequest.safeParse({ name: p.name, kind: p.kind, region: p.region, contactEmail: p.contactEmail }).success).toBe(true);
    expect(new Set(DEMO_PARTNERS.map((p) => p.kind))).toEqual(new Set(PARTNER_KINDS));
  });

  describe('accounts', () => {
    const { accounts } = plan;

    it('has about 200 accounts across industries, regions, sizes, stages and channels', () => {
      expect(accounts).toHaveLength(DEMO_ACCOUNT_COUNT);
      expect(accounts[0].externalId).toBe('DEMO-0001');
      expect(accounts[199].externalId).toBe('DEMO-0200');
      expect(new Set(accounts.map((a) => a.name)).size).toBe(accounts.length);
      expect(new Set(accounts.map((a) => a.industry))).toEqual(new Set(INDUSTRIES));
      expect(new Set(accounts.map((a) => a.region))).toEqual(new Set(['EMEA', 'APAC', 'Americas']));
      expect(new Set(accounts.map((a) => a.sizeBand))).toEqual(new Set(SIZE_BANDS));
      expect(new Set(accounts.map((a) => a.lifecycle))).toEqual(new Set(LIFECYCLE_STAGES));
      expect(new Set(accounts.map((a) => a.leadChannel))).toEqual(new Set(LEAD_CHANNELS));
      const strategic = accounts.filter((a) => a.strategic).length;
      const highPotential = accounts.filter((a) => a.highPotential).length;
      expect(strategic).toBeGreaterThanOrEqual(5);
      expect(strategic).toBeLessThanOrEqual(20);
      expect(highPotential).toBeGreaterThanOrEqual(5);
      expect(highPotential).toBeLessThanOrEqual(25);
    });

    it('leads partner and dealer accounts through a partner of that kind in the region', () => {
      for (const a of accounts) {
        if (a.leadChannel === 'direct') expect(a.leadPartnerKey).toBeNull();
        else {
          const partner = DEMO_PARTNERS.find((p) => p.key === a.leadPartnerKey)!;
          expect(partner.region).toBe(a.region);
          expect(partner.kind === 'dealer').toBe(a.leadChannel === 'dealer');
        }
      }
    });

    it('renders a CSV the import accepts, row by row', () => {
      const csv = accountsCsv(accounts, partnerIds);
      const rows = parse(csv, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(accounts.length);
      expect(Object.keys(rows[0])).toEqual([...ACCOUNT_CSV_COLUMNS]);
      rows.forEach((row, i) => {
        expect(row.name).toBe(accounts[i].name);
        const request = {
          externalId: row.externalId,
          name: row.name,
          industry: row.industry,
          region: row.region,
          sizeBand: row.sizeBand,
          leadChannel: row.leadChannel,
          leadPartnerId: row.leadPartnerId || null,
          strategic: row.strategic === 'true',
          highPotential: row.highPotential === 'true',
          lifecycle: row.lifecycle,
          customAttributes: Object.fromEntries(Object.entries(row).filter(([k, v]) => k.startsWith('attr.') && v !== '').map(([k, v]) => [k.slice(5), v])),
        };
        expect(contracts.CreateAccountRequest.safeParse(request).error).toBeUndefined();
        if (row.leadChannel === 'partner') expect(row.leadPartnerId).not.toBe('');
        for (const email of [row.ownerEmail, row.csmEmail]) if (email) expect(['admin@demo.test', ...DEMO_USERS.map((u) => u.email)]).toContain(email);
      });
      expect(rows.filter((r) => r['attr.erp'] !== '').length).toBeGreaterThan(150);
    });

    it('refuses to render a partner it has no id for', () => {
      expect(() => accountsCsv(accounts, new Map())).toThrow(/no id for partner/);
    });
  });

  describe('stakeholders', () => {
    const maps = [...plan.contacts.entries()];
    const all = maps.flatMap(([, cs]) => cs);

    it('maps about 60 accounts with 2–6 contacts each, managers before their reports', () => {
      expect(maps.length).toBe(60);
      for (const [, contacts] of maps) {
        expect(contacts.length).toBeGreaterThanOrEqual(2);
        expect(contacts.length).toBeLessThanOrEqual(6);
        expect(contacts[0].reportsTo).toBeNull();
        contacts.forEach((c, i) => {
          if (i > 0) expect(c.reportsTo).toBeLessThan(i);
          const parsed = contracts.CreateContactRequest.safeParse({ accountId: uuid(1), ...contactRequest(c, c.reportsTo === null ? null : uuid(2)) });
          expect(parsed.error).toBeUndefined();
        });
      }
    });

    it('uses every buying role and influence level, and leaves some contacts not engaged', () => {
      expect(new Set(all.map((c) => c.buyingRole))).toEqual(new Set(BUYING_ROLES));
      expect(new Set(all.map((c) => c.influence))).toEqual(new Set(INFLUENCE_LEVELS));
      expect(all.filter((c) => !c.engaged).length).toBeGreaterThan(all.length * 0.15);
    });

    it('shows gaps on some accounts and none on others', () => {
      const gaps = maps.map(([, contacts]) =>
        buildStakeholderMap(contacts.map((c, i) => ({ ...c, id: `c${i}`, reportsToId: c.reportsTo === null ? null : `c${c.reportsTo}` }))).gaps.map((g) => g.code),
      );
      const codes = new Set(gaps.flat());
      for (const code of ['no-decision-maker', 'single-threaded', 'no-champion', 'blocker-unaddressed', 'hidden-influencer']) expect(codes).toContain(code);
      expect(gaps.filter((g) => g.length === 0).length).toBeGreaterThanOrEqual(15);
    });
  });

  describe('installed base', () => {
    const all = [...plan.projects.values()].flat();

    it('records 1–3 projects on a subset of accounts, with every lead, kind, size and status', () => {
      expect(plan.projects.size).toBeGreaterThan(100);
      expect(plan.projects.size).toBeLessThan(DEMO_ACCOUNT_COUNT);
      for (const items of plan.projects.values()) expect(items.length).toBeGreaterThanOrEqual(1);
      for (const items of plan.projects.values()) expect(items.length).toBeLessThanOrEqual(3);
      expect(new Set(all.map((p) => p.lead))).toEqual(new Set(PROJECT_LEADS));
      expect(new Set(all.map((p) => p.kind))).toEqual(new Set(PROJECT_KINDS));
      expect(new Set(all.map((p) => p.size))).toEqual(new Set(PROJECT_SIZES));
      expect(new Set(all.map((p) => p.status))).toEqual(new Set(PROJECT_STATUSES));
    });

    it('names a partner exactly for partner and dealer leads, of the right kind', () => {
      for (const p of all) {
        const partner = DEMO_PARTNERS.find((x) => x.key === p.partnerKey);
        if (p.lead === 'partner') expect(partner?.kind).not.toBe('dealer');
        else if (p.lead === 'dealer') expect(partner?.kind).toBe('dealer');
        else expect(p.partnerKey).toBeNull();
        const parsed = contracts.CreateProjectRequest.safeParse({ accountId: uuid(1), ...projectRequest(p, partnerIds) });
        expect(parsed.error).toBeUndefined();
      }
    });

    it('has live projects in the past and delivering ones without a past go-live', () => {
      const today = NOW.toISOString().slice(0, 10);
      for (const p of all) {
        if (p.status === 'live' || p.status === 'retired') expect(p.goLiveDate! <= today).toBe(true);
        if (p.status === 'delivering' && p.goLiveDate) expect(p.goLiveDate > today).toBe(true);
      }
    });
  });

  describe('revenue', () => {
    const { revenue, accounts } = plan;

    it('covers the 24 full months before now, in integer cents, for every non-prospect', () => {
      const months = monthsBefore(NOW);
      expect(months).toHaveLength(24);
      expect(months[0]).toBe('2024-03');
      expect(months[23]).toBe('2026-02');
      expect(new Set(revenue.map((r) => r.month))).toEqual(new Set(months));
      for (const r of revenue) {
        for (const v of [r.productRevenue, r.serviceRevenue, r.grossMargin]) expect(Number.isSafeInteger(v)).toBe(true);
      }
      const withRevenue = new Set(revenue.map((r) => r.externalId));
      for (const a of accounts) expect(withRevenue.has(a.externalId)).toBe(a.lifecycle !== 'prospect');
      const keys = revenue.map((r) => `${r.externalId}|${r.month}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('fits the batch API (valid rows, batches of at most 10,000)', () => {
      expect(revenue.length).toBeGreaterThan(3000);
      expect(revenue.length).toBeLessThanOrEqual(10_000);
      for (const r of revenue.slice(0, 500)) {
        const row = { accountId: uuid(1), month: r.month, productRevenue: r.productRevenue, serviceRevenue: r.serviceRevenue, grossMargin: r.grossMargin, currency: 'EUR' };
        expect(contracts.RevenueRecordInput.safeParse(row).error).toBeUndefined();
      }
    });

    it('splits product and service revenue with a 25–45% gross margin overall', () => {
      const product = revenue.reduce((s, r) => s + r.productRevenue, 0);
      const service = revenue.reduce((s, r) => s + r.serviceRevenue, 0);
      const margin = revenue.reduce((s, r) => s + r.grossMargin, 0);
      expect(service / (product + service)).toBeGreaterThan(0.1);
      expect(service / (product + service)).toBeLessThan(0.4);
      expect(margin / (product + service)).toBeGreaterThan(0.25);
      expect(margin / (product + service)).toBeLessThan(0.45);
    });

    it('has a few empty months and credit notes', () => {
      const zero = revenue.filter((r) => r.productRevenue === 0 && r.serviceRevenue === 0).length;
      const credit = revenue.filter((r) => r.productRevenue < 0).length;
      expect(zero).toBeGreaterThan(20);
      expect(zero).toBeLessThan(revenue.length * 0.1);
      expect(credit).toBeGreaterThan(10);
      expect(credit).toBeLessThan(revenue.length * 0.03);
    });

    it('is Pareto-shaped: the top 20% carry at least 60%, and Tier 1 is 15–25% of the accounts', () => {
      for (const now of [NOW, new Date('2025-08-20T00:00:00Z'), new Date('2027-01-01T00:00:00Z')]) {
        const byAccount = revenueLast12(demoPlan(now).revenue, now);
        const sorted = accounts.map((a) => byAccount.get(a.externalId) ?? 0).sort((x, y) => y - x);
        const positive = sorted.filter((v) => v > 0).reduce((s, v) => s + v, 0);
        const top = sorted.slice(0, Math.round(accounts.length * 0.2)).reduce((s, v) => s + v, 0);
        expect(top / positive).toBeGreaterThanOrEqual(0.6);
        const tier1 = tier1Count(byAccount);
        expect(tier1).toBeGreaterThanOrEqual(accounts.length * 0.15);
        expect(tier1).toBeLessThanOrEqual(accounts.length * 0.25);
        // No single account is the whole story.
        expect(sorted[0] / positive).toBeLessThan(0.25);
      }
    });

    it('follows the lifecycle: onboarding starts late, churned stops early, at-risk declines', () => {
      const months = monthsBefore(NOW);
      const of = (id: string) => revenue.filter((r) => r.externalId === id);
      for (const a of accounts) {
        const rows = of(a.externalId);
        if (a.lifecycle === 'onboarding') expect(rows.length).toBeLessThanOrEqual(9);
        if (a.lifecycle === 'churned') expect(rows.some((r) => r.month === months[23])).toBe(false);
      }
      const atRisk = accounts.filter((a) => a.lifecycle === 'at-risk');
      const sum = (rows: typeof revenue) => rows.reduce((s, r) => s + r.productRevenue + r.serviceRevenue, 0);
      const first = sum(revenue.filter((r) => atRisk.some((a) => a.externalId === r.externalId) && months.indexOf(r.month) < 12));
      const last = sum(revenue.filter((r) => atRisk.some((a) => a.externalId === r.externalId) && months.indexOf(r.month) >= 12));
      expect(last).toBeLessThan(first);
    });
  });

  it('tier1Count takes the shortest prefix reaching 80%', () => {
    expect(tier1Count(new Map([['a', 50], ['b', 30], ['c', 20]]))).toBe(2);
    expect(tier1Count(new Map([['a', 50], ['b', 29], ['c', 21], ['d', -5], ['e', 0]]))).toBe(3);
  });
});
