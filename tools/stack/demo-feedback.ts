/**
 * Demo feedback for the demo tenant (deterministic, like demo-data.ts): four surveys and a
 * year of answers, imported through the gateway's bulk endpoint (idempotent on externalId):
 *
 * - Relationship NPS, quarterly, from each account's contacts, with four driver ratings and a
 *   `renewed` outcome. Drivers differ by segment: in asset-heavy industries (Manufacturing,
 *   Energy, Logistics, Telecom) speed and quality drive the score; elsewhere staff and value.
 * - CSAT after tickets (triggered by resolved tickets from now on; a year of history imported).
 * - Customer engagement (confidence, integrity, pride, passion) from Tier 1 stakeholders, in
 *   two waves six months apart.
 * - Employee pulse (eNPS and morale) from account-team and service staff, quarterly.
 *
 * About a third of Tier 1 accounts are at risk: their NPS and engagement fall over the last
 * two quarters (recent detractors also open follow-ups, which open cases in support).
 */
import { Rng } from './demo-data';

export type FeedbackSurveyKey = 'nps' | 'csat' | 'engagement' | 'pulse';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** The demo surveys, as create requests (matched by name on a rerun). */
export const DEMO_SURVEYS: Record<FeedbackSurveyKey, Record<string, unknown> & { name: string }> = {
  nps: {
    name: 'Relationship NPS',
    kind: 'nps',
    nature: 'relationship',
    rules: { minDaysBetweenContacts: 60, expiresInDays: 14, reminderAfterHours: 72, maxReminders: 1 },
    definition: {
      languages: ['zh-CN', 'en'],
      title: t('How are we doing?', '我们做得怎么样？'),
      items: [
        { key: 'recommend', type: 'nps', text: t('How likely are you to recommend us to a colleague?', '您向同事推荐我们的可能性有多大？') },
        { key: 'speed', type: 'rating', driver: 'speed', text: t('Speed of our response', '响应速度') },
        { key: 'quality', type: 'rating', driver: 'quality', text: t('Quality of our products and repairs', '产品和维修质量') },
        { key: 'staff', type: 'rating', driver: 'staff', text: t('Our people', '我们的员工') },
        { key: 'value', type: 'rating', driver: 'value', text: t('Value for money', '性价比') },
        { key: 'why', type: 'text', text: t('What is the main reason for your score?', '您打这个分数的主要原因是什么？') },
      ],
    },
  },
  csat: {
    name: 'CSAT after tickets',
    kind: 'csat',
    nature: 'transactional',
    trigger: 'ticket-resolved',
    rules: { minDaysBetweenContacts: 7, expiresInDays: 7, reminderAfterHours: 48, maxReminders: 1 },
    definition: {
      languages: ['zh-CN', 'en'],
      title: t('Your recent service request', '您最近的服务请求'),
      items: [
        { key: 'sat', type: 'csat', text: t('How satisfied are you with how we handled it?', '您对我们的处理满意吗？') },
        { key: 'time', type: 'rating', driver: 'speed', text: t('Time to resolve', '解决时间') },
        { key: 'engineer', type: 'rating', driver: 'staff', text: t('The engineer', '工程师') },
      ],
    },
  },
  engagement: {
    name: 'Tier 1 stakeholder engagement',
    kind: 'engagement',
    nature: 'relationship',
    rules: { minDaysBetweenContacts: 30, expiresInDays: 21, reminderAfterHours: 96, maxReminders: 2 },
    definition: {
      languages: ['zh-CN', 'en'],
      title: t('Our partnership', '我们的合作关系'),
      items: [
        { key: 'confidence', type: 'engagement', level: 'confidence', text: t('We always deliver what we promise', '我们总是兑现承诺') },
        { key: 'integrity', type: 'engagement', level: 'integrity', text: t('We always treat you fairly', '我们总是公平对待您') },
        { key: 'pride', type: 'engagement', level: 'pride', text: t('You are proud to work with us', '您为与我们合作感到自豪') },
        { key: 'passion', type: 'engagement', level: 'passion', text: t('You cannot imagine a better partner', '您想象不到更好的合作伙伴') },
      ],
    },
  },
  pulse: {
    name: 'Employee pulse',
    kind: 'pulse',
    nature: 'relationship',
    rules: { minDaysBetweenContacts: 60, expiresInDays: 10, reminderAfterHours: 48, maxReminders: 1 },
    definition: {
      languages: ['zh-CN', 'en'],
      title: t('Team pulse', '团队脉搏'),
      items: [
        { key: 'enps', type: 'enps', text: t('How likely are you to recommend working here?', '您向朋友推荐在这里工作的可能性有多大？') },
        { key: 'morale', type: 'rating', driver: 'morale', text: t('Morale in your team', '团队士气') },
        { key: 'workload', type: 'rating', driver: 'workload', text: t('A manageable workload', '工作量可控') },
      ],
    },
  },
};

/** What the seed knows after the accounts part: real ids from the API, tiers after re-tiering. */
export interface FeedbackDemoInput {
  now: Date;
  accounts: ReadonlyArray<{ id: string; externalId: string; tier: number; industry: string | null }>;
  /** Contacts by account id. */
  contacts: ReadonlyMap<string, ReadonlyArray<{ id: string; buyingRole: string | null }>>;
  users: ReadonlyArray<{ id: string; role: string }>;
}

export interface DemoImportRow {
  externalId: string;
  answeredAt: string;
  channel: 'email' | 'sms' | 'in-app' | 'call-centre' | 'crm-import';
  contactId?: string;
  userId?: string;
  language: 'zh-CN' | 'en';
  weight?: number;
  answers: Record<string, number | string>;
  comment?: string;
  attributes?: { team?: string };
  outcomes?: Record<string, boolean>;
}

export interface FeedbackDemoPlan {
  rows: Record<FeedbackSurveyKey, DemoImportRow[]>;
  /** Account ids of the Tier 1 accounts shaped to be at risk. */
  atRisk: string[];
}

/** Asset-heavy industries, where speed and quality drive the score (elsewhere: staff and value). */
export const SPEED_DRIVEN = new Set(['Manufacturing', 'Energy', 'Logistics', 'Telecom']);
const QUARTERS = 4;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));

const COMMENTS = {
  low: [
    { language: 'zh-CN' as const, text: '工程师响应太慢了，停机时间太长' },
    { language: 'en' as const, text: 'Repairs take far too long and the quality of spare parts has dropped' },
    { language: 'zh-CN' as const, text: '价格太贵，服务质量一般' },
    { language: 'en' as const, text: 'Nobody called back; I want to file a complaint' },
  ],
  high: [
    { language: 'en' as const, text: 'Fast response and friendly engineers, thank you' },
    { language: 'zh-CN' as const, text: '服务很好，工程师很专业' },
  ],
};

/** The instant `daysAgo` days before `now`, at a deterministic hour. */
const ago = (now: Date, daysAgo: number, rng: Rng) => new Date(now.getTime() - daysAgo * 86_400_000 - rng.int(0, 8 * 3600) * 1000).toISOString();

/** A year of feedback for the demo tenant, shaped as the module comment says. */
export function feedbackDemoPlan(input: FeedbackDemoInput): FeedbackDemoPlan {
  const rows: FeedbackDemoPlan['rows'] = { nps: [], csat: [], engagement: [], pulse: [] };
  const tier1 = input.accounts.filter((a) => a.tier === 1);
  const atRisk = new Set(tier1.filter((a) => new Rng(`risk-${a.externalId}`).next() < 0.34).map((a) => a.id));
  // At least one at risk and one healthy Tier 1 account whenever there are two.
  if (tier1.length >= 2 && atRisk.size === 0) atRisk.add(tier1[0]!.id);
  if (tier1.length >= 2 && atRisk.size === tier1.length) atRisk.delete(tier1[tier1.length - 1]!.id);

  for (const a of input.accounts) {
    const rng = new Rng(`fb-${a.externalId}`);
    const people = input.contacts.get(a.id) ?? [];
    if (people.length === 0) continue;
    const speedDriven = SPEED_DRIVEN.has(a.industry ?? '');
    const risky = atRisk.has(a.id);
    // NPS: each quarter one to three of the account's contacts answer.
    for (let q = 0; q < QUARTERS; q++) {
      const recent = q >= QUARTERS - 2;
      const answering = Math.min(people.length, rng.int(1, 3));
      for (let k = 0; k < answering; k++) {
        const c = people[(q + k) % people.length]!;
        const dip = risky && recent ? 1.3 : 0;
        const r = () => clamp(rng.range(1.5, 5.5) - dip, 1, 5);
        const speed = r();
        const quality = r();
        const staff = r();
        const value = r();
        const drive = speedDriven ? 1.3 * (speed - 3) + 0.9 * (quality - 3) + 0.15 * (staff - 3) + 0.1 * (value - 3) : 0.15 * (speed - 3) + 0.1 * (quality - 3) + 1.3 * (staff - 3) + 0.9 * (value - 3);
        const score = clamp(7.2 + drive + rng.range(-1, 1) - (risky && recent ? 1.5 : 0), 0, 10);
        const comment = score <= 6 ? COMMENTS.low[rng.int(0, COMMENTS.low.length - 1)]! : score >= 9 && rng.next() < 0.3 ? COMMENTS.high[rng.int(0, COMMENTS.high.length - 1)]! : null;
        const daysAgo = (QUARTERS - 1 - q) * 91 + rng.int(5, 80);
        rows.nps.push({
          externalId: `DEMO-FB-NPS-${a.externalId}-Q${q}-${k}`,
          answeredAt: ago(input.now, daysAgo, rng),
          channel: rng.next() < 0.7 ? 'email' : 'sms',
          contactId: c.id,
          language: comment?.language ?? (rng.next() < 0.6 ? 'zh-CN' : 'en'),
          answers: { recommend: score, speed, quality, staff, value, ...(comment ? { why: comment.text } : {}) },
          outcomes: { renewed: score >= 7 ? rng.next() < 0.93 : rng.next() < 0.55 },
        });
      }
    }
    // CSAT after tickets: a few resolved tickets a year per account.
    const tickets = rng.int(0, 4);
    for (let k = 0; k < tickets; k++) {
      const time = clamp(rng.range(1.5, 5.5), 1, 5);
      const engineer = clamp(rng.range(2, 5.5), 1, 5);
      rows.csat.push({
        externalId: `DEMO-FB-CSAT-${a.externalId}-${k}`,
        answeredAt: ago(input.now, rng.int(2, 360), rng),
        channel: 'email',
        contactId: people[k % people.length]!.id,
        language: rng.next() < 0.6 ? 'zh-CN' : 'en',
        answers: { sat: clamp(0.55 * time + 0.45 * engineer + rng.range(-0.7, 0.7), 1, 5), time, engineer },
      });
    }
    // Engagement: Tier 1 stakeholders, two waves (about 9 and 2 months ago).
    if (a.tier === 1) {
      for (const [wave, daysAgo] of [
        [0, 270],
        [1, 60],
      ] as const) {
        const base = risky ? (wave === 1 ? 2.4 : 3.6) : 4.1;
        for (const [k, c] of people.slice(0, 6).entries()) {
          const e = () => clamp(base + rng.range(-0.8, 0.8), 1, 5);
          rows.engagement.push({
            externalId: `DEMO-FB-ENG-${a.externalId}-W${wave}-${k}`,
            answeredAt: ago(input.now, daysAgo + rng.int(0, 20), rng),
            channel: 'email',
            contactId: c.id,
            language: rng.next() < 0.6 ? 'zh-CN' : 'en',
            answers: { confidence: e(), integrity: e(), pride: e(), passion: e() },
          });
        }
      }
    }
  }

  // Employee pulse: account teams (CSMs, managers) and service staff (agents), each quarter.
  for (const u of input.users) {
    const team = u.role === 'agent' ? 'Service' : u.role === 'csm' || u.role === 'manager' ? 'Account team' : null;
    if (!team) continue;
    const rng = new Rng(`pulse-${u.id}`);
    for (let q = 0; q < QUARTERS; q++) {
      const workload = clamp(rng.range(team === 'Service' ? 1.5 : 2.5, 5.5), 1, 5);
      const morale = clamp(rng.range(2, 5.5), 1, 5);
      rows.pulse.push({
        externalId: `DEMO-FB-PULSE-${u.id}-Q${q}`,
        answeredAt: ago(input.now, (QUARTERS - 1 - q) * 91 + rng.int(5, 20), rng),
        channel: 'in-app',
        userId: u.id,
        language: 'zh-CN',
        answers: { enps: clamp(5 + 0.9 * (morale - 3) + 0.8 * (workload - 3) + rng.range(-1.5, 1.5), 0, 10), morale, workload },
        attributes: { team },
      });
    }
  }
  return { rows, atRisk: [...atRisk] };
}

/** The gateway as the demo admin (seed.ts's client): unexpected answers throw, naming the route. */
export interface FeedbackSeedApi {
  get<T>(route: string): Promise<T>;
  post<T>(route: string, body: unknown, timeoutMs?: number): Promise<T>;
  all<T>(route: string): Promise<T[]>;
}

const IMPORT_BATCH = 1_000;

interface ImportAnswer {
  imported: number;
  duplicates: number;
  errors: Array<{ line: number; field: string; rule: string; message: string }>;
}

/**
 * Creates (or finds, by name) and activates the demo surveys, then imports the plan's rows.
 * Accounts' events reach feedback's read model a moment after the contacts were created, so
 * rows refused only because their contact or user is not known yet are retried (imports are
 * idempotent on externalId); any other refusal is an error.
 */
export async function seedFeedback(api: FeedbackSeedApi, plan: FeedbackDemoPlan, o: { log?: (m: string) => void; wait?: (ms: number) => Promise<void>; attempts?: number } = {}): Promise<Record<FeedbackSurveyKey, ImportAnswer>> {
  const log = o.log ?? (() => undefined);
  const wait = o.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const existing = new Map((await api.all<{ id: string; name: string; status: string }>('/v1/feedback/surveys')).map((s) => [s.name, s]));
  const totals = {} as Record<FeedbackSurveyKey, ImportAnswer>;
  for (const key of Object.keys(DEMO_SURVEYS) as FeedbackSurveyKey[]) {
    const spec = DEMO_SURVEYS[key];
    let survey = existing.get(spec.name);
    if (!survey) survey = await api.post<{ id: string; name: string; status: string }>('/v1/feedback/surveys', spec);
    if (survey.status === 'draft') await api.post(`/v1/feedback/surveys/${survey.id}/activate`, {});
    const total: ImportAnswer = { imported: 0, duplicates: 0, errors: [] };
    const rows = plan.rows[key];
    for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
      const batch = rows.slice(i, i + IMPORT_BATCH);
      let earlier = 0; // imported by an earlier attempt of this batch: a duplicate now, but not one from a previous seed
      for (let attempt = 1; ; attempt++) {
        const res = await api.post<ImportAnswer>(`/v1/feedback/surveys/${survey.id}/responses/import`, { rows: batch }, 60_000);
        total.imported += res.imported;
        const unknown = res.errors.filter((e) => e.rule === 'exists' && (e.field === 'contactId' || e.field === 'userId'));
        const other = res.errors.filter((e) => !unknown.includes(e));
        if (other.length) throw new Error(`seeding demo feedback: ${spec.name} import rejected ${other.length} row(s): ${other.slice(0, 3).map((e) => `line ${i + e.line} ${e.field} ${e.message}`).join('; ')}`);
        if (unknown.length === 0) {
          total.duplicates += res.duplicates - earlier;
          break;
        }
        earlier += res.imported;
        if (attempt >= (o.attempts ?? 40)) throw new Error(`seeding demo feedback: ${unknown.length} respondent(s) of ${spec.name} never reached feedback's read model`);
        await wait(500);
      }
    }
    totals[key] = total;
    log(`demo data: ${spec.name}: ${total.imported} responses imported, ${total.duplicates} already there`);
  }
  return totals;
}
