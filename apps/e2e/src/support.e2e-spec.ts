import { randomUUID } from 'node:crypto';
import { JsMsg, NatsConnection } from 'nats';
import { connectAs } from '@steward/service-testing';
import { expectEventually, sleep } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// The support service (issue 8) through the gateway: the built services as processes, on the
// test's own authenticated NATS, every reply checked against its contract.

let h: PlatformHarness;
let events: NatsConnection;
beforeAll(async () => {
  h = await startPlatformHarness('e2esupport', { env: { support: { JOBS_POLL_MS: '200', JOBS_CONCURRENCY: '4' } } });
  // Support's events as a consumer of them sees them (the feedback service may read support's stream).
  events = await connectAs(h.nats!.url, h.nats!.credentials!.feedback);
});
afterAll(async () => {
  await events?.close().catch(() => undefined);
  await h?.close();
});

type T = Awaited<ReturnType<PlatformHarness['tenant']>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const bearer = (t: T) => ({ authorization: `Bearer ${t.token}` });
const supportStream = () => `STEWARD_${(h.prefix + 'support').replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '')}`.toUpperCase();

async function post(t: T, url: string, body: unknown, status = 201): Promise<Json> {
  const res = await h.http().post(url).set(bearer(t)).send(body as object);
  if (res.status !== status) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
async function get(t: T, url: string): Promise<Json> {
  const res = await h.http().get(url).set(bearer(t));
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until support's read models have what accounts published. */
async function known(t: T, counts: { accounts?: number; projects?: number; users?: number }) {
  await expectEventually(async () => expect(await get(t, '/v1/support/read-models')).toMatchObject(counts), { timeoutMs: 15_000 });
}

/** Saves a policy edited from the current one: every level on 24×7 (SLA minutes are wall minutes), two tenant statuses. */
async function policy(t: T, edit: (p: Json) => void = () => undefined): Promise<Json> {
  const p = (await get(t, '/v1/support/policy')).policy;
  for (const l of ['L1', 'L2', 'L3']) p.levels[l].calendar = '24x7';
  p.statuses = [
    { key: 'waiting-for-parts', label: 'Waiting for parts', class: 'waiting', pausesSla: true, pauseReason: 'parts' },
    { key: 'vendor-qa', label: 'Vendor QA', class: 'waiting', pausesSla: false },
  ];
  edit(p);
  const res = await h.http().put('/v1/support/policy').set(bearer(t)).send({ policy: p });
  if (res.status !== 200) throw new Error(`PUT policy: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function directAccount(t: T, name = `Direct ${randomUUID().slice(0, 6)}`) {
  const before = (await get(t, '/v1/support/read-models')).accounts;
  const account = await post(t, '/v1/accounts', { name, region: 'north' });
  await known(t, { accounts: before + 1 });
  return account;
}

const clock = (ticket: Json, key: string) => ticket.sla.clocks.find((c: Json) => c.key === key);

/** Reads the events support published for a ticket (an ordered consumer on its stream). */
async function publishedFor(ticketId: string, subjects: string[]): Promise<Array<{ subject: string; data: Json }>> {
  const js = events.jetstream();
  const consumer = await js.consumers.get(supportStream(), { filterSubjects: `${h.prefix}support.events.>`, opt_start_seq: 1 });
  const out: Array<{ subject: string; data: Json }> = [];
  const msgs = await consumer.fetch({ max_messages: 10_000, expires: 1000 });
  for await (const m of msgs as AsyncIterable<JsMsg>) {
    const subject = m.subject.slice(h.prefix.length + 'support.events.'.length);
    const data = m.json<Json>();
    if (subjects.includes(subject) && [data.ticket?.id, data.voucher?.ticketId, data.order?.ticketId].includes(ticketId)) out.push({ subject, data });
    if (m.info.pending === 0) break;
  }
  return out;
}

describe('routing in the default policy', () => {
  it('routes every lead × project size × account tier as DOMAIN.md §2 says, and shows the rule that decided', async () => {
    const t = await h.tenant();
    const partner = await post(t, '/v1/partners', { name: 'Integrator', kind: 'system-integrator' });
    const accounts: Json[] = [];
    for (const tier of [1, 2, 3]) {
      const a = await post(t, '/v1/accounts', { name: `Tier ${tier} Co`, region: 'east' });
      if (tier !== 3) await h.http().put(`/v1/accounts/${a.id}/tier-override`).set(bearer(t)).send({ tier, reason: 'test' }).expect(200);
      accounts.push({ ...a, tier });
    }
    const leads = ['vendor', 'partner', 'dealer', 'direct'];
    const sizes = ['large', 'mid', 'small'];
    const projects: Array<{ account: Json; lead: string; size: string; id: string }> = [];
    for (const account of accounts) {
      for (const lead of leads) {
        for (const size of sizes) {
          const p = await post(t, `/v1/accounts/${account.id}/projects`, { name: `${lead} ${size}`, kind: 'project', size, lead, region: 'east', ...(lead === 'partner' || lead === 'dealer' ? { partnerId: partner.id } : {}) });
          projects.push({ account, lead, size, id: p.id });
        }
      }
    }
    await known(t, { accounts: 3, projects: 36 });
    await expectEventually(async () => {
      const tickets = (await get(t, '/v1/support/tickets?limit=1')).items;
      expect(tickets).toEqual([]);
      // Tier overrides arrive as account updates.
      for (const a of accounts) expect((await get(t, `/v1/support/routing:preview?accountId=${a.id}&category=question`)).facts.tier).toBe(a.tier);
    });
    const expected: Record<string, [string, string, string]> = {
      'vendor large': ['L1', 'l1-vendor-large', 'delivery-centre/{account}'],
      'vendor mid': ['L2', 'l2-vendor-mid-small', 'branch-technical/east'],
      'vendor small': ['L2', 'l2-vendor-mid-small', 'branch-technical/east'],
      'partner large': ['L2', 'l2-partner-large', 'branch-technical/east'],
      'partner mid': ['L2', 'l2-partner-mid', 'branch-technical/east'],
      'partner small': ['L2', 'l2-partner-small', 'call-centre'],
    };
    const seen: string[] = [];
    for (const p of projects) {
      const ticket = await post(t, '/v1/support/tickets', { accountId: p.account.id, projectId: p.id, category: 'incident', subject: `${p.lead} ${p.size} tier ${p.account.tier}` });
      const [level, rule, queue] = expected[`${p.lead} ${p.size}`] ?? ['L3', 'l3-default', 'call-centre'];
      expect({ combination: `${p.lead} ${p.size} tier ${p.account.tier}`, level: ticket.level, rule: ticket.routing.ruleId, queue: ticket.queue }).toEqual({
        combination: `${p.lead} ${p.size} tier ${p.account.tier}`,
        level,
        rule,
        queue: queue.replace('{account}', p.account.name),
      });
      expect(ticket.routing.explanation).toContain(`Rule ${rule}`);
      expect(ticket.routing.facts).toMatchObject({ lead: p.lead, size: p.size, tier: p.account.tier, region: 'east' });
      seen.push(`${p.lead}/${p.size}/${p.account.tier}`);
    }
    expect(new Set(seen).size).toBe(36);
    // Installation, repair and returns of direct customers go straight to field service.
    const direct = projects.find((p) => p.lead === 'direct')!;
    const repair = await post(t, '/v1/support/tickets', { accountId: direct.account.id, projectId: direct.id, category: 'repair', subject: 'Broken pump' });
    expect(repair).toMatchObject({ level: 'L3', queue: 'after-sales-field-service', routing: { ruleId: 'l3-field-service' } });
  });
});

describe('SLA clocks, live', () => {
  it('pauses on a pausing tenant status (with its reason), runs on a waiting status that does not pause, and resumes with the time used', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'incident', priority: 'high', subject: 'Pump noise' });
    await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'waiting-for-parts', reason: 'seal ordered' }, 200);
    const paused = await get(t, `/v1/support/tickets/${ticket.id}`);
    expect(paused.sla.pauseReason).toBe('parts');
    expect(clock(paused, 'resolution').state).toBe('paused');
    await sleep(300);
    const stillPaused = await get(t, `/v1/support/tickets/${ticket.id}`);
    expect(clock(stillPaused, 'resolution').elapsedMinutes).toBe(clock(paused, 'resolution').elapsedMinutes);
    await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'vendor-qa' }, 200);
    const running = await get(t, `/v1/support/tickets/${ticket.id}`);
    expect(running.sla.pauseReason).toBeNull();
    expect(clock(running, 'resolution').state).toBe('running');
    await sleep(200);
    expect(clock(await get(t, `/v1/support/tickets/${ticket.id}`), 'resolution').elapsedMinutes).toBeGreaterThan(clock(running, 'resolution').elapsedMinutes);
    const feed = (await get(t, `/v1/support/tickets/${ticket.id}/timeline`)).slaEvents;
    expect(feed.filter((e: Json) => e.clock === 'resolution').map((e: Json) => e.kind)).toEqual(['activate', 'pause', 'resume']);
    expect((await get(t, `/v1/support/tickets/${ticket.id}/timeline`)).statusChanges.map((c: Json) => c.status)).toEqual(['new', 'waiting-for-parts', 'vendor-qa']);
  });

  it('a priority change moves the targets (keeping the time used) and is published', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', priority: 'low', subject: 'Manual' });
    expect(clock(ticket, 'firstResponse').targetMinutes).toBe(960);
    const res = await h.http().patch(`/v1/support/tickets/${ticket.id}`).set(bearer(t)).send({ priority: 'urgent' }).expect(200);
    expect(clock(res.body, 'firstResponse').targetMinutes).toBe(60);
    expect(Date.parse(clock(res.body, 'firstResponse').dueAt)).toBeLessThan(Date.parse(clock(ticket, 'firstResponse').dueAt));
    expect(res.body.sla.targets).toMatchObject({ firstResponse: 60, resolution: 960 });
    await expectEventually(async () => expect((await publishedFor(ticket.id, ['ticket.priority-changed.v1'])).map((e) => [e.data.from, e.data.to])).toEqual([['low', 'urgent']]));
  });

  it('reopens a resolved ticket within the window (resolution resumes), refuses after it, refuses moves the lifecycle forbids', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'Login' });
    await post(t, `/v1/support/tickets/${ticket.id}/comments`, { body: 'Try this' });
    const resolved = await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'resolved' }, 200);
    expect(clock(resolved, 'resolution').state).toBe('met');
    const reopened = await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'in-progress', reason: 'still fails' }, 200);
    expect(reopened).toMatchObject({ reopenCount: 1, statusClass: 'in-progress', resolvedAt: null });
    expect(clock(reopened, 'resolution').state).toBe('running');
    const backToNew = await h.http().post(`/v1/support/tickets/${ticket.id}/status`).set(bearer(t)).send({ status: 'new' }).expect(409);
    expect(backToNew.body).toMatchObject({ code: 'TICKET_TRANSITION_NOT_ALLOWED', errors: [{ field: 'status', rule: 'transition' }] });
    await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'resolved' }, 200);
    await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'closed' }, 200);
    await policy(t, (p) => (p.reopenWindowDays = 0));
    const late = await h.http().post(`/v1/support/tickets/${ticket.id}/status`).set(bearer(t)).send({ status: 'in-progress' }).expect(409);
    expect(late.body).toMatchObject({ code: 'REOPEN_WINDOW_PASSED', errors: [{ field: 'status', rule: 'reopen-window' }] });
    await expectEventually(async () =>
      expect((await publishedFor(ticket.id, ['ticket.resolved.v1', 'ticket.reopened.v1', 'ticket.closed.v1'])).map((e) => e.subject)).toEqual(['ticket.resolved.v1', 'ticket.reopened.v1', 'ticket.resolved.v1', 'ticket.closed.v1']),
    );
  });

  it('warns at 50 % and 75 %, detects the breach within the lag target, escalates, issues the recovery voucher, and expires a voucher at its time', async () => {
    const t = await h.tenant();
    await policy(t, (p) => {
      p.levels.L3.targets.urgent = { firstResponse: 0.05, resolution: 60 };
      p.warnings = [0.5, 0.75];
      p.recovery = [{ id: 'l3-breach', on: 'breach', when: { levels: ['L3'], clocks: ['firstResponse'] }, voucher: { kind: 'credit', faceValue: 5000, currency: 'EUR', validDays: 30 } }];
    });
    const account = await directAccount(t);
    const expiring = await post(t, '/v1/support/vouchers', { accountId: account.id, kind: 'free-service', faceValue: 20000, currency: 'EUR', expiresAt: new Date(Date.now() + 1500).toISOString(), reason: 'goodwill' });
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'incident', priority: 'urgent', subject: 'Outage' });
    expect(ticket).toMatchObject({ level: 'L3', step: 0, queue: 'call-centre' });
    // First response due after 3 s; the breach must be found well within the 5 s lag target.
    const escalated = await expectEventually(
      async () => {
        const now = await get(t, `/v1/support/tickets/${ticket.id}`);
        expect(now).toMatchObject({ step: 1, queue: 'technical-experts' });
        return now;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(escalated.steps[0]).toMatchObject({ queue: 'call-centre', leftBecause: 'sla-breach:firstResponse' });
    expect(escalated.sla.breached).toBe(true);
    const feed = (await get(t, `/v1/support/tickets/${ticket.id}/timeline`)).slaEvents;
    const fr = feed.filter((e: Json) => e.clock === 'firstResponse');
    expect(fr.map((e: Json) => `${e.kind}${e.details.fraction ? ` ${e.details.fraction}` : ''}`)).toEqual(['activate', 'warn 0.5', 'warn 0.75', 'breach']);
    const breach = fr[3];
    expect(breach.at).toBe(clock(ticket, 'firstResponse').dueAt);
    const lagMs = Date.parse(breach.recordedAt) - Date.parse(breach.at);
    expect(lagMs).toBeGreaterThanOrEqual(0);
    expect(lagMs).toBeLessThan(5000);
    await expectEventually(async () => {
      const published = await publishedFor(ticket.id, ['sla.warned.v1', 'sla.breached.v1', 'ticket.escalated.v1', 'voucher.issued.v1']);
      expect(published.map((e) => e.subject)).toEqual(['sla.warned.v1', 'sla.warned.v1', 'sla.breached.v1', 'ticket.escalated.v1', 'voucher.issued.v1']);
      expect(published[2].data).toMatchObject({ clock: { key: 'firstResponse', state: 'breached' }, at: breach.at, ticket: { id: ticket.id, slaBreached: true } });
      expect(published[3].data).toMatchObject({ fromQueue: 'call-centre', toQueue: 'technical-experts', reason: 'sla-breach:firstResponse' });
      expect(published[4].data.voucher).toMatchObject({ ruleId: 'l3-breach', faceValue: 5000, currency: 'EUR', status: 'issued' });
    });
    await expectEventually(async () => expect((await get(t, `/v1/support/vouchers/${expiring.id}`)).status).toBe('expired'), { timeoutMs: 5000 });
  });
});

describe('import with history', () => {
  it('computes the same SLA as the same ticket handled live', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const live = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'incident', priority: 'high', subject: 'Live' });
    await sleep(150);
    await post(t, `/v1/support/tickets/${live.id}/comments`, { body: 'Looking' });
    await sleep(100);
    await post(t, `/v1/support/tickets/${live.id}/comments`, { body: 'Still down', by: 'customer' });
    await post(t, `/v1/support/tickets/${live.id}/status`, { status: 'waiting-for-parts' }, 200);
    await sleep(200);
    await post(t, `/v1/support/tickets/${live.id}/status`, { status: 'in-progress' }, 200);
    await post(t, `/v1/support/tickets/${live.id}/comments`, { body: 'Internal note', visibility: 'internal' });
    await sleep(100);
    await post(t, `/v1/support/tickets/${live.id}/comments`, { body: 'Fixed' });
    await post(t, `/v1/support/tickets/${live.id}/status`, { status: 'resolved' }, 200);
    const done = await get(t, `/v1/support/tickets/${live.id}`);
    const history = await get(t, `/v1/support/tickets/${live.id}/timeline`);
    const comments = (await get(t, `/v1/support/tickets/${live.id}/comments`)).items;
    const imported = await post(
      t,
      '/v1/support/tickets:import',
      {
        tickets: [
          {
            externalId: 'ZD-4711',
            accountId: account.id,
            category: 'incident',
            priority: 'high',
            subject: 'From the old help desk',
            createdAt: live.createdAt,
            history: history.statusChanges.slice(1).map((c: Json) => ({ at: c.at, status: c.status })),
            comments: comments.map((c: Json) => ({ at: c.at, by: c.by, visibility: c.visibility, body: c.body })),
          },
        ],
      },
      200,
    );
    expect(imported).toMatchObject({ imported: 1, unchanged: 0 });
    const copy = await get(t, `/v1/support/tickets/${imported.tickets[0].id}`);
    const clocks = (x: Json) => x.sla.clocks.map(({ key, state, elapsedMinutes, pausedMinutes, startedAt, stoppedAt, dueAt, breachedAt }: Json) => ({ key, state, elapsedMinutes, pausedMinutes, startedAt, stoppedAt, dueAt, breachedAt }));
    expect(clocks(copy)).toEqual(clocks(done));
    expect(copy).toMatchObject({ imported: true, status: 'resolved', resolvedAt: done.resolvedAt, firstRespondedAt: done.firstRespondedAt, externalId: 'ZD-4711' });
    const kinds = async (id: string) => (await get(t, `/v1/support/tickets/${id}/timeline`)).slaEvents.slice(1).map((e: Json) => `${e.kind} ${e.clock} ${e.at}`);
    expect(await kinds(copy.id)).toEqual(await kinds(live.id));
    // Again: nothing doubles.
    const again = await post(t, '/v1/support/tickets:import', { tickets: [{ externalId: 'ZD-4711', accountId: account.id, category: 'incident', subject: 'x', createdAt: live.createdAt }] }, 200);
    expect(again).toMatchObject({ imported: 0, unchanged: 1, tickets: [{ id: copy.id, imported: false }] });
    const bad = await h.http().post('/v1/support/tickets:import').set(bearer(t)).send({ tickets: [{ externalId: 'X-2', accountId: account.id, category: 'incident', subject: 'x', createdAt: live.createdAt, history: [{ at: live.createdAt, status: 'closed' }] }] }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'tickets[0].history[0].status', rule: 'transition' });
  });
});

describe('partner scope', () => {
  it('partners open and see tickets on the accounts they lead only; others are 404 or refused naming the field', async () => {
    const t = await h.tenant();
    const partner = await post(t, '/v1/partners', { name: 'Reseller', kind: 'reseller' });
    const key = (await post(t, `/v1/partners/${partner.id}/api-keys`, { name: 'k' })).key as string;
    const other = await post(t, '/v1/partners', { name: 'Other', kind: 'reseller' });
    const otherKey = (await post(t, `/v1/partners/${other.id}/api-keys`, { name: 'k' })).key as string;
    const own = (await h.http().post('/v1/accounts').set('x-api-key', key).send({ name: 'Partner Co', region: 'south' }).expect(201)).body;
    const foreign = await post(t, '/v1/accounts', { name: 'Direct Co' });
    await known(t, { accounts: 2 });
    const mine = (await h.http().post('/v1/support/tickets').set('x-api-key', key).send({ accountId: own.id, category: 'question', subject: 'Via partner' }).expect(201)).body;
    expect(mine).toMatchObject({ channel: 'partner-api', level: 'L2', routing: { ruleId: 'l2-partner-small' } });
    const theirs = await post(t, '/v1/support/tickets', { accountId: foreign.id, category: 'question', subject: 'Direct' });
    await h.http().get(`/v1/support/tickets/${mine.id}`).set('x-api-key', key).expect(200);
    await h.http().get(`/v1/support/tickets/${theirs.id}`).set('x-api-key', key).expect(404);
    await h.http().get(`/v1/support/tickets/${mine.id}`).set('x-api-key', otherKey).expect(404);
    const list = (await h.http().get('/v1/support/tickets').set('x-api-key', key).expect(200)).body;
    expect(list.items.map((x: Json) => x.id)).toEqual([mine.id]);
    const refused = await h.http().post('/v1/support/tickets').set('x-api-key', key).send({ accountId: foreign.id, category: 'question', subject: 'Not mine' }).expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'accountId', rule: 'exists' });
    await h.http().post(`/v1/support/tickets/${theirs.id}/comments`).set('x-api-key', key).send({ body: 'hi' }).expect(404);
    const internal = await h.http().post(`/v1/support/tickets/${mine.id}/comments`).set('x-api-key', key).send({ body: 'note', visibility: 'internal' }).expect(400);
    expect(internal.body.errors[0]).toMatchObject({ field: 'visibility', rule: 'public-only' });
    await post(t, `/v1/support/tickets/${mine.id}/comments`, { body: 'Internal only', visibility: 'internal' });
    const seen = (await h.http().get(`/v1/support/tickets/${mine.id}/comments`).set('x-api-key', key).expect(200)).body;
    expect(seen.items).toEqual([]);
    await h.http().post(`/v1/support/tickets/${mine.id}/status`).set('x-api-key', key).send({ status: 'resolved' }).expect(403);
  });
});

describe('after-sales orders, complaints and vouchers', () => {
  it('runs a repair order from request to completion with a visit and parts; refuses a move the order states forbid', async () => {
    const t = await h.tenant();
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'repair', subject: 'Pump seal' });
    const order = await post(t, `/v1/support/tickets/${ticket.id}/rma-orders`, { kind: 'repair', parts: [{ sku: 'SEAL-9', name: 'Seal', quantity: 2 }] });
    expect(order).toMatchObject({ kind: 'repair', status: 'requested', ticketId: ticket.id, accountId: account.id, targetMinutes: 1440, breached: false });
    await post(t, `/v1/support/rma-orders/${order.id}/transition`, { to: 'approved' }, 200);
    const visit = await post(t, `/v1/support/rma-orders/${order.id}/visits`, { scheduledFor: new Date(Date.now() + 86_400_000).toISOString(), technicianId: t.adminId });
    await post(t, `/v1/support/rma-orders/${order.id}/transition`, { to: 'scheduled' }, 200);
    await post(t, `/v1/support/rma-orders/${order.id}/transition`, { to: 'in-progress' }, 200);
    await h.http().patch(`/v1/support/rma-orders/${order.id}/visits/${visit.visits[0].id}`).set(bearer(t)).send({ status: 'completed', notes: 'seal replaced' }).expect(200);
    const done = await post(t, `/v1/support/rma-orders/${order.id}/transition`, { to: 'completed' }, 200);
    expect(done).toMatchObject({ status: 'completed', breached: false, visits: [{ status: 'completed', notes: 'seal replaced' }] });
    expect(done.history.map((x: Json) => x.to)).toEqual(['requested', 'approved', 'scheduled', 'in-progress', 'completed']);
    const refused = await h.http().post(`/v1/support/rma-orders/${order.id}/transition`).set(bearer(t)).send({ to: 'approved' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'RMA_TRANSITION_NOT_ALLOWED', errors: [{ field: 'to', rule: 'transition' }] });
    await expectEventually(async () =>
      expect((await publishedFor(ticket.id, ['rma.changed.v1'])).map((e) => e.data.change)).toEqual([
        'raised',
        'status requested → approved',
        'visit scheduled',
        'status approved → scheduled',
        'status scheduled → in-progress',
        'visit completed',
        'status in-progress → completed',
      ]),
    );
  });

  it('registers complaints (category and agent), issues a voucher by hand, redeems it once, refuses expired and past-dated ones', async () => {
    const t = await h.tenant();
    await policy(t, (p) => (p.recovery = [{ id: 'complaint-goodwill', on: 'complaint', voucher: { kind: 'credit', faceValue: 1000, currency: 'EUR', validDays: 90 } }]));
    const account = await directAccount(t);
    const complaint = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'complaint', subject: 'Technician was late twice' });
    expect(complaint.complaint).toBe(true);
    const flagged = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'Invoice' });
    const c1 = await post(t, `/v1/support/tickets/${flagged.id}/complaint`, { reason: 'Rude on the phone' }, 200);
    const c2 = await post(t, `/v1/support/tickets/${flagged.id}/complaint`, { reason: 'again' }, 200);
    expect(c2.id).toBe(c1.id);
    const register = (await get(t, '/v1/support/complaints')).items;
    expect(register.map((c: Json) => c.source).sort()).toEqual(['agent', 'category']);
    const byRule = (await get(t, `/v1/support/vouchers?accountId=${account.id}`)).items;
    expect(byRule.map((v: Json) => v.ruleId)).toEqual(['complaint-goodwill', 'complaint-goodwill']);
    await post(t, `/v1/support/complaints/${c1.id}/resolve`, { outcome: 'mollified' }, 200);
    const voucher = await post(t, '/v1/support/vouchers', { accountId: account.id, ticketId: flagged.id, complaintId: c1.id, kind: 'credit', faceValue: 15000, currency: 'EUR', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'service recovery' });
    const redeemed = await post(t, `/v1/support/vouchers/${voucher.id}/redeem`, { orderRef: 'SO-1001', orderAmount: 480000, currency: 'EUR' }, 200);
    expect(redeemed).toMatchObject({ status: 'redeemed', redemption: { orderRef: 'SO-1001', orderAmount: 480000, currency: 'EUR' } });
    const twice = await h.http().post(`/v1/support/vouchers/${voucher.id}/redeem`).set(bearer(t)).send({ orderRef: 'SO-1002', orderAmount: 1, currency: 'EUR' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'VOUCHER_NOT_REDEEMABLE', errors: [{ field: 'id', rule: 'redeemed' }] });
    const past = await h.http().post('/v1/support/vouchers').set(bearer(t)).send({ accountId: account.id, kind: 'credit', faceValue: 1, currency: 'EUR', expiresAt: '2020-01-01T00:00:00Z', reason: 'x' }).expect(400);
    expect(past.body.errors[0]).toMatchObject({ field: 'expiresAt', rule: 'future' });
    const wrongCurrency = await post(t, '/v1/support/vouchers', { accountId: account.id, kind: 'credit', faceValue: 100, currency: 'EUR', expiresAt: new Date(Date.now() + 60_000).toISOString(), reason: 'x' });
    const mismatch = await h.http().post(`/v1/support/vouchers/${wrongCurrency.id}/redeem`).set(bearer(t)).send({ orderRef: 'SO-9', orderAmount: 1, currency: 'USD' }).expect(400);
    expect(mismatch.body.errors[0]).toMatchObject({ field: 'currency', rule: 'matches-voucher' });
  });
});

describe('policy validation, bad input, idempotency, reports', () => {
  it('refuses a policy with unreachable rules, a step without a queue and a target of 0, naming each field', async () => {
    const t = await h.tenant();
    const p = (await get(t, '/v1/support/policy')).policy;
    p.rules.push({ id: 'after-catch-all', when: { tier: [1] }, level: 'L1', firstQueue: 'x', escalationChain: [] });
    p.rules[0].escalationChain = [''];
    p.levels.L2.targets.urgent.firstResponse = 0;
    p.levels.L1.handoff = { 'call-centre': { urgent: 5 } };
    const res = await h.http().put('/v1/support/policy').set(bearer(t)).send({ policy: p }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: Json) => `${e.field} ${e.rule}`)).toEqual(
      expect.arrayContaining([
        'policy.rules[11] unreachable-rule',
        'policy.rules[0].escalationChain[0] required',
        'policy.levels.L2.targets.urgent.firstResponse invalid-value',
        'policy.levels.L1.handoff.call-centre unknown-reference',
      ]),
    );
    expect((await get(t, '/v1/support/policy')).version).toBe(0);
  });

  it('answers every bad input with a 4xx naming the field and rule', async () => {
    const t = await h.tenant();
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'Q' });
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/support/tickets', { accountId: account.id, category: 'billing', subject: 'x' }, 400, 'category'],
      ['POST', '/v1/support/tickets', { accountId: account.id, category: 'question', subject: '' }, 400, 'subject'],
      ['POST', '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'x', colour: 'red' }, 400, 'colour'],
      ['POST', '/v1/support/tickets', { accountId: randomUUID(), category: 'question', subject: 'x' }, 400, 'accountId'],
      ['POST', '/v1/support/tickets', { accountId: account.id, projectId: randomUUID(), category: 'question', subject: 'x' }, 400, 'projectId'],
      ['POST', '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'x', priority: 'asap' }, 400, 'priority'],
      ['POST', `/v1/support/tickets/${ticket.id}/status`, { status: 'Done!' }, 400, 'status'],
      ['POST', `/v1/support/tickets/${ticket.id}/status`, { status: 'archived' }, 400, 'status'],
      ['POST', `/v1/support/tickets/${ticket.id}/assign`, { assigneeId: randomUUID() }, 400, 'assigneeId'],
      ['POST', `/v1/support/tickets/${ticket.id}/merge`, { intoTicketId: ticket.id }, 400, 'intoTicketId'],
      ['POST', `/v1/support/tickets/${ticket.id}/comments`, { body: 'x', attachments: [{ name: 'a', contentType: 'nope', sizeBytes: 1, url: 'https://x.test/a' }] }, 400, 'attachments[0].contentType'],
      ['POST', `/v1/support/tickets/${randomUUID()}/escalate`, { reason: 'x' }, 404, 'path'],
      ['POST', '/v1/support/tickets/not-a-uuid/escalate', { reason: 'x' }, 400, 'path.id'],
      ['POST', `/v1/support/tickets/${ticket.id}/rma-orders`, { kind: 'teleport' }, 400, 'kind'],
      ['POST', '/v1/support/vouchers', { accountId: account.id, kind: 'credit', faceValue: 10.5, currency: 'EUR', expiresAt: new Date(Date.now() + 60_000).toISOString(), reason: 'x' }, 400, 'faceValue'],
      ['POST', '/v1/support/teams', { name: 'T', kind: 'call-centre', queue: 'branch/{region}' }, 400, 'queue'],
      ['GET', '/v1/support/reports/compliance?from=2026-03-10&to=2026-03-01', undefined, 400, 'query.to'],
      ['GET', '/v1/support/reports/compliance?from=2026-03-01&to=2026-03-10&groupBy=colour', undefined, 400, 'query.groupBy[0]'],
      ['GET', '/v1/support/tickets?level=L9', undefined, 400, 'query.level'],
      ['GET', '/v1/support/tickets?cursor=forged', undefined, 400, 'cursor'],
    ];
    for (const [method, url, body, status, field] of cases) {
      const req = method === 'GET' ? h.http().get(url) : h.http().post(url).send(body as object);
      const res = await req.set(bearer(t));
      expect({ url, status: res.status, field: res.body.errors?.[0]?.field, rule: typeof res.body.errors?.[0]?.rule }).toEqual({ url, status, field, rule: 'string' });
    }
  });

  it('never doubles a ticket on retries with the same Idempotency-Key, even concurrent ones', async () => {
    const t = await h.tenant();
    const account = await directAccount(t);
    const body = { accountId: account.id, category: 'incident', subject: 'Retried' };
    const first = await h.http().post('/v1/support/tickets').set(bearer(t)).set('idempotency-key', 'retry-1').send(body).expect(201);
    const second = await h.http().post('/v1/support/tickets').set(bearer(t)).set('idempotency-key', 'retry-1').send(body).expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const twins = await Promise.all([1, 2, 3, 4].map(() => h.http().post('/v1/support/tickets').set(bearer(t)).set('idempotency-key', 'retry-2').send(body)));
    expect(new Set(twins.map((r) => r.body.id)).size).toBe(1);
    const other = await h.http().post('/v1/support/tickets').set(bearer(t)).set('idempotency-key', 'retry-1').send({ ...body, subject: 'Other' }).expect(422);
    expect(other.body.errors[0]).toMatchObject({ field: 'Idempotency-Key' });
    const all = (await get(t, `/v1/support/tickets?accountId=${account.id}`)).items;
    expect(all).toHaveLength(2);
    // A service's natural key: the same origin returns the same ticket without any header.
    const viaOrigin = { ...body, subject: 'Detractor follow-up', followUp: true, origin: { kind: 'feedback', ref: 'response-1' } };
    const a = await post(t, '/v1/support/tickets', viaOrigin);
    const b = await post(t, '/v1/support/tickets', viaOrigin);
    expect(b.id).toBe(a.id);
  });

  it('reports compliance, first-contact resolution, complaint rate, hand-offs and backlog from rollups', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const a = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', priority: 'high', subject: 'A' });
    await post(t, `/v1/support/tickets/${a.id}/comments`, { body: 'Answer' });
    await post(t, `/v1/support/tickets/${a.id}/status`, { status: 'resolved' }, 200);
    const b = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'complaint', priority: 'high', subject: 'B' });
    await post(t, `/v1/support/tickets/${b.id}/escalate`, { reason: 'needs an expert' }, 200);
    const day = new Date().toISOString().slice(0, 10);
    await expectEventually(async () => {
      const r = await get(t, `/v1/support/reports/compliance?from=${day}&to=${day}&groupBy=level,priority`);
      expect(r.rows).toEqual([
        expect.objectContaining({ group: { level: 'L3', priority: 'high' }, tickets: 2, resolved: 1, firstContactResolved: 1, firstContactResolution: 1, complaints: 1, complaintRate: 0.5, escalated: 1, firstResponse: { met: 1, breached: 0, compliance: 1 } }),
      ]);
      const handoff = await get(t, `/v1/support/reports/handoff?from=${day}&to=${day}&groupBy=step,queue`);
      expect(handoff.rows.map((x: Json) => [x.group.step, x.group.queue, x.steps, x.handedOff, x.resolvedInStep])).toEqual([
        [0, 'call-centre', 2, 1, 1],
        [1, 'technical-experts', 1, 0, 0],
      ]);
      const backlog = await get(t, '/v1/support/reports/backlog?groupBy=queue');
      expect(backlog).toMatchObject({ total: 1, rows: [{ group: { queue: 'technical-experts' }, open: 1, ageing: { '<1d': 1 } }] });
    });
    // The fold job, queued after each change commits (not in its transaction), empties the deltas into the rollups.
    await expectEventually(async () => expect((await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM support.rollup_deltas WHERE tenant_id = $1`, [t.tenantId]))[0]!.n).toBe(0), {
      timeoutMs: 15_000,
    });
    const folded = await get(t, `/v1/support/reports/compliance?from=${day}&to=${day}&groupBy=level`);
    expect(folded.rows).toEqual([expect.objectContaining({ group: { level: 'L3' }, tickets: 2, resolved: 1, complaints: 1, escalated: 1 })]);
  });
});
