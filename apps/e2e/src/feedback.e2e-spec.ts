import { randomUUID } from 'node:crypto';
import { feedbackDemoPlan, seedFeedback, type FeedbackSeedApi } from '@steward/stack';
import { expectEventually } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// The feedback service as a customer uses it: through the gateway, with accounts and
// support running (every service its own process), every answer checked against /openapi.json.
let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2efb', { env: { feedback: { FEEDBACK_ROLLUP_DELAY_MS: '20' } } });
});
afterAll(async () => {
  await h?.close();
});

type T = Awaited<ReturnType<PlatformHarness['tenant']>>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const text = (en: string, zh = `${en}（中文）`) => ({ en, 'zh-CN': zh });
const month = (d = new Date()) => d.toISOString().slice(0, 7);

const npsDefinition = () => ({
  languages: ['zh-CN', 'en'],
  title: text('How are we doing?', '我们做得怎么样？'),
  items: [
    { key: 'recommend', type: 'nps', text: text('How likely are you to recommend us?', '您向朋友推荐我们的可能性有多大？') },
    { key: 'speed', type: 'rating', driver: 'speed', text: text('Speed', '速度') },
    { key: 'quality', type: 'rating', driver: 'quality', text: text('Quality', '质量') },
    { key: 'why', type: 'text', text: text('Why?', '为什么？') },
  ],
});

const sql = <R = Record<string, unknown>>(text: string, params: unknown[] = []) => h.sql<R>(text, params);

async function post(t: T, route: string, body: unknown, status = 201) {
  const res = await h.http().post(route).set(bearer(t.token)).send(body as object);
  if (res.status !== status) throw new Error(`POST ${route}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An account (its CSM the tenant's admin) with contacts, created through accounts' API. */
async function customer(t: T, contacts = 2, body: Record<string, unknown> = {}) {
  const account = await post(t, '/v1/accounts', { name: `Acme ${randomUUID().slice(0, 6)}`, industry: 'Manufacturing', region: 'EMEA', csmId: t.adminId, ...body });
  const people: Array<{ id: string; email: string }> = [];
  for (let i = 0; i < contacts; i++) {
    people.push(await post(t, `/v1/accounts/${account.id}/contacts`, { name: `Contact ${i}`, email: `c${i}-${randomUUID().slice(0, 6)}@acme.test`, phone: '+86 10 1234 5678', buyingRole: i === 0 ? 'decision-maker' : 'influencer' }));
  }
  return { account: account as { id: string; csmId: string }, contacts: people };
}

async function activeSurvey(t: T, over: Record<string, unknown> = {}) {
  const survey = await post(t, '/v1/feedback/surveys', { name: 'Relationship NPS', kind: 'nps', definition: npsDefinition(), rules: { minDaysBetweenContacts: 30, expiresInDays: 14, reminderAfterHours: 0, maxReminders: 0 }, ...over });
  return (await h.http().post(`/v1/feedback/surveys/${survey.id}/activate`).set(bearer(t.token)).expect(200)).body as { id: string };
}

/**
 * Invites contacts; the first call after accounts created them waits for accounts' events to
 * reach feedback's read model (an unknown contact is a 400 that writes nothing).
 */
async function invite(t: T, surveyId: string, contactIds: string[], channel = 'email') {
  return expectEventually(
    async () => {
      const res = await h.http().post(`/v1/feedback/surveys/${surveyId}/invitations`).set(bearer(t.token)).send({ channel, language: 'en', recipients: contactIds.map((contactId) => ({ contactId })) });
      expect(res.status).toBe(201);
      return res.body as { created: Array<{ id: string; token: string; link: string; contactId: string }>; skipped: Array<{ index: number; rule: string; field: string }> };
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
}

const respond = () => h.http();

describe('surveys through the gateway', () => {
  it('creates a draft, versions an active survey, previews each language and version, closes it; a bad definition names every field', async () => {
    const t = await h.tenant();
    const draft = await post(t, '/v1/feedback/surveys', { name: 'NPS', kind: 'nps', definition: npsDefinition() });
    expect(draft).toMatchObject({ status: 'draft', version: 1, audience: 'customers', nature: 'relationship', trigger: 'manual' });
    const edited = await h.http().patch(`/v1/feedback/surveys/${draft.id}`).set(bearer(t.token)).send({ name: 'Relationship NPS', definition: npsDefinition() }).expect(200);
    expect(edited.body).toMatchObject({ name: 'Relationship NPS', version: 1 });
    await h.http().post(`/v1/feedback/surveys/${draft.id}/activate`).set(bearer(t.token)).expect(200);
    const v2 = await h.http().patch(`/v1/feedback/surveys/${draft.id}`).set(bearer(t.token)).send({ definition: { ...npsDefinition(), title: text('New title', '新标题') } }).expect(200);
    expect(v2.body).toMatchObject({ status: 'active', version: 2 });

    const zh1 = await h.http().get(`/v1/feedback/surveys/${draft.id}/preview?language=zh-CN&version=1`).set(bearer(t.token)).expect(200);
    expect(zh1.body).toMatchObject({ version: 1, language: 'zh-CN', title: '我们做得怎么样？' });
    expect(zh1.body.items[0]).toMatchObject({ key: 'recommend', type: 'nps', text: '您向朋友推荐我们的可能性有多大？', scale: { min: 0, max: 10 } });
    const en2 = await h.http().get(`/v1/feedback/surveys/${draft.id}/preview?language=en`).set(bearer(t.token)).expect(200);
    expect(en2.body).toMatchObject({ version: 2, language: 'en', title: 'New title' });
    expect(en2.body.items.map((i: { key: string }) => i.key)).toEqual(['recommend', 'speed', 'quality', 'why']);

    const closed = await h.http().post(`/v1/feedback/surveys/${draft.id}/close`).set(bearer(t.token)).expect(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).not.toBeNull();
    const { contacts } = await customer(t, 1);
    const refused = await h.http().post(`/v1/feedback/surveys/${draft.id}/invitations`).set(bearer(t.token)).send({ channel: 'email', recipients: [{ contactId: contacts[0]!.id }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SURVEY_NOT_ACTIVE');

    const bad = await h
      .http()
      .post('/v1/feedback/surveys')
      .set(bearer(t.token))
      .send({ name: 'x', kind: 'nps', definition: { languages: ['zh-CN', 'en'], title: { en: 'Only English' }, items: [{ key: 'a', type: 'rating', driver: 'speed', text: text('A') }, { key: 'a', type: 'rating', driver: 'speed', text: text('B') }] } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual(
      ['definition.items:outcome-item', 'definition.items[1].driver:duplicate-driver', 'definition.items[1].key:duplicate-key', 'definition.title.zh-CN:missing-language'].sort(),
    );
  });
});

describe('the respondent, on the public endpoint', () => {
  it('opens, saves partial answers and submits once without logging in; reuse 409, expired 410, unknown 404', async () => {
    const t = await h.tenant();
    const { contacts } = await customer(t, 2);
    const survey = await activeSurvey(t);
    const inv = await invite(t, survey.id, [contacts[0]!.id, contacts[1]!.id]);
    expect(inv.created).toHaveLength(2);
    const [first, second] = inv.created;
    expect(first!.link).toBe(`http://127.0.0.1:3000/v1/feedback/respond/${first!.token}`);
    const deliveries = await h.http().get(`/v1/feedback/deliveries?invitationId=${first!.id}`).set(bearer(t.token)).expect(200);
    expect(deliveries.body.items).toEqual([expect.objectContaining({ kind: 'invitation', channel: 'email', recipient: contacts[0]!.email })]);
    expect(deliveries.body.items[0].body).toContain(first!.token);

    const path = `/v1/feedback/respond/${first!.token}`;
    const opened = await respond().get(path).expect(200);
    expect(opened.body).toMatchObject({ status: 'pending', answers: {}, questionnaire: { language: 'en', title: 'How are we doing?' } });
    const saved = await respond().put(path).send({ answers: { speed: 2 } }).expect(200);
    expect(saved.body).toMatchObject({ status: 'started', answered: 1 });
    const reopened = await respond().get(path).expect(200);
    expect(reopened.body).toMatchObject({ status: 'started', answers: { speed: 2 } });
    const incomplete = await respond().post(path).send({ answers: { quality: 4 } }).expect(400);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field)).toContain('answers.recommend');
    const done = await respond().post(path).send({ answers: { recommend: 9, quality: 4 }, comment: 'Fast and friendly' }).expect(200);
    expect(done.body.status).toBe('completed');

    const reused = await respond().post(path).send({ answers: { recommend: 10 } }).expect(409);
    expect(reused.body).toMatchObject({ code: 'INVITATION_USED', errors: [{ field: 'token', rule: 'single-use' }] });
    await respond().get(path).expect(409);

    await sql(`UPDATE feedback.invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [second!.id]);
    const expired = await respond().post(`/v1/feedback/respond/${second!.token}`).send({ answers: { recommend: 10 } }).expect(410);
    expect(expired.body).toMatchObject({ code: 'INVITATION_EXPIRED', errors: [{ field: 'token', rule: 'not-expired' }] });
    const unknown = await respond().get(`/v1/feedback/respond/${first!.token.slice(0, -4)}AAAA`).expect(404);
    expect(unknown.body).toMatchObject({ code: 'INVITATION_NOT_FOUND', errors: [{ field: 'token' }] });
    await respond().get('/v1/feedback/respond/nonsense').expect(404);

    const responses = await h.http().get(`/v1/feedback/responses?surveyId=${survey.id}`).set(bearer(t.token)).expect(200);
    expect(responses.body.items).toEqual([expect.objectContaining({ score: 9, channel: 'email', contactId: contacts[0]!.id, role: 'decision-maker', segment: 'Manufacturing', answers: { recommend: 9, speed: 2, quality: 4 } })]);
    const invitations = await h.http().get(`/v1/feedback/invitations?surveyId=${survey.id}`).set(bearer(t.token)).expect(200);
    expect(invitations.body.items.map((i: { status: string }) => i.status).sort()).toEqual(['completed', 'expired']);
    const rate = await h.http().get(`/v1/feedback/analytics/response-rate?surveyId=${survey.id}&from=${month()}&to=${month()}`).set(bearer(t.token)).expect(200);
    expect(rate.body).toEqual({ invited: 2, responded: 1, rate: 0.5 });
  });

  it('limits one token to 30 requests per window: the 31st is a 429 naming the token, with Retry-After', async () => {
    const t = await h.tenant();
    const { contacts } = await customer(t, 1);
    const survey = await activeSurvey(t);
    const [inv] = (await invite(t, survey.id, [contacts[0]!.id])).created;
    const path = `/v1/feedback/respond/${inv!.token}`;
    for (let i = 0; i < 30; i++) await respond().get(path).expect(200);
    const limited = await respond().get(path).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', errors: [{ field: 'token', rule: 'rate-limit' }] });
  });
});

describe('the contact-frequency rule', () => {
  it('skips a contact invited to any survey within the survey’s window, naming the rule', async () => {
    const t = await h.tenant();
    const { contacts } = await customer(t, 2);
    const a = await activeSurvey(t);
    const b = await activeSurvey(t, { name: 'Another NPS' });
    expect((await invite(t, a.id, [contacts[0]!.id])).created).toHaveLength(1);
    const second = await invite(t, b.id, [contacts[0]!.id, contacts[1]!.id]);
    expect(second.created.map((i) => i.contactId)).toEqual([contacts[1]!.id]);
    expect(second.skipped).toEqual([expect.objectContaining({ index: 0, field: 'recipients[0]', rule: 'contact-frequency' })]);
    const unknown = await h.http().post(`/v1/feedback/surveys/${b.id}/invitations`).set(bearer(t.token)).send({ channel: 'email', recipients: [{ contactId: randomUUID() }] }).expect(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'recipients[0].contactId', rule: 'exists' });
  });
});

describe('with support', () => {
  async function ticketTo(t: T, id: string, status: string) {
    const res = await h.http().post(`/v1/support/tickets/${id}/status`).set(bearer(t.token)).send({ status });
    if (res.status !== 200) throw new Error(`ticket → ${status}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('a ticket resolved in support invites its contact to the CSAT survey', async () => {
    const t = await h.tenant();
    const { account, contacts } = await customer(t, 1);
    const csat = await post(t, '/v1/feedback/surveys', {
      name: 'CSAT after tickets',
      kind: 'csat',
      nature: 'transactional',
      trigger: 'ticket-resolved',
      rules: { minDaysBetweenContacts: 0, expiresInDays: 7, reminderAfterHours: 0, maxReminders: 0 },
      definition: { languages: ['en'], title: { en: 'Your ticket' }, items: [{ key: 'sat', type: 'csat', text: { en: 'How satisfied are you?' } }] },
    });
    await h.http().post(`/v1/feedback/surveys/${csat.id}/activate`).set(bearer(t.token)).expect(200);
    const ticket = await expectEventually(() => post(t, '/v1/support/tickets', { accountId: account.id, contact: { id: contacts[0]!.id }, category: 'incident', subject: 'Line 3 stopped' }), { timeoutMs: 15_000, intervalMs: 200 });
    await ticketTo(t, ticket.id, 'in-progress');
    await ticketTo(t, ticket.id, 'resolved');
    const invited = await expectEventually(
      async () => {
        const page = await h.http().get(`/v1/feedback/invitations?surveyId=${csat.id}`).set(bearer(t.token)).expect(200);
        expect(page.body.items).toHaveLength(1);
        return page.body.items[0];
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(invited).toMatchObject({ ticketId: ticket.id, contactId: contacts[0]!.id, accountId: account.id, channel: 'email', status: 'pending' });
    const deliveries = await h.http().get(`/v1/feedback/deliveries?invitationId=${invited.id}`).set(bearer(t.token)).expect(200);
    expect(deliveries.body.items[0]).toMatchObject({ kind: 'invitation', recipient: contacts[0]!.email });
  });

  it('a detractor opens a complaint case in support owned by the CSM; contacted by hand; closing the case in support closes the loop', async () => {
    const t = await h.tenant();
    const { account, contacts } = await customer(t, 1);
    const survey = await activeSurvey(t);
    const [inv] = (await invite(t, survey.id, [contacts[0]!.id])).created;
    await respond().post(`/v1/feedback/respond/${inv!.token}`).send({ answers: { recommend: 2, speed: 1 }, comment: 'Too slow, I want to complain' }).expect(200);
    const loop = await expectEventually(
      async () => {
        const page = await h.http().get(`/v1/feedback/loops?accountId=${account.id}`).set(bearer(t.token)).expect(200);
        expect(page.body.items).toHaveLength(1);
        expect(page.body.items[0].supportTicketId).not.toBeNull();
        return page.body.items[0];
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(loop).toMatchObject({ status: 'open', csmId: t.adminId, contactId: contacts[0]!.id, reasons: ['detractor', 'complaint'] });
    const ticket = await h.http().get(`/v1/support/tickets/${loop.supportTicketId}`).set(bearer(t.token)).expect(200);
    expect(ticket.body).toMatchObject({ accountId: account.id, category: 'complaint', followUp: true, assigneeId: t.adminId, origin: { kind: 'feedback', ref: loop.responseId } });

    const contacted = await h.http().patch(`/v1/feedback/loops/${loop.id}`).set(bearer(t.token)).send({ status: 'contacted', note: 'Called the plant manager' }).expect(200);
    expect(contacted.body).toMatchObject({ status: 'contacted', note: 'Called the plant manager', closedAt: null });
    expect(contacted.body.contactedAt).not.toBeNull();
    const backwards = await h.http().patch(`/v1/feedback/loops/${loop.id}`).set(bearer(t.token)).send({ status: 'contacted' });
    expect(backwards.status).toBe(200); // the same state again changes nothing

    await ticketTo(t, ticket.body.id, 'in-progress');
    await ticketTo(t, ticket.body.id, 'resolved');
    await ticketTo(t, ticket.body.id, 'closed');
    const closed = await expectEventually(
      async () => {
        const l = (await h.http().get(`/v1/feedback/loops?accountId=${account.id}`).set(bearer(t.token)).expect(200)).body.items[0];
        expect(l.status).toBe('closed');
        return l;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(closed).toMatchObject({ outcome: 'recovered', supportTicketId: ticket.body.id });
    expect(closed.resolvedAt).not.toBeNull();
    expect(closed.timeToCloseSeconds).toBeGreaterThanOrEqual(0);
    const metrics = await h.http().get('/v1/feedback/loops/metrics?by=csm').set(bearer(t.token)).expect(200);
    expect(metrics.body.groups).toEqual([expect.objectContaining({ value: t.adminId, opened: 1, open: 0, closed: 1, recovered: 1 })]);
    // A resolved follow-up case invites nobody to CSAT (no ticket-triggered survey here, and follow-ups never do).
    const invitations = await h.http().get('/v1/feedback/invitations').set(bearer(t.token)).expect(200);
    expect(invitations.body.items).toHaveLength(1);
  });
});

describe('bulk import, idempotency and bad input', () => {
  it('reports row errors with line and field and imports the rest once; a retried import doubles nothing', async () => {
    const t = await h.tenant();
    const { account, contacts } = await customer(t, 1);
    const survey = await activeSurvey(t);
    await invite(t, survey.id, [contacts[0]!.id]); // waits for the read model
    const rows = [
      { externalId: 'R-1', answeredAt: '2026-01-10T10:00:00Z', contactId: contacts[0]!.id, answers: { recommend: 9, speed: 4 } },
      { externalId: 'R-2', answeredAt: 'yesterday', answers: { recommend: 9 } },
      { externalId: 'R-3', answeredAt: '2026-01-10T10:00:00Z', answers: { recommend: 12 } },
      { externalId: 'R-4', answeredAt: '2026-01-10T10:00:00Z', answers: { speed: 3 } },
      { externalId: 'R-5', answeredAt: '2026-01-10T10:00:00Z', contactId: randomUUID(), answers: { recommend: 1 } },
      { externalId: 'R-6', answeredAt: '2026-01-11T10:00:00Z', accountId: account.id, channel: 'call-centre', weight: 2, answers: { recommend: 6, speed: 2 } },
    ];
    const route = `/v1/feedback/surveys/${survey.id}/responses/import`;
    const first = await h.http().post(route).set(bearer(t.token)).send({ rows }).expect(200);
    expect(first.body).toMatchObject({ received: 6, imported: 2, duplicates: 0 });
    expect(first.body.errors.map((e: { line: number; field: string; rule: string }) => `${e.line}:${e.field}:${e.rule}`)).toEqual(['2:answeredAt:format', '3:answers.recommend:out-of-range', '4:answers.recommend:required', '5:contactId:exists']);
    const again = await h.http().post(route).set(bearer(t.token)).send({ rows: [rows[0], rows[5]] }).expect(200);
    expect(again.body).toMatchObject({ imported: 0, duplicates: 2, errors: [] });
    const nps = await expectEventually(async () => {
      const r = await h.http().get(`/v1/feedback/analytics?kind=nps&from=2026-01&to=2026-01`).set(bearer(t.token)).expect(200);
      expect(r.body.result.n).toBe(2);
      return r.body.result;
    });
    expect(nps).toMatchObject({ promoters: 1, detractors: 1, score: 0 });
  });

  it('a write retried with the same Idempotency-Key runs once and replays its answer', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    const body = { name: `Pulse ${key.slice(0, 6)}`, kind: 'nps', definition: npsDefinition() };
    const first = await h.http().post('/v1/feedback/surveys').set(bearer(t.token)).set('idempotency-key', key).send(body).expect(201);
    const again = await h.http().post('/v1/feedback/surveys').set(bearer(t.token)).set('idempotency-key', key).send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const list = await h.http().get('/v1/feedback/surveys').set(bearer(t.token)).expect(200);
    expect(list.body.items.filter((s: { name: string }) => s.name === body.name)).toHaveLength(1);
    const other = await h.http().post('/v1/feedback/surveys').set(bearer(t.token)).set('idempotency-key', key).send({ ...body, name: 'Different' });
    expect(other.status).toBe(422);
  });

  it('answers every bad input with a 4xx naming the field', async () => {
    const t = await h.tenant();
    const survey = await activeSurvey(t);
    const cases: Array<[string, () => Promise<{ status: number; body: { errors?: Array<{ field: string }> } }>, number, string]> = [
      ['unknown kind', () => h.http().post('/v1/feedback/surveys').set(bearer(t.token)).send({ name: 'x', kind: 'vibes', definition: npsDefinition() }), 400, 'kind'],
      ['unknown field', () => h.http().post('/v1/feedback/surveys').set(bearer(t.token)).send({ name: 'x', kind: 'nps', definition: npsDefinition(), colour: 'red' }), 400, 'colour'],
      ['a rule out of range', () => h.http().post('/v1/feedback/surveys').set(bearer(t.token)).send({ name: 'x', kind: 'nps', definition: npsDefinition(), rules: { expiresInDays: 0 } }), 400, 'rules.expiresInDays'],
      ['survey id not a uuid', () => h.http().get('/v1/feedback/surveys/42').set(bearer(t.token)), 400, 'path.id'],
      ['an unknown survey', () => h.http().get(`/v1/feedback/surveys/${randomUUID()}`).set(bearer(t.token)), 404, ''],
      ['a channel that does not exist', () => h.http().post(`/v1/feedback/surveys/${survey.id}/invitations`).set(bearer(t.token)).send({ channel: 'fax', recipients: [{ contactId: randomUUID() }] }), 400, 'channel'],
      ['no recipients', () => h.http().post(`/v1/feedback/surveys/${survey.id}/invitations`).set(bearer(t.token)).send({ channel: 'email', recipients: [] }), 400, 'recipients'],
      ['a language the survey lacks', () => h.http().get(`/v1/feedback/surveys/${survey.id}/preview?language=fr`).set(bearer(t.token)), 400, 'query.language'],
      ['an import without rows', () => h.http().post(`/v1/feedback/surveys/${survey.id}/responses/import`).set(bearer(t.token)).send({ rows: [] }), 400, 'rows'],
      ['analytics without a kind', () => h.http().get('/v1/feedback/analytics?from=2026-01&to=2026-02').set(bearer(t.token)), 400, 'query.kind'],
      ['analytics with a bad month', () => h.http().get('/v1/feedback/analytics?kind=nps&from=January&to=2026-02').set(bearer(t.token)), 400, 'query.from'],
      ['analytics by an unknown dimension', () => h.http().get('/v1/feedback/analytics?kind=nps&from=2026-01&to=2026-02&dimension=planet').set(bearer(t.token)), 400, 'query.dimension'],
      ['key drivers with an unknown method', () => h.http().post(`/v1/feedback/surveys/${survey.id}/key-drivers`).set(bearer(t.token)).send({ method: 'astrology' }), 400, 'method'],
      ['key drivers with too many resamples', () => h.http().post(`/v1/feedback/surveys/${survey.id}/key-drivers`).set(bearer(t.token)).send({ resamples: 100000 }), 400, 'resamples'],
      ['a driver the survey lacks', () => h.http().post(`/v1/feedback/surveys/${survey.id}/key-drivers`).set(bearer(t.token)).send({ drivers: ['price'] }), 400, 'drivers[0]'],
      ['closing a follow-up without an outcome', () => h.http().patch(`/v1/feedback/loops/${randomUUID()}`).set(bearer(t.token)).send({ status: 'closed' }), 400, 'outcome'],
      ['a follow-up status that does not exist', () => h.http().patch(`/v1/feedback/loops/${randomUUID()}`).set(bearer(t.token)).send({ status: 'forgotten' }), 400, 'status'],
      ['an answer that is an object', () => respond().put('/v1/feedback/respond/nonsense').send({ answers: { recommend: { x: 1 } } }), 400, 'answers.recommend'],
      ['loop metrics by planet', () => h.http().get('/v1/feedback/loops/metrics?by=planet').set(bearer(t.token)), 400, 'query.by'],
    ];
    const wrong: string[] = [];
    for (const [name, call, status, field] of cases) {
      const res = await call();
      const fields = (res.body.errors ?? []).map((e) => e.field);
      if (res.status !== status || (field && !fields.includes(field))) wrong.push(`${name}: ${res.status} ${JSON.stringify(fields)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("accounts' events in feedback's read model", () => {
  it('an account created and then changed in accounts is what feedback records and owns follow-ups by', async () => {
    const t = await h.tenant();
    const { account, contacts } = await customer(t, 1, { industry: 'Mining' });
    const survey = await activeSurvey(t);
    await invite(t, survey.id, [contacts[0]!.id]); // created: known to feedback
    const csm = await post(t, '/v1/users', { email: `csm-${randomUUID().slice(0, 6)}@demo.test`, name: 'Casey CSM', role: 'csm', password: 'a-long-password-123' });
    const changed = await h.http().patch(`/v1/accounts/${account.id}`).set(bearer(t.token)).send({ industry: 'Energy', csmId: csm.id }).expect(200);
    expect(changed.body).toMatchObject({ industry: 'Energy', csmId: csm.id });
    // Each attempt imports one more answer; the last carries what feedback knew when it was recorded.
    let n = 0;
    const recorded = await expectEventually(
      async () => {
        n++;
        await h.http().post(`/v1/feedback/surveys/${survey.id}/responses/import`).set(bearer(t.token)).send({ rows: [{ externalId: `E-${n}`, answeredAt: new Date().toISOString(), contactId: contacts[0]!.id, answers: { recommend: 3 } }] }).expect(200);
        const page = await h.http().get(`/v1/feedback/responses?accountId=${account.id}&limit=100`).set(bearer(t.token)).expect(200);
        const last = page.body.items.find((r: { externalId: string }) => r.externalId === `E-${n}`);
        expect(last).toMatchObject({ accountId: account.id, segment: 'Energy' });
        return last;
      },
      { timeoutMs: 15_000, intervalMs: 300 },
    );
    const loops = await h.http().get(`/v1/feedback/loops?accountId=${account.id}&limit=100`).set(bearer(t.token)).expect(200);
    const mine = loops.body.items.find((l: { responseId: string }) => l.responseId === recorded.id);
    expect(mine).toMatchObject({ csmId: csm.id, reasons: ['detractor'] });
  });
});

describe('the demo feedback (tools/stack/demo-feedback.ts)', () => {
  it('seeds through the gateway: four surveys and their answers, once however often it runs', async () => {
    const t = await h.tenant();
    const a = await customer(t, 3, { industry: 'Energy' });
    const b = await customer(t, 2, { industry: 'Retail' });
    const agent = await post(t, '/v1/users', { email: `agent-${randomUUID().slice(0, 6)}@demo.test`, name: 'Ada Agent', role: 'agent', password: 'a-long-password-123' });
    const call = async <T>(method: 'get' | 'post', route: string, body?: unknown): Promise<T> => {
      const res = method === 'get' ? await h.http().get(route).set(bearer(t.token)) : await h.http().post(route).set(bearer(t.token)).send(body as object);
      if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as T;
    };
    const api: FeedbackSeedApi = {
      get: (route) => call('get', route),
      post: (route, body) => call('post', route, body),
      all: async <T>(route: string) => (await call<{ items: T[] }>('get', `${route}?limit=200`)).items,
    };
    const plan = feedbackDemoPlan({
      now: new Date(),
      accounts: [
        { id: a.account.id, externalId: 'DEMO-A', tier: 1, industry: 'Energy' },
        { id: b.account.id, externalId: 'DEMO-B', tier: 1, industry: 'Retail' },
      ],
      contacts: new Map([
        [a.account.id, a.contacts.map((c) => ({ id: c.id, buyingRole: null }))],
        [b.account.id, b.contacts.map((c) => ({ id: c.id, buyingRole: null }))],
      ]),
      users: [{ id: agent.id, role: 'agent' }],
    });
    const rows = Object.values(plan.rows).reduce((n, r) => n + r.length, 0);
    const first = await seedFeedback(api, plan, { attempts: 60 });
    expect(Object.values(first).reduce((n, x) => n + x.imported, 0)).toBe(rows);
    const again = await seedFeedback(api, plan);
    expect(Object.values(again).map((x) => x.imported)).toEqual([0, 0, 0, 0]);
    expect(Object.values(again).reduce((n, x) => n + x.duplicates, 0)).toBe(rows);
    const surveys = (await h.http().get('/v1/feedback/surveys').set(bearer(t.token)).expect(200)).body.items;
    expect(surveys.map((s: { kind: string; status: string }) => `${s.kind}:${s.status}`).sort()).toEqual(['csat:active', 'engagement:active', 'nps:active', 'pulse:active']);
    const engagement = await expectEventually(async () => {
      const r = await h.http().get(`/v1/feedback/accounts/${a.account.id}/engagement?from=${month(new Date(Date.now() - 400 * 86_400_000))}&to=${month()}`).set(bearer(t.token)).expect(200);
      expect(r.body.result.n).toBe(plan.rows.engagement.filter((x) => a.contacts.some((c) => c.id === x.contactId)).length);
      return r.body;
    });
    expect(engagement.stakeholders).toHaveLength(3);
  });
});
