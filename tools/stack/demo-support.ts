/**
 * Support demo data (issue 8): a support policy (DOMAIN.md §2 with two regional business
 * calendars with holidays), teams for the queues of the ladder, and a few thousand tickets
 * over the last 12 months on the demo accounts, brought in through the import route
 * (`POST /v1/support/tickets:import`, subject `support.ticket.import.v1`) so their SLA is
 * computed as if they had happened live. Shaped so that compliance differs by level (L1
 * answers fastest, L3 is late most often) and a few Tier 1 accounts have breaches and
 * complaints. The plan is deterministic and pure (`supportDemoPlan`); `seedSupportDemo`
 * sends it and is idempotent (tickets by `externalId`, teams by queue, the policy once).
 */
import {
  addBusinessMinutes,
  calendarNameFor,
  defaultPolicyDocument,
  routeTicket,
  type BusinessCalendar,
  type ProjectProfile,
  type SupportLevel,
  type SupportPolicyDocument,
} from '@steward/support-domain';
import { Rng } from './demo-data';

export const DEMO_TICKET_COUNT = 2_400;
/** Tickets per import request (the route takes up to 500). */
export const IMPORT_BATCH = 400;
const DAY_MS = 86_400_000;
const PRIORITIES = [
  ['urgent', 8],
  ['high', 22],
  ['normal', 50],
  ['low', 20],
] as const;
const CATEGORIES = [
  ['incident', 38],
  ['question', 30],
  ['install', 8],
  ['repair', 12],
  ['return', 5],
  ['complaint', 3],
] as const;
type Priority = (typeof PRIORITIES)[number][0];
type Category = (typeof CATEGORIES)[number][0];

/** How often a level answers late (share of first responses past the target). */
export const LATE_SHARE: Record<SupportLevel, number> = { L1: 0.04, L2: 0.12, L3: 0.25 };
/** Tier 1 accounts singled out for a bad year: late half the time, with complaints. */
export const TROUBLED_TIER1_ACCOUNTS = 3;
const TROUBLED_LATE_SHARE = 0.5;

const OFFICE = (start: string, lunch: string, back: string, end: string) => {
  const hours = [
    { start, end: lunch },
    { start: back, end },
  ];
  return { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours };
};

/** The demo policy: DOMAIN.md §2 with EMEA on Berlin hours and APAC on Singapore hours, each with its holidays. */
export function demoSupportPolicy(): SupportPolicyDocument {
  const emea: BusinessCalendar = {
    kind: 'business-hours',
    timeZone: 'Europe/Berlin',
    weeklyHours: OFFICE('08:00', '12:00', '13:00', '17:00'),
    // Yearly: New Year, Labour Day, German Unity, Christmas; one-off: Easter 2026, 2027.
    holidays: ['01-01', '05-01', '10-03', '12-24', '12-25', '12-26', '2026-04-03', '2026-04-06', '2027-03-26', '2027-03-29'],
    specialDays: [{ date: '2026-12-31', hours: [{ start: '08:00', end: '12:00' }] }],
  };
  const apac: BusinessCalendar = {
    kind: 'business-hours',
    timeZone: 'Asia/Singapore',
    weeklyHours: OFFICE('09:00', '12:30', '13:30', '18:00'),
    // Yearly: New Year, Labour Day, National Day, Christmas; one-off: Lunar New Year 2026, 2027.
    holidays: ['01-01', '05-01', '08-09', '12-25', '2026-02-17', '2026-02-18', '2027-02-06', '2027-02-08'],
  };
  return {
    ...structuredClone(defaultPolicyDocument),
    calendars: { ...structuredClone(defaultPolicyDocument.calendars), emea, apac },
    regionCalendars: { EMEA: 'emea', APAC: 'apac' },
    recovery: [
      { id: 'tier1-breach-credit', on: 'breach', when: { tiers: [1], clocks: ['resolution'] }, voucher: { kind: 'credit', faceValue: 50_000, currency: 'EUR', validDays: 180 } },
      { id: 'complaint-goodwill', on: 'complaint', when: { tiers: [1, 2] }, voucher: { kind: 'free-service', faceValue: 25_000, currency: 'EUR', validDays: 90 } },
    ],
  } as SupportPolicyDocument;
}

/** Teams of the queues the demo policy routes to (one per queue). */
export const DEMO_TEAMS: ReadonlyArray<{ name: string; kind: string; queue: string; region?: string; assignment: 'round-robin' | 'least-loaded'; members: string[] }> = [
  { name: 'Call centre', kind: 'call-centre', queue: 'call-centre', assignment: 'round-robin', members: ['agent1@demo.test', 'agent2@demo.test'] },
  { name: 'Technical experts', kind: 'technical-experts', queue: 'technical-experts', assignment: 'least-loaded', members: ['agent2@demo.test'] },
  { name: 'After-sales field service', kind: 'field-service', queue: 'after-sales-field-service', assignment: 'least-loaded', members: ['agent1@demo.test'] },
  { name: 'Branch technical EMEA', kind: 'branch-technical', queue: 'branch-technical/EMEA', region: 'EMEA', assignment: 'least-loaded', members: ['agent1@demo.test'] },
  { name: 'Branch technical APAC', kind: 'branch-technical', queue: 'branch-technical/APAC', region: 'APAC', assignment: 'least-loaded', members: ['agent2@demo.test'] },
  { name: 'Branch technical Americas', kind: 'branch-technical', queue: 'branch-technical/Americas', region: 'Americas', assignment: 'least-loaded', members: ['agent2@demo.test'] },
];

/** What the plan needs of a demo account, as the platform knows it after seeding. */
export interface SupportDemoAccount {
  id: string;
  externalId: string;
  tier: 1 | 2 | 3;
  strategic: boolean;
  projects: Array<{ id: string } & Pick<ProjectProfile, 'kind' | 'size' | 'lead' | 'region'>>;
}

export interface DemoTicket {
  externalId: string;
  accountId: string;
  projectId: string;
  category: Category;
  priority: Priority;
  channel: 'email' | 'phone' | 'portal' | 'crm';
  subject: string;
  createdAt: string;
  history: Array<{ at: string; status: string }>;
  comments: Array<{ at: string; by: 'agent' | 'customer'; visibility: 'public'; body: string }>;
  complaint: boolean;
  /** Not sent: the level the default rules give, and whether the first answer was planned late. */
  plan: { level: SupportLevel; late: boolean; tier: number };
}

const SUBJECTS: Record<Category, readonly string[]> = {
  incident: ['Line stopped after update', 'Controller fault E42', 'Sensor readings drift', 'HMI not responding', 'Network drop on cell 3'],
  question: ['How to export batch reports', 'Licence transfer to new server', 'Maintenance interval question', 'User roles in the portal'],
  install: ['Install second packaging line', 'Commission new drive units', 'Set up remote monitoring gateway'],
  repair: ['Pump seal leaking', 'Gearbox noise', 'Replace worn conveyor belt', 'Servo motor overheating'],
  return: ['Return faulty spare part', 'Wrong part delivered', 'Return unused sensors'],
  complaint: ['Technician arrived late twice', 'Repeated failures after repair', 'No update for a week'],
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The Tier 1 accounts (with projects) singled out for a bad year: the first by external id. */
export function troubledAccounts(accounts: readonly SupportDemoAccount[]): Set<string> {
  const eligible = accounts.filter((a) => a.tier === 1 && a.projects.length > 0).sort((a, b) => a.externalId.localeCompare(b.externalId));
  return new Set(eligible.slice(0, TROUBLED_TIER1_ACCOUNTS).map((a) => a.id));
}

/**
 * The tickets: `count` over the 365 days before `now`, on accounts with projects, each with
 * its first answer, resolution and closure (tickets of the last days may still be open),
 * timed in the business calendar the ticket's level and region use, so the planned share of
 * late first answers per level is what the imported SLA shows.
 */
export function supportDemoPlan(now: Date, accounts: readonly SupportDemoAccount[], count = DEMO_TICKET_COUNT): DemoTicket[] {
  const doc = demoSupportPolicy();
  const withProjects = accounts.filter((a) => a.projects.length > 0).sort((a, b) => a.externalId.localeCompare(b.externalId));
  if (withProjects.length === 0) return [];
  const troubled = troubledAccounts(withProjects);
  const rng = new Rng('demo:support:tickets');
  const nowMs = now.getTime();
  const tickets: DemoTicket[] = [];
  for (let i = 0; i < count; i++) {
    // Bigger accounts (tier 1) raise more tickets; troubled accounts more still.
    const account = rng.weighted(withProjects.map((a) => [a, troubled.has(a.id) ? 12 : a.tier === 1 ? 5 : a.tier === 2 ? 2 : 1] as const));
    const project = rng.pick(account.projects);
    const category: Category = troubled.has(account.id) && rng.chance(0.15) ? 'complaint' : rng.weighted(CATEGORIES);
    const priority: Priority = rng.weighted(PRIORITIES);
    const routed = routeTicket({ project: { kind: project.kind, size: project.size, lead: project.lead, region: project.region }, account: { tier: account.tier, strategic: account.strategic }, category, policy: { rules: doc.rules } });
    const level = routed.level;
    const calendar = doc.calendars[calendarNameFor(doc, level, project.region)]!;
    const targets = doc.levels[level].targets[priority]!;
    const lateShare = troubled.has(account.id) ? TROUBLED_LATE_SHARE : LATE_SHARE[level];
    const late = rng.chance(lateShare);

    // Created within working time of a random day of the last year (not the last hour).
    const day = nowMs - DAY_MS * rng.range(0.05, 365);
    const createdMs = Date.parse(addBusinessMinutes(calendar, iso(day), rng.int(0, 180)));
    if (createdMs >= nowMs - 3_600_000) continue;
    const firstMs = Date.parse(addBusinessMinutes(calendar, iso(createdMs), targets.firstResponse * (late ? rng.range(1.2, 3) : rng.range(0.1, 0.9))));
    const resolveMs = Date.parse(addBusinessMinutes(calendar, iso(firstMs), targets.resolution * (late ? rng.range(0.6, 1.5) : rng.range(0.05, 0.5))));
    const closeMs = resolveMs + DAY_MS * rng.range(1, 5);

    const externalId = `DEMO-T-${String(i + 1).padStart(5, '0')}`;
    const history: DemoTicket['history'] = [];
    const comments: DemoTicket['comments'] = [{ at: iso(createdMs), by: 'customer', visibility: 'public', body: `${rng.pick(SUBJECTS[category])}. Please help.` }];
    if (firstMs < nowMs) {
      comments.push({ at: iso(firstMs), by: 'agent', visibility: 'public', body: 'Thank you, we are looking into it.' });
      history.push({ at: iso(firstMs), status: 'in-progress' });
    }
    if (resolveMs < nowMs) history.push({ at: iso(resolveMs), status: 'resolved' });
    if (closeMs < nowMs && resolveMs < nowMs) history.push({ at: iso(closeMs), status: 'closed' });
    tickets.push({
      externalId,
      accountId: account.id,
      projectId: project.id,
      category,
      priority,
      channel: rng.weighted([
        ['email', 40],
        ['phone', 30],
        ['portal', 20],
        ['crm', 10],
      ] as const),
      subject: rng.pick(SUBJECTS[category]),
      createdAt: iso(createdMs),
      history,
      comments,
      complaint: category === 'complaint',
      plan: { level, late, tier: account.tier },
    });
  }
  return tickets.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The request body of one import: the ticket without its plan notes. */
export const importRequest = (t: DemoTicket): Omit<DemoTicket, 'plan'> => {
  const { plan: _plan, ...rest } = t;
  return rest;
};

/** What the seed needs of the gateway (seed.ts's Api). */
export interface SupportSeedApi {
  get<T>(route: string): Promise<T>;
  post<T>(route: string, body: unknown, timeoutMs?: number): Promise<T>;
  call<T>(method: string, route: string, body?: unknown, ok?: number[], timeoutMs?: number): Promise<{ status: number; body: T }>;
  all<T>(route: string): Promise<T[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Seeds support: waits until support's read models know the demo accounts and projects,
 * saves the demo policy (once: only while the tenant is on the default, version 0), creates
 * the teams that are missing, and imports the tickets (idempotent on externalId).
 */
export async function seedSupportDemo(api: SupportSeedApi, now: Date, log: (msg: string) => void = () => undefined): Promise<{ imported: number; unchanged: number; teams: number }> {
  const started = Date.now();
  type Account = { id: string; externalId: string | null; tier: 1 | 2 | 3; strategic: boolean };
  type Project = { id: string; kind: 'project' | 'purchase'; size: 'large' | 'mid' | 'small'; lead: ProjectProfile['lead']; region: string | null };
  const accounts = (await api.all<Account>('/v1/accounts')).filter((a) => a.externalId?.startsWith('DEMO-'));
  const demo: SupportDemoAccount[] = [];
  let projectCount = 0;
  for (const a of accounts) {
    const projects = (await api.all<Project>(`/v1/accounts/${a.id}/projects`)).map((p) => ({ id: p.id, kind: p.kind, size: p.size, lead: p.lead, region: p.region ?? 'EMEA' }));
    projectCount += projects.length;
    demo.push({ id: a.id, externalId: a.externalId!, tier: a.tier, strategic: a.strategic, projects });
  }
  // The read models are fed by accounts' events: wait until support has them all.
  for (let i = 0; ; i++) {
    const known = await api.get<{ accounts: number; projects: number }>('/v1/support/read-models');
    if (known.accounts >= accounts.length && known.projects >= projectCount) break;
    if (i >= 600) throw new Error(`support's read models know ${known.accounts}/${accounts.length} accounts and ${known.projects}/${projectCount} projects after 60 s`);
    await sleep(100);
  }

  const current = await api.get<{ version: number }>('/v1/support/policy');
  if (current.version === 0) await api.call('PUT', '/v1/support/policy', { policy: demoSupportPolicy() });

  const users = new Map((await api.all<{ id: string; email: string }>('/v1/users')).map((u) => [u.email.toLowerCase(), u.id]));
  const existing = new Set((await api.all<{ queue: string }>('/v1/support/teams')).map((t) => t.queue));
  let teams = 0;
  for (const t of DEMO_TEAMS) {
    if (existing.has(t.queue)) continue;
    const team = await api.post<{ id: string }>('/v1/support/teams', { name: t.name, kind: t.kind, queue: t.queue, assignment: t.assignment, ...(t.region ? { region: t.region } : {}) });
    for (const email of t.members) {
      const userId = users.get(email);
      if (userId) await api.call('PUT', `/v1/support/teams/${team.id}/members/${userId}`, { skills: [], capacity: 40 });
    }
    teams++;
  }

  const plan = supportDemoPlan(now, demo);
  let imported = 0;
  let unchanged = 0;
  for (let i = 0; i < plan.length; i += IMPORT_BATCH) {
    const res = await api.post<{ imported: number; unchanged: number }>('/v1/support/tickets:import', { tickets: plan.slice(i, i + IMPORT_BATCH).map(importRequest) }, 120_000);
    imported += res.imported;
    unchanged += res.unchanged;
  }
  const byLevel = (['L1', 'L2', 'L3'] as const).map((l) => `${l} ${plan.filter((t) => t.plan.level === l).length}`).join(', ');
  log(`demo data: support policy with EMEA and APAC calendars, ${teams} team(s) created; tickets ${plan.length} over 12 months (${byLevel}) — ${imported} imported, ${unchanged} already there (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { imported, unchanged, teams };
}
