import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { AccountDto, ContactDto, Events, EventSchemas, EventSubject, StewardError, Subjects, SurveyDefinition } from '@steward/contracts';
import { analyseDrivers, nps, csat } from '@steward/feedback-domain';
import { encode, writeHeaders } from '@steward/messaging';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { expectEventually } from '@steward/testing';
import { defaultFeedbackSettings, type FeedbackSettings } from './config';
import { DirectoryService } from './directory/directory.service';
import { feedbackService } from './service';

const s = Subjects.feedback;
let h: ServiceHarness<FeedbackSettings>;

beforeAll(async () => {
  h = await startServiceHarness(feedbackService, 'feedbackint', { settings: { ...defaultFeedbackSettings(), rollupDelayMs: 20 }, jobs: { concurrency: 2, pollMs: 100, leaseMs: 5000, retryBaseMs: 100, retryMaxMs: 1000, retentionMs: 3600_000 } });
});
afterAll(async () => {
  await h?.close();
});

const text = (en: string, zh = `${en}（中文）`) => ({ en, 'zh-CN': zh });
const npsDefinition = (): SurveyDefinition => ({
  languages: ['zh-CN', 'en'],
  title: text('How are we doing?', '我们做得怎么样？'),
  items: [
    { key: 'recommend', type: 'nps', text: text('How likely are you to recommend us?') },
    { key: 'speed', type: 'rating', driver: 'speed', text: text('Speed') },
    { key: 'quality', type: 'rating', driver: 'quality', text: text('Quality') },
    { key: 'staff', type: 'rating', driver: 'staff', text: text('Staff') },
    { key: 'why', type: 'text', text: text('Why?') },
  ],
});

async function expectError(p: Promise<unknown>, code: string, field?: string) {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(StewardError);
  expect((err as StewardError).code).toBe(code);
  if (field) expect((err as StewardError).details?.errors?.map((e) => e.field)).toContain(field);
  return err as StewardError;
}

/** A tenant with an account and contacts in feedback's read model (as accounts' events would leave them). */
async function tenantWithContacts(count: number, o: { tier?: 1 | 2 | 3; email?: boolean } = {}) {
  const tenant = randomUUID();
  const admin = h.as(tenant, randomUUID(), 'admin');
  const accountId = randomUUID();
  const now = new Date().toISOString();
  const account = { id: accountId, name: 'Acme', tier: o.tier ?? 1, industry: 'Manufacturing', region: 'EMEA', csmId: randomUUID(), ownerId: null, lifecycle: 'active', deletedAt: null, updatedAt: now } as unknown as AccountDto;
  const contacts = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), accountId, name: `Contact ${i}`, email: o.email === false ? null : `c${i}@acme.test`, phone: '+86 10 1234', buyingRole: i % 2 ? 'influencer' : 'decision-maker', influence: 'high', updatedAt: now }) as unknown as ContactDto);
  const directory = h.runtime.app.get(DirectoryService);
  await h.runtime.uow.forTenant(tenant, async (tx) => {
    await directory.accountChanged(tx, account, false);
    for (const c of contacts) await directory.contactChanged(tx, c);
  });
  return { tenant, admin, accountId, account, contacts };
}

async function activeSurvey(admin: ReturnType<ServiceHarness<FeedbackSettings>['as']>, over: Record<string, unknown> = {}) {
  const survey = await h.client.request(s.surveyCreate, { name: 'Relationship NPS', kind: 'nps', definition: npsDefinition(), rules: { minDaysBetweenContacts: 30, expiresInDays: 14, reminderAfterHours: 0, maxReminders: 0 }, ...over } as never, { context: admin });
  return h.client.request(s.surveyActivate, { id: survey.id }, { context: admin });
}

/** Publishes another service's event the way its relay does: envelope headers, signed. */
async function publish(tenant: string, subject: EventSubject, payload: unknown) {
  EventSchemas[subject].parse(payload); // what support would publish
  const headers = writeHeaders({ messageId: randomUUID(), tenantId: tenant, actor: { kind: 'system', id: 'support' }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
  const data = encode(payload);
  h.context.sign(h.prefix + subject, headers, data);
  await h.nats.jetstream().publish(h.prefix + subject, data, { headers });
}

describe('surveys', () => {
  it('goes draft → active → new version on change → closed; a preview in each language; a bad definition names every field', async () => {
    const { admin } = await tenantWithContacts(0);
    const draft = await h.client.request(s.surveyCreate, { name: 'NPS', kind: 'nps', definition: npsDefinition() } as never, { context: admin });
    expect(draft).toMatchObject({ status: 'draft', version: 1, audience: 'customers' });
    const edited = await h.client.request(s.surveyUpdate, { id: draft.id, definition: npsDefinition() } as never, { context: admin });
    expect(edited.version).toBe(1);
    const active = await h.client.request(s.surveyActivate, { id: draft.id }, { context: admin });
    expect(active.status).toBe('active');
    const v2 = await h.client.request(s.surveyUpdate, { id: draft.id, definition: { ...npsDefinition(), title: text('New title', '新标题') } } as never, { context: admin });
    expect(v2.version).toBe(2);
    const zh = await h.client.request(s.surveyPreview, { id: draft.id, language: 'zh-CN', version: 1 }, { context: admin });
    expect(zh).toMatchObject({ version: 1, language: 'zh-CN', title: '我们做得怎么样？' });
    const closed = await h.client.request(s.surveyClose, { id: draft.id }, { context: admin });
    expect(closed.closedAt).not.toBeNull();
    const bad = await expectError(
      h.client.request(s.surveyCreate, { name: 'x', kind: 'nps', definition: { languages: ['zh-CN', 'en'], title: { en: 'Only English' }, items: [{ key: 'a', type: 'rating', driver: 'speed', text: text('A') }, { key: 'a', type: 'rating', driver: 'speed', text: text('B') }] } } as never, { context: admin }),
      'VALIDATION_FAILED',
    );
    expect(bad.details?.errors?.map((e) => `${e.field}:${e.rule}`).sort()).toEqual(
      ['definition.items:outcome-item', 'definition.items[1].driver:duplicate-driver', 'definition.items[1].key:duplicate-key', 'definition.title.zh-CN:missing-language'].sort(),
    );
  });
});

describe('invitations and the respondent', () => {
  it('invites, opens, saves partial answers, submits once; reuse, expiry and unknown tokens are refused by name', async () => {
    const t = await tenantWithContacts(2);
    const survey = await activeSurvey(t.admin);
    const inv = await h.client.request(s.invitationCreate, { surveyId: survey.id, channel: 'email', language: 'en', recipients: [{ contactId: t.contacts[0]!.id }] }, { context: t.admin });
    expect(inv.created).toHaveLength(1);
    const token = inv.created[0]!.token;
    const deliveries = await h.client.request(s.deliveryList, { limit: 10, invitationId: inv.created[0]!.id }, { context: t.admin });
    expect(deliveries.items[0]).toMatchObject({ kind: 'invitation', recipient: 'c0@acme.test' });
    expect(deliveries.items[0]!.body).toContain(token);

    const anon = { actor: { kind: 'system' as const, id: 'anonymous' }, correlationId: randomUUID() };
    const opened = await h.client.request(s.respondentOpen, { token }, { context: anon });
    expect(opened.questionnaire.items.map((i) => i.key)).toEqual(['recommend', 'speed', 'quality', 'staff', 'why']);
    await h.client.request(s.respondentSave, { token, answers: { speed: 2 } }, { context: anon });
    await expectError(h.client.request(s.respondentSubmit, { token, answers: { quality: 4 } }, { context: anon }), 'VALIDATION_FAILED', 'answers.recommend');
    await expectError(h.client.request(s.respondentSave, { token, answers: { recommend: 11 } }, { context: anon }), 'VALIDATION_FAILED', 'answers.recommend');
    const done = await h.client.request(s.respondentSubmit, { token, answers: { recommend: 3, quality: 4, staff: 5, why: '工程师响应太慢了，我要投诉' } }, { context: anon });
    expect(done.status).toBe('completed');
    await expectError(h.client.request(s.respondentSubmit, { token, answers: { recommend: 10 } }, { context: anon }), 'INVITATION_USED', 'token');
    await expectError(h.client.request(s.respondentOpen, { token: token.slice(0, -4) + 'AAAA' }, { context: anon }), 'INVITATION_NOT_FOUND', 'token');
    await expectError(h.client.request(s.respondentOpen, { token: 'nonsense' }, { context: anon }), 'INVITATION_NOT_FOUND', 'token');

    const responses = await h.client.request(s.responseList, { limit: 10, surveyId: survey.id }, { context: t.admin });
    expect(responses.items[0]).toMatchObject({ score: 3, tier: 1, role: 'decision-maker', segment: 'Manufacturing', answers: { speed: 2, quality: 4 } });
    expect(responses.items[0]!.tags).toEqual(expect.arrayContaining(['complaint', 'speed', 'staff']));
    // A detractor with a complaint: a follow-up owned by the account's CSM.
    const loops = await h.client.request(s.loopList, { limit: 10 }, { context: t.admin });
    expect(loops.items[0]).toMatchObject({ responseId: responses.items[0]!.id, status: 'open', csmId: t.account.csmId, reasons: ['detractor', 'complaint'] });
  });

  it('applies the contact-frequency rule across surveys', async () => {
    const t = await tenantWithContacts(2);
    const a = await activeSurvey(t.admin);
    const b = await activeSurvey(t.admin, { name: 'Another NPS' });
    const first = await h.client.request(s.invitationCreate, { surveyId: a.id, channel: 'email', recipients: [{ contactId: t.contacts[0]!.id }] }, { context: t.admin });
    expect(first.created).toHaveLength(1);
    const second = await h.client.request(s.invitationCreate, { surveyId: b.id, channel: 'email', recipients: [{ contactId: t.contacts[0]!.id }, { contactId: t.contacts[1]!.id }] }, { context: t.admin });
    expect(second.created.map((i) => i.contactId)).toEqual([t.contacts[1]!.id]);
    expect(second.skipped).toEqual([expect.objectContaining({ index: 0, rule: 'contact-frequency' })]);
    await expectError(h.client.request(s.invitationCreate, { surveyId: b.id, channel: 'email', recipients: [{ contactId: randomUUID() }] }, { context: t.admin }), 'VALIDATION_FAILED', 'recipients[0].contactId');
  });
});

describe('support: CSAT after a resolved ticket, the follow-up closed with its case', () => {
  it('a resolved ticket invites its contact to the CSAT survey once; support closing the follow-up case closes the loop', async () => {
    const t = await tenantWithContacts(1);
    const csatSurvey = await h.client.request(
      s.surveyCreate,
      { name: 'CSAT after tickets', kind: 'csat', trigger: 'ticket-resolved', definition: { languages: ['en'], title: { en: 'Your ticket' }, items: [{ key: 'sat', type: 'csat', text: { en: 'How satisfied?' } }] } } as never,
      { context: t.admin },
    );
    await h.client.request(s.surveyActivate, { id: csatSurvey.id }, { context: t.admin });
    const ticket = { id: randomUUID(), accountId: t.accountId, contactId: t.contacts[0]!.id, origin: null, followUp: false, imported: false };
    const snapshot = (over: Record<string, unknown>) => ({ ticket: { externalId: null, projectId: null, category: 'incident', priority: 'normal', channel: 'portal', subject: 's', status: 'resolved', statusClass: 'resolved', level: 'L3', step: 0, queue: 'call-centre', teamId: null, assigneeId: null, ruleId: 'r', policyVersion: 1, complaint: false, slaBreached: false, reopenCount: 0, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), firstRespondedAt: null, resolvedAt: new Date().toISOString(), closedAt: null, ...ticket, ...over }, resolutionMinutes: 30, firstContactResolution: true, resolutionSla: null });
    await publish(t.tenant, Events.support.ticketResolved, snapshot({}));
    await publish(t.tenant, Events.support.ticketResolved, snapshot({})); // redelivered: nobody is invited twice
    const invs = await expectEventually(async () => {
      const page = await h.client.request(s.invitationList, { limit: 10, surveyId: csatSurvey.id }, { context: t.admin });
      expect(page.items).toHaveLength(1);
      return page;
    });
    expect(invs.items[0]).toMatchObject({ ticketId: ticket.id, contactId: t.contacts[0]!.id, channel: 'email' });

    // A detractor's follow-up, then support resolves and closes the case opened for it (origin: the response).
    const survey = await activeSurvey(t.admin);
    const imported = await h.client.request(s.responseImport, { surveyId: survey.id, rows: [{ externalId: 'D-1', answeredAt: new Date().toISOString(), contactId: t.contacts[0]!.id, answers: { recommend: 2 } }] }, { context: t.admin });
    expect(imported.imported).toBe(1);
    const loop = (await h.client.request(s.loopList, { limit: 10, accountId: t.accountId }, { context: t.admin })).items[0]!;
    const caseTicket = { ...ticket, id: randomUUID(), followUp: true, category: 'complaint', origin: { kind: 'feedback', ref: loop.responseId } };
    await publish(t.tenant, Events.support.ticketResolved, snapshot(caseTicket));
    await publish(t.tenant, Events.support.ticketClosed, { ticket: { ...snapshot(caseTicket).ticket, status: 'closed', statusClass: 'closed', closedAt: new Date().toISOString() } });
    const closed = await expectEventually(async () => {
      const l = (await h.client.request(s.loopList, { limit: 10, accountId: t.accountId }, { context: t.admin })).items[0]!;
      expect(l.status).toBe('closed');
      return l;
    });
    expect(closed).toMatchObject({ supportTicketId: caseTicket.id, outcome: 'recovered' });
    expect(closed.timeToCloseSeconds).not.toBeNull();
    const metrics = await h.client.request(s.loopMetrics, { by: 'csm' }, { context: t.admin });
    expect(metrics.groups).toEqual([expect.objectContaining({ value: t.account.csmId, opened: 1, closed: 1 })]);
  });
});

describe('bulk import and analytics', () => {
  it('reports row errors with line and field, imports the rest once (idempotent by externalId)', async () => {
    const t = await tenantWithContacts(1);
    const survey = await activeSurvey(t.admin);
    const rows = [
      { externalId: 'R-1', answeredAt: '2026-01-10T10:00:00Z', contactId: t.contacts[0]!.id, answers: { recommend: 9, speed: 4 } },
      { externalId: 'R-2', answeredAt: 'yesterday', answers: { recommend: 9 } },
      { externalId: 'R-3', answeredAt: '2026-01-10T10:00:00Z', answers: { recommend: 12 } },
      { externalId: 'R-4', answeredAt: '2026-01-10T10:00:00Z', answers: { speed: 3 } },
      { externalId: 'R-5', answeredAt: '2026-01-10T10:00:00Z', contactId: randomUUID(), answers: { recommend: 1 } },
    ];
    const first = await h.client.request(s.responseImport, { surveyId: survey.id, rows }, { context: t.admin });
    expect(first).toMatchObject({ received: 5, imported: 1, duplicates: 0 });
    expect(first.errors.map((e) => `${e.line}:${e.field}:${e.rule}`)).toEqual(['2:answeredAt:format', '3:answers.recommend:out-of-range', '4:answers.recommend:required', '5:contactId:exists']);
    const again = await h.client.request(s.responseImport, { surveyId: survey.id, rows: [rows[0]] }, { context: t.admin });
    expect(again).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it('NPS and CSAT from rollups equal a direct computation on the same answers, for any period and segment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ score: fc.integer({ min: 0, max: 10 }), month: fc.integer({ min: 1, max: 4 }), tier: fc.constantFrom(1, 2, 3), sat: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        async (answers, from, span) => {
          const t = await tenantWithContacts(0);
          const survey = await activeSurvey(t.admin, {
            definition: { ...npsDefinition(), items: [...npsDefinition().items, { key: 'sat', type: 'csat', text: text('Satisfied?') }] },
          });
          const rows = answers.map((a, i) => ({ externalId: `P-${i}`, answeredAt: `2026-0${a.month}-15T08:00:00Z`, attributes: { tier: a.tier }, answers: { recommend: a.score, sat: a.sat } }));
          const imported = await h.client.request(s.responseImport, { surveyId: survey.id, rows }, { context: t.admin });
          expect(imported.imported).toBe(answers.length);
          const to = Math.min(4, from + span);
          const inPeriod = answers.filter((a) => a.month >= from && a.month <= to);
          const q = { from: `2026-0${from}`, to: `2026-0${to}`, trend: false } as const;
          await expectEventually(async () => {
            const all = await h.client.request(s.analyticsQuery, { ...q, kind: 'nps', dimension: 'all' }, { context: t.admin });
            const direct = nps(inPeriod.map((a) => a.score));
            expect(all.result).toMatchObject({ n: direct.n, score: direct.nps, marginOfError: direct.marginOfError, promoters: direct.promoters, detractors: direct.detractors });
          });
          const tier1 = await h.client.request(s.analyticsQuery, { ...q, kind: 'csat', dimension: 'tier', value: '1' }, { context: t.admin });
          const direct = csat(inPeriod.filter((a) => a.tier === 1).map((a) => a.sat));
          expect(tier1.result).toMatchObject({ n: direct.n, score: direct.csat });
          const byTier = await h.client.request(s.analyticsQuery, { ...q, kind: 'nps', dimension: 'all', groupBy: 'tier' }, { context: t.admin });
          for (const g of byTier.groups ?? []) expect(g.result.score).toBe(nps(inPeriod.filter((a) => String(a.tier) === g.value).map((a) => a.score)).nps);
        },
      ),
      { numRuns: 4, seed: 7 },
    );
  });

  it('key drivers through the service equal the library on the same data', async () => {
    const t = await tenantWithContacts(0);
    const survey = await activeSurvey(t.admin);
    const rnd = fc.sample(fc.record({ speed: fc.integer({ min: 1, max: 5 }), quality: fc.integer({ min: 1, max: 5 }), staff: fc.integer({ min: 1, max: 5 }), noise: fc.integer({ min: -2, max: 2 }) }), { numRuns: 150, seed: 3 });
    const rows = rnd.map((r, i) => ({
      externalId: `K-${i}`,
      answeredAt: '2026-02-01T00:00:00Z',
      weight: 1 + (i % 3),
      answers: { recommend: Math.max(0, Math.min(10, Math.round(r.speed * 1.2 + r.quality * 0.6 + r.noise))), speed: r.speed, quality: r.quality, staff: r.staff },
    }));
    await h.client.request(s.responseImport, { surveyId: survey.id, rows }, { context: t.admin });
    const api = await h.client.request(s.keyDrivers, { surveyId: survey.id, dimension: 'all', method: 'shapley', outcome: 'score', resamples: 50, seed: 5, weighted: true }, { context: t.admin });
    const stored = (await h.client.request(s.responseList, { limit: 200, surveyId: survey.id }, { context: t.admin })).items;
    const lib = analyseDrivers({
      respondents: stored.map((r) => ({ id: r.id, items: { speed: r.answers.speed as number, quality: r.answers.quality as number, staff: r.answers.staff as number }, outcome: r.score, weight: r.weight })),
      drivers: ['speed', 'quality', 'staff'],
      resamples: 50,
      seed: 5,
      outcomeType: 'continuous',
    });
    expect(api.n).toBe(150);
    for (const d of lib.drivers) {
      const got = api.drivers.find((x) => x.driver === d.driver)!;
      expect(got.importance).toBeCloseTo(d.importance, 9);
      expect(got.importanceInterval!.low).toBeCloseTo(d.importanceInterval!.low, 9);
      expect(got.quadrant).toBe(d.quadrant);
    }
    expect(api.drivers.find((d) => d.driver === 'speed')!.importance).toBeGreaterThan(0.5);
    await expectError(h.client.request(s.keyDrivers, { surveyId: survey.id, dimension: 'all', method: 'shapley', outcome: 'score', resamples: 0, seed: 1, weighted: true, drivers: ['price'] }, { context: t.admin }), 'VALIDATION_FAILED', 'drivers[0]');
  });
});
