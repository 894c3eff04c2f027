import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Subscription } from 'nats';
import { AccountDto, ContactDto, Events, StewardError, Subjects, SurveyDefinition } from '@steward/contracts';
import { ces, engagement, enps } from '@steward/feedback-domain';
import { decodeBody } from '@steward/messaging';
import { JOBS, type JobQueue } from '@steward/service-kit';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { expectEventually } from '@steward/testing';
import { Client } from 'pg';
import { defaultFeedbackSettings, type FeedbackSettings } from './config';
import { DirectoryService } from './directory/directory.service';
import { feedbackService } from './service';
import { RemindInvitationsJob } from './surveys/surveys.jobs';

// CES, engagement and eNPS from rollups, trend, response rate, account engagement, the
// loop's states, the six events, and the reminder and expiry rules (a movable clock).
const s = Subjects.feedback;
let h: ServiceHarness<FeedbackSettings>;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

/** Every event feedback emits (each test finds its own by ids). */
const seen: Array<{ subject: string; payload: Record<string, unknown> }> = [];
const subs: Subscription[] = [];

beforeAll(async () => {
  h = await startServiceHarness(feedbackService, 'feedbackroll', {
    settings: { ...defaultFeedbackSettings(), rollupDelayMs: 20 },
    clock,
    jobs: { concurrency: 2, pollMs: 100, leaseMs: 5000, retryBaseMs: 100, retryMaxMs: 1000, retentionMs: 3600_000 },
  });
  for (const subject of Object.values(Events.feedback)) {
    const sub = h.nats.subscribe(h.prefix + subject);
    subs.push(sub);
    void (async () => {
      for await (const m of sub) seen.push({ subject, payload: decodeBody(m.data, m.headers) });
    })();
  }
});
afterAll(async () => {
  for (const sub of subs) sub.unsubscribe();
  await h?.close();
});

const text = (en: string, zh = `${en}（中文）`) => ({ en, 'zh-CN': zh });
type Admin = ReturnType<ServiceHarness<FeedbackSettings>['as']>;

async function expectError(p: Promise<unknown>, code: string, field?: string) {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(StewardError);
  expect((err as StewardError).code).toBe(code);
  if (field) expect((err as StewardError).details?.errors?.map((e) => e.field)).toContain(field);
  return err as StewardError;
}

async function tenantWithContacts(count: number) {
  const tenant = randomUUID();
  const admin = h.as(tenant, randomUUID(), 'admin');
  const accountId = randomUUID();
  const now = new Date().toISOString();
  const account = { id: accountId, name: 'Acme', tier: 1, industry: 'Energy', region: 'APAC', csmId: randomUUID(), ownerId: null, lifecycle: 'active', deletedAt: null, updatedAt: now } as unknown as AccountDto;
  const contacts = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), accountId, name: `Contact ${i}`, email: `c${i}@acme.test`, phone: null, buyingRole: i % 2 ? 'influencer' : 'decision-maker', influence: 'high', updatedAt: now }) as unknown as ContactDto);
  const directory = h.runtime.app.get(DirectoryService);
  await h.runtime.uow.forTenant(tenant, async (tx) => {
    await directory.accountChanged(tx, account, false);
    for (const c of contacts) await directory.contactChanged(tx, c);
  });
  return { tenant, admin, accountId, account, contacts };
}

async function activeSurvey(admin: Admin, kind: string, items: SurveyDefinition['items'], rules: Record<string, number> = {}) {
  const survey = await h.client.request(
    s.surveyCreate,
    { name: `${kind} survey`, kind, definition: { languages: ['zh-CN', 'en'], title: text('Survey'), items }, rules: { minDaysBetweenContacts: 0, expiresInDays: 14, reminderAfterHours: 0, maxReminders: 0, ...rules } } as never,
    { context: admin },
  );
  return h.client.request(s.surveyActivate, { id: survey.id }, { context: admin });
}

const ENGAGEMENT_ITEMS: SurveyDefinition['items'] = [
  { key: 'conf', type: 'engagement', level: 'confidence', text: text('Confidence') },
  { key: 'integ', type: 'engagement', level: 'integrity', text: text('Integrity') },
  { key: 'pride', type: 'engagement', level: 'pride', text: text('Pride') },
  { key: 'passion', type: 'engagement', level: 'passion', text: text('Passion') },
];
const NPS_ITEMS: SurveyDefinition['items'] = [{ key: 'recommend', type: 'nps', text: text('Recommend?') }];

/** The CES half-width as scores.ts defines it: 1.96 · s / √n from the answers. */
function cesMargin(xs: number[]): number | null {
  if (xs.length < 2) return null;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, x) => a + (x - m) ** 2, 0);
  return 1.96 * Math.sqrt(ss / (xs.length - 1) / xs.length);
}

describe('CES, engagement and eNPS from rollups', () => {
  it('equal a direct computation on the same answers, for the period, per month (trend with margin of error) and per tier', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            month: fc.integer({ min: 1, max: 3 }),
            tier: fc.constantFrom(1, 2),
            effort: fc.integer({ min: 1, max: 7 }),
            enps: fc.integer({ min: 0, max: 10 }),
            levels: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
          }),
          { minLength: 2, maxLength: 30 },
        ),
        async (answers) => {
          const t = await tenantWithContacts(0);
          const cesSurvey = await activeSurvey(t.admin, 'ces', [{ key: 'effort', type: 'ces', text: text('Easy?') }]);
          const engSurvey = await activeSurvey(t.admin, 'engagement', ENGAGEMENT_ITEMS);
          const pulse = await activeSurvey(t.admin, 'pulse', [{ key: 'enps', type: 'enps', text: text('Recommend working here?') }]);
          const at = (a: (typeof answers)[number]) => `2026-0${a.month}-10T08:00:00Z`;
          const imp = (surveyId: string, rows: unknown[]) => h.client.request(s.responseImport, { surveyId, rows }, { context: t.admin });
          expect((await imp(cesSurvey.id, answers.map((a, i) => ({ externalId: `C-${i}`, answeredAt: at(a), attributes: { tier: a.tier }, answers: { effort: a.effort } })))).imported).toBe(answers.length);
          expect((await imp(engSurvey.id, answers.map((a, i) => ({ externalId: `E-${i}`, answeredAt: at(a), attributes: { tier: a.tier }, answers: { conf: a.levels[0], integ: a.levels[1], pride: a.levels[2], passion: a.levels[3] } })))).imported).toBe(answers.length);
          expect((await imp(pulse.id, answers.map((a, i) => ({ externalId: `P-${i}`, answeredAt: at(a), attributes: { team: 'Service', tier: a.tier }, answers: { enps: a.enps } })))).imported).toBe(answers.length);
          const q = (kind: 'ces' | 'engagement' | 'enps', extra: Record<string, unknown> = {}) => h.client.request(s.analyticsQuery, { kind, from: '2026-01', to: '2026-03', dimension: 'all', trend: true, ...extra } as never, { context: t.admin });

          const efforts = answers.map((a) => a.effort);
          const cesAll = await expectEventually(async () => {
            const r = await q('ces');
            expect(r.result.n).toBe(answers.length);
            return r;
          });
          expect(cesAll.result.score).toBeCloseTo(ces(efforts).ces!, 12);
          expect(cesAll.result.easyShare).toBeCloseTo(ces(efforts).easyShare!, 12);
          for (const m of cesAll.trend!) {
            const xs = answers.filter((a) => `2026-0${a.month}` === m.month).map((a) => a.effort);
            expect(m.result.n).toBe(xs.length);
            expect(m.result.score).toBe(xs.length ? ces(xs).ces : null);
            if (xs.length >= 2) expect(m.result.marginOfError).toBeCloseTo(cesMargin(xs)!, 9);
          }

          const eng = await expectEventually(async () => {
            const r = await q('engagement');
            expect(r.result.n).toBe(answers.length);
            return r;
          });
          const direct = engagement(answers.map((a) => ({ confidence: [a.levels[0]], integrity: [a.levels[1]], pride: [a.levels[2]], passion: [a.levels[3]] })));
          expect(eng.result.score).toBeCloseTo(direct.overall!, 12);
          expect(eng.result.band).toBe(direct.band);
          expect(eng.result.bands).toEqual(direct.bands);
          expect(eng.result.levels!.passion).toBeCloseTo(direct.levels!.passion, 12);

          const pulseAll = await expectEventually(async () => {
            const r = await q('enps', { dimension: 'team', value: 'Service' });
            expect(r.result.n).toBe(answers.length);
            return r;
          });
          const e = enps(answers.map((a) => a.enps));
          expect(pulseAll.result).toMatchObject({ score: e.nps, promoters: e.promoters, detractors: e.detractors });
          expect(pulseAll.result.marginOfError).toBeCloseTo(e.marginOfError!, 12);
          for (const m of pulseAll.trend!) {
            const xs = answers.filter((a) => `2026-0${a.month}` === m.month).map((a) => a.enps);
            expect(m.result.n).toBe(xs.length);
            if (xs.length) expect(m.result.marginOfError).toBe(enps(xs).marginOfError);
          }
          const tier2 = await q('ces', { dimension: 'tier', value: '2', trend: false });
          const xs2 = answers.filter((a) => a.tier === 2).map((a) => a.effort);
          expect(tier2.result.n).toBe(xs2.length);
          expect(tier2.result.score).toBe(xs2.length ? ces(xs2).ces : null);
        },
      ),
      { numRuns: 3, seed: 11 },
    );
  });
});

describe('response rate and account engagement', () => {
  it('counts invitations sent and answered per survey and month', async () => {
    const t = await tenantWithContacts(3);
    const survey = await activeSurvey(t.admin, 'nps', NPS_ITEMS);
    const inv = await h.client.request(s.invitationCreate, { surveyId: survey.id, channel: 'email', recipients: t.contacts.map((c) => ({ contactId: c.id })) }, { context: t.admin });
    const anon = { actor: { kind: 'system' as const, id: 'anonymous' }, correlationId: randomUUID() };
    await h.client.request(s.respondentSubmit, { token: inv.created[0]!.token, answers: { recommend: 9 } }, { context: anon });
    const month = clock.now().toISOString().slice(0, 7);
    const rate = await expectEventually(async () => {
      const r = await h.client.request(s.responseRate, { surveyId: survey.id, from: month, to: month }, { context: t.admin });
      expect(r.responded).toBe(1);
      return r;
    });
    expect(rate).toEqual({ invited: 3, responded: 1, rate: 1 / 3 });
    const other = await h.client.request(s.responseRate, { surveyId: survey.id, from: '2020-01', to: '2020-12' }, { context: t.admin });
    expect(other).toEqual({ invited: 0, responded: 0, rate: null });
  });

  it("gives engagement per stakeholder and buying role on the account's decision chain", async () => {
    const t = await tenantWithContacts(3);
    const survey = await activeSurvey(t.admin, 'engagement', ENGAGEMENT_ITEMS);
    const levels = [
      [5, 5, 4, 5],
      [2, 3, 2, 1],
      [4, 4, 3, 3],
    ];
    await h.client.request(
      s.responseImport,
      { surveyId: survey.id, rows: t.contacts.map((c, i) => ({ externalId: `S-${i}`, answeredAt: '2026-02-01T00:00:00Z', contactId: c.id, answers: { conf: levels[i]![0], integ: levels[i]![1], pride: levels[i]![2], passion: levels[i]![3] } })) },
      { context: t.admin },
    );
    const one = (i: number) => ({ confidence: [levels[i]![0]!], integrity: [levels[i]![1]!], pride: [levels[i]![2]!], passion: [levels[i]![3]!] });
    const view = await expectEventually(async () => {
      const r = await h.client.request(s.accountEngagement, { accountId: t.accountId, from: '2026-01', to: '2026-03' }, { context: t.admin });
      expect(r.result.n).toBe(3);
      return r;
    });
    expect(view.result.score).toBeCloseTo(engagement([one(0), one(1), one(2)]).overall!, 12);
    const byRole = Object.fromEntries(view.byRole.map((r) => [r.role, r.result]));
    expect(byRole['decision-maker']).toMatchObject({ n: 2, score: engagement([one(0), one(2)]).overall, band: engagement([one(0), one(2)]).band });
    expect(byRole.influencer).toMatchObject({ n: 1, score: engagement([one(1)]).overall, band: engagement([one(1)]).band });
    for (const [i, c] of t.contacts.entries()) {
      const st = view.stakeholders.find((x) => x.contactId === c.id)!;
      expect(st).toMatchObject({ name: `Contact ${i}`, buyingRole: c.buyingRole, result: { n: 1, score: engagement([one(i)]).overall, band: engagement([one(i)]).band } });
    }
    await expectError(h.client.request(s.accountEngagement, { accountId: randomUUID(), from: '2026-01', to: '2026-03' }, { context: t.admin }), 'NOT_FOUND');
  });
});

describe('the closed loop by hand, and the six events', () => {
  it('moves open → contacted → resolved → closed with an outcome, forward only; emits response, detractor, engagement, loop and survey events', async () => {
    const t = await tenantWithContacts(1);
    const survey = await activeSurvey(t.admin, 'nps', [...NPS_ITEMS, ...ENGAGEMENT_ITEMS.map((i) => ({ ...i, required: false }))]);
    const now = clock.now().toISOString();
    await h.client.request(s.responseImport, { surveyId: survey.id, rows: [{ externalId: 'L-1', answeredAt: now, contactId: t.contacts[0]!.id, answers: { recommend: 3, conf: 2, integ: 2, pride: 1, passion: 1 } }] }, { context: t.admin });
    const loop = (await h.client.request(s.loopList, { limit: 10 }, { context: t.admin })).items[0]!;
    expect(loop).toMatchObject({ status: 'open', reasons: ['detractor'], csmId: t.account.csmId, contactedAt: null });

    const contacted = await h.client.request(s.loopUpdate, { id: loop.id, status: 'contacted', note: 'Called' }, { context: t.admin });
    expect(contacted).toMatchObject({ status: 'contacted', note: 'Called', resolvedAt: null, closedAt: null, timeToCloseSeconds: null });
    expect(contacted.contactedAt).not.toBeNull();
    const open = await h.client.request(s.loopList, { limit: 10, status: 'contacted' }, { context: t.admin });
    expect(open.items.map((l) => l.id)).toEqual([loop.id]);
    const resolved = await h.client.request(s.loopUpdate, { id: loop.id, status: 'resolved' }, { context: t.admin });
    expect(resolved.contactedAt).toBe(contacted.contactedAt);
    await expectError(h.client.request(s.loopUpdate, { id: loop.id, status: 'contacted' }, { context: t.admin }), 'CONFLICT', 'status');
    await expectError(h.client.request(s.loopUpdate, { id: loop.id, status: 'closed' }, { context: t.admin }), 'VALIDATION_FAILED', 'outcome');
    const closed = await h.client.request(s.loopUpdate, { id: loop.id, status: 'closed', outcome: 'mollified' }, { context: t.admin });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'mollified' });
    expect(closed.timeToCloseSeconds).toBeGreaterThanOrEqual(0);
    const metrics = await h.client.request(s.loopMetrics, { by: 'csm' }, { context: t.admin });
    expect(metrics.groups).toEqual([expect.objectContaining({ value: t.account.csmId, opened: 1, open: 0, closed: 1, recovered: 0 })]);
    await h.client.request(s.surveyClose, { id: survey.id }, { context: t.admin });

    const responseId = loop.responseId;
    const of = (subject: string) => seen.filter((e) => e.subject === subject && JSON.stringify(e.payload).includes(subject.includes('survey.closed') ? survey.id : responseId));
    await expectEventually(() => {
      expect(of(Events.feedback.responseRecorded)).toHaveLength(1);
      expect(of(Events.feedback.detractorDetected)).toHaveLength(1);
      expect(of(Events.feedback.engagementScored)).toHaveLength(1);
      expect(of(Events.feedback.loopOpened)).toHaveLength(1);
      expect(of(Events.feedback.loopClosed)).toHaveLength(1);
      expect(of(Events.feedback.surveyClosed)).toHaveLength(1);
    });
    expect(of(Events.feedback.responseRecorded)[0]!.payload).toMatchObject({ response: { id: responseId, surveyId: survey.id, kind: 'nps', score: 3, tier: 1, accountId: t.accountId } });
    expect(of(Events.feedback.detractorDetected)[0]!.payload).toMatchObject({ responseId, score: 3, accountId: t.accountId, contactId: t.contacts[0]!.id });
    expect(of(Events.feedback.engagementScored)[0]!.payload).toMatchObject({ responseId, overall: 1.5, levels: { confidence: 2, integrity: 2, pride: 1, passion: 1 } });
    expect(of(Events.feedback.loopOpened)[0]!.payload).toMatchObject({ loop: { id: loop.id, status: 'open' } });
    expect(of(Events.feedback.loopClosed)[0]!.payload).toMatchObject({ loop: { id: loop.id, status: 'closed', outcome: 'mollified' } });
    expect(of(Events.feedback.surveyClosed)[0]!.payload).toMatchObject({ survey: { id: survey.id, kind: 'nps' } });
  });
});

describe('reminders and expiry', () => {
  it('reminds only the unanswered invitation with a fresh link (the old one stops working); after expiry the link answers 410 and no reminder goes out', async () => {
    const t = await tenantWithContacts(2);
    const survey = await activeSurvey(t.admin, 'nps', NPS_ITEMS, { reminderAfterHours: 1, maxReminders: 1, expiresInDays: 2 });
    const inv = await h.client.request(s.invitationCreate, { surveyId: survey.id, channel: 'email', recipients: t.contacts.map((c) => ({ contactId: c.id })) }, { context: t.admin });
    const [answered, silent] = inv.created;
    const anon = { actor: { kind: 'system' as const, id: 'anonymous' }, correlationId: randomUUID() };
    await h.client.request(s.respondentSubmit, { token: answered!.token, answers: { recommend: 10 } }, { context: anon });

    const due = async () => {
      const c = new Client({ connectionString: h.db.url });
      await c.connect();
      try {
        return (await c.query(`UPDATE feedback.jobs SET run_at = now() WHERE tenant_id = $1 AND kind = 'feedback.remind' AND status = 'queued' RETURNING id`, [t.tenant])).rowCount;
      } finally {
        await c.end();
      }
    };
    // The hour passes (for the job queue).
    expect(await due()).toBe(1);
    const reminder = await expectEventually(async () => {
      const page = await h.client.request(s.deliveryList, { limit: 10, invitationId: silent!.id }, { context: t.admin });
      const r = page.items.find((d) => d.kind === 'reminder');
      expect(r).toBeDefined();
      return r!;
    });
    expect(reminder).toMatchObject({ recipient: 'c1@acme.test', channel: 'email' });
    const answeredDeliveries = await h.client.request(s.deliveryList, { limit: 10, invitationId: answered!.id }, { context: t.admin });
    expect(answeredDeliveries.items.map((d) => d.kind)).toEqual(['invitation']);
    const fresh = /svy_[A-Za-z0-9_-]+/.exec(reminder.body)![0];
    expect(fresh).not.toBe(silent!.token);
    await expectError(h.client.request(s.respondentOpen, { token: silent!.token }, { context: anon }), 'INVITATION_NOT_FOUND', 'token');
    expect((await h.client.request(s.respondentOpen, { token: fresh }, { context: anon })).status).toBe('pending');
    const listed = await h.client.request(s.invitationList, { limit: 10, surveyId: survey.id }, { context: t.admin });
    expect(listed.items.find((i) => i.id === silent!.id)!.remindersSent).toBe(1);

    // Three days later the invitation has expired.
    offsetMs = 3 * 86_400_000;
    try {
      await expectError(h.client.request(s.respondentSubmit, { token: fresh, answers: { recommend: 8 } }, { context: anon }), 'INVITATION_EXPIRED', 'token');
      const later = await h.client.request(s.invitationList, { limit: 10, surveyId: survey.id }, { context: t.admin });
      expect(Object.fromEntries(later.items.map((i) => [i.id, i.status]))).toEqual({ [answered!.id]: 'completed', [silent!.id]: 'expired' });
      // A reminder job that runs after expiry sends nothing.
      const jobId = await h.runtime.uow.forTenant(t.tenant, (tx) => h.runtime.app.get<JobQueue>(JOBS).enqueue(tx, RemindInvitationsJob, { invitationIds: [silent!.id] }, {}));
      await expectEventually(async () => {
        const c = new Client({ connectionString: h.db.url });
        await c.connect();
        try {
          expect((await c.query(`SELECT status FROM feedback.jobs WHERE id = $1`, [jobId])).rows[0]?.status).toBe('completed');
        } finally {
          await c.end();
        }
      });
      const after = await h.client.request(s.deliveryList, { limit: 10, invitationId: silent!.id }, { context: t.admin });
      expect(after.items.filter((d) => d.kind === 'reminder')).toHaveLength(1);
    } finally {
      offsetMs = 0;
    }
  });
});
