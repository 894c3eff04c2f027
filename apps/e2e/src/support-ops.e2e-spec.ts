import { randomUUID } from 'node:crypto';
import { JsMsg, NatsConnection } from 'nats';
import { connectAs } from '@steward/service-testing';
import { expectEventually } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// The support service's day-to-day operations through the gateway (issue 8): teams and
// assignment, merge, policy re-application, a calendar with a holiday, a hand-off breach,
// read-model rebuild, after-sales parts, and the events each of them publishes.

let h: PlatformHarness;
let events: NatsConnection;
beforeAll(async () => {
  h = await startPlatformHarness('e2esupops', { env: { support: { JOBS_POLL_MS: '200', JOBS_CONCURRENCY: '4' } } });
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

async function send(t: T, method: 'post' | 'put' | 'patch' | 'delete', url: string, body: unknown, status: number): Promise<Json> {
  const res = await h.http()[method](url).set(bearer(t)).send(body as object);
  if (res.status !== status) throw new Error(`${method.toUpperCase()} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const post = (t: T, url: string, body: unknown, status = 201) => send(t, 'post', url, body, status);
async function get(t: T, url: string): Promise<Json> {
  const res = await h.http().get(url).set(bearer(t));
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
async function known(t: T, counts: { accounts?: number; users?: number }) {
  await expectEventually(async () => expect(await get(t, '/v1/support/read-models')).toMatchObject(counts), { timeoutMs: 15_000 });
}
async function policy(t: T, edit: (p: Json) => void = () => undefined, extra: Json = {}): Promise<Json> {
  const p = (await get(t, '/v1/support/policy')).policy;
  for (const l of ['L1', 'L2', 'L3']) p.levels[l].calendar = '24x7';
  edit(p);
  return send(t, 'put', '/v1/support/policy', { policy: p, ...extra }, 200);
}
async function directAccount(t: T): Promise<Json> {
  const before = (await get(t, '/v1/support/read-models')).accounts;
  const account = await post(t, '/v1/accounts', { name: `Direct ${randomUUID().slice(0, 6)}`, region: 'north' });
  await known(t, { accounts: before + 1 });
  return account;
}
const clock = (ticket: Json, key: string) => ticket.sla.clocks.find((c: Json) => c.key === key);
const ticketOf = (data: Json): string | undefined => data.ticket?.id ?? data.voucher?.ticketId ?? data.order?.ticketId ?? data.complaint?.ticketId;

/** The events support published about a ticket (or a voucher id), in order. */
async function published(ref: string, subjects: string[]): Promise<Array<{ subject: string; data: Json }>> {
  const consumer = await events.jetstream().consumers.get(supportStream(), { filterSubjects: `${h.prefix}support.events.>` });
  const out: Array<{ subject: string; data: Json }> = [];
  const msgs = await consumer.fetch({ max_messages: 10_000, expires: 1000 });
  for await (const m of msgs as AsyncIterable<JsMsg>) {
    const subject = m.subject.slice(h.prefix.length + 'support.events.'.length);
    const data = m.json<Json>();
    if (subjects.includes(subject) && (ticketOf(data) === ref || data.voucher?.id === ref)) out.push({ subject, data });
    if (m.info.pending === 0) break;
  }
  return out;
}

describe('teams, assignment and merge', () => {
  it('creates a round-robin team, assigns by turns, by hand and unassigns; merges a duplicate; publishes each step', async () => {
    const t = await h.tenant();
    await policy(t);
    const a1 = await post(t, '/v1/users', { email: `a1-${randomUUID().slice(0, 6)}@x.test`, name: 'Agent One', role: 'agent', password: 'agent password 1' });
    const a2 = await post(t, '/v1/users', { email: `a2-${randomUUID().slice(0, 6)}@x.test`, name: 'Agent Two', role: 'agent', password: 'agent password 1' });
    await known(t, { users: 3 });
    const team = await post(t, '/v1/support/teams', { name: 'Call centre', kind: 'call-centre', queue: 'call-centre', assignment: 'round-robin' });
    await send(t, 'put', `/v1/support/teams/${team.id}/members/${a1.id}`, { skills: ['pumps'], capacity: 5 }, 200);
    const withTwo = await send(t, 'put', `/v1/support/teams/${team.id}/members/${a2.id}`, { capacity: 5 }, 200);
    expect(withTwo.members.map((m: Json) => m.userId).sort()).toEqual([a1.id, a2.id].sort());
    expect((await send(t, 'patch', `/v1/support/teams/${team.id}`, { name: 'Call centre north' }, 200)).name).toBe('Call centre north');
    expect((await get(t, '/v1/support/teams?queue=call-centre')).items.map((x: Json) => x.id)).toEqual([team.id]);

    const account = await directAccount(t);
    const first = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'First' });
    const second = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', subject: 'Second' });
    expect([first.assigneeId, second.assigneeId].sort()).toEqual([a1.id, a2.id].sort());
    expect(first.teamId).toBe(team.id);
    const loads = (await get(t, `/v1/support/teams/${team.id}`)).members.map((m: Json) => m.openTickets);
    expect(loads).toEqual([1, 1]);

    const other = first.assigneeId === a1.id ? a2.id : a1.id;
    expect((await post(t, `/v1/support/tickets/${first.id}/assign`, { assigneeId: other }, 200)).assigneeId).toBe(other);
    expect((await post(t, `/v1/support/tickets/${first.id}/assign`, { assigneeId: null }, 200)).assigneeId).toBeNull();
    await send(t, 'delete', `/v1/support/teams/${team.id}/members/${a2.id}`, undefined, 200);
    expect((await get(t, `/v1/support/teams/${team.id}`)).members.map((m: Json) => m.userId)).toEqual([a1.id]);

    const merged = await post(t, `/v1/support/tickets/${second.id}/merge`, { intoTicketId: first.id }, 200);
    expect(merged).toMatchObject({ id: second.id, mergedIntoId: first.id, statusClass: 'closed' });
    const refused = await h.http().post(`/v1/support/tickets/${first.id}/merge`).set(bearer(t)).send({ intoTicketId: second.id }).expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'intoTicketId', rule: 'open' });

    await expectEventually(async () => {
      const firstEvents = await published(first.id, ['ticket.created.v1', 'ticket.routed.v1', 'ticket.assigned.v1']);
      expect(firstEvents.map((e) => (e.subject === 'ticket.assigned.v1' ? `assigned ${e.data.how}` : e.subject))).toEqual([
        'ticket.created.v1',
        'ticket.routed.v1',
        'assigned round-robin',
        'assigned manual',
        'assigned manual',
      ]);
      const secondEvents = await published(second.id, ['ticket.merged.v1', 'ticket.closed.v1', 'ticket.status-changed.v1']);
      expect(secondEvents.find((e) => e.subject === 'ticket.merged.v1')?.data.intoTicketId).toBe(first.id);
    });
  });
});

describe('policy over time', () => {
  it('re-applies a new version to open tickets when asked (targets move, the feed says so), not otherwise', async () => {
    const t = await h.tenant();
    const v1 = await policy(t);
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', priority: 'low', subject: 'Manual' });
    expect(ticket.sla.policyVersion).toBe(v1.version);
    expect(clock(ticket, 'firstResponse').targetMinutes).toBe(960);
    const v2 = await policy(t, (p) => (p.levels.L3.targets.low.firstResponse = 480));
    expect(v2.reapplyJobId).toBeNull();
    expect((await get(t, `/v1/support/tickets/${ticket.id}`)).sla.policyVersion).toBe(v1.version);
    const v3 = await policy(t, (p) => (p.levels.L3.targets.low.firstResponse = 240), { reapplyToOpenTickets: true });
    expect(v3.reapplyJobId).toEqual(expect.any(String));
    const moved = await expectEventually(async () => {
      const now = await get(t, `/v1/support/tickets/${ticket.id}`);
      expect(now.sla.policyVersion).toBe(v3.version);
      return now;
    });
    expect(clock(moved, 'firstResponse').targetMinutes).toBe(240);
    const feed = (await get(t, `/v1/support/tickets/${ticket.id}/timeline`)).slaEvents;
    expect(feed.filter((e: Json) => e.kind === 'apply-policy')).toHaveLength(2);
  });

  it('counts SLA time in a business calendar that skips a holiday', async () => {
    const t = await h.tenant();
    const today = new Date().toISOString().slice(0, 10);
    const hours = [{ start: '09:00', end: '17:00' }];
    const calendar = { kind: 'business-hours', timeZone: 'UTC', weeklyHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours }, holidays: [today] };
    await policy(t, (p) => {
      p.calendars.plant = calendar;
      p.levels.L3.calendar = 'plant';
    });
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'question', priority: 'high', subject: 'On a holiday' });
    const fr = clock(ticket, 'firstResponse');
    expect(fr.targetMinutes).toBe(120);
    expect(fr.elapsedMinutes).toBe(0);
    // Nothing counts today: the two hours start tomorrow at 09:00 UTC.
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(fr.dueAt).toBe(`${tomorrow}T11:00:00.000Z`);
  });

  it('escalates on a hand-off breach: the call centre must solve or hand off within its target', async () => {
    const t = await h.tenant();
    await policy(t, (p) => (p.levels.L3.handoff = { 'call-centre': { normal: 0.05 } }));
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'incident', priority: 'normal', subject: 'Slow machine' });
    expect(clock(ticket, 'handoff@0').targetMinutes).toBe(0.05);
    const escalated = await expectEventually(
      async () => {
        const now = await get(t, `/v1/support/tickets/${ticket.id}`);
        expect(now).toMatchObject({ step: 1, queue: 'technical-experts' });
        return now;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(escalated.steps[0]).toMatchObject({ queue: 'call-centre', leftBecause: 'sla-breach:handoff' });
    expect(clock(escalated, 'firstResponse').state).toBe('running');
    await expectEventually(async () => {
      const e = await published(ticket.id, ['sla.breached.v1', 'ticket.escalated.v1']);
      expect(e.map((x) => x.subject)).toEqual(['sla.breached.v1', 'ticket.escalated.v1']);
      expect(e[0]!.data.clock).toMatchObject({ key: 'handoff@0', kind: 'handoff', state: 'breached' });
    });
  });
});

describe('read models, after-sales parts, and the events of the service', () => {
  it('rebuilds the read models by a job and keeps what they knew', async () => {
    const t = await h.tenant();
    await directAccount(t);
    const before = await get(t, '/v1/support/read-models');
    const { jobId } = await post(t, '/v1/support/read-models:rebuild', {}, 202);
    expect(jobId).toEqual(expect.any(String));
    await expectEventually(async () => expect((await get(t, '/v1/support/read-models')).rebuild).toMatchObject({ jobId, status: 'completed', lastError: null }), { timeoutMs: 20_000 });
    expect(await get(t, '/v1/support/read-models')).toMatchObject({ accounts: before.accounts, projects: before.projects, users: before.users });
  });

  it('replaces an order\'s parts, lists and reads orders; publishes fulfilment, complaints and voucher redemption and expiry', async () => {
    const t = await h.tenant();
    await policy(t);
    const account = await directAccount(t);
    const ticket = await post(t, '/v1/support/tickets', { accountId: account.id, category: 'return', subject: 'Wrong sensor' });
    const order = await post(t, `/v1/support/tickets/${ticket.id}/rma-orders`, { kind: 'return' });
    const parts = await send(t, 'put', `/v1/support/rma-orders/${order.id}/parts`, { parts: [{ sku: 'SENS-4', name: 'Sensor', quantity: 3 }] }, 200);
    expect(parts.parts).toEqual([expect.objectContaining({ sku: 'SENS-4', quantity: 3 })]);
    expect((await get(t, `/v1/support/rma-orders?ticketId=${ticket.id}`)).items.map((o: Json) => o.id)).toEqual([order.id]);
    expect(await get(t, `/v1/support/rma-orders/${order.id}`)).toMatchObject({ id: order.id, kind: 'return', status: 'requested', parts: [{ sku: 'SENS-4' }] });

    // An agent's public answer in time fulfils the first response; a status change is published.
    await post(t, `/v1/support/tickets/${ticket.id}/comments`, { body: 'We will send the right one' });
    await post(t, `/v1/support/tickets/${ticket.id}/status`, { status: 'triaged' }, 200);
    const complaint = await post(t, `/v1/support/tickets/${ticket.id}/complaint`, { reason: 'Second wrong delivery' }, 200);
    await post(t, `/v1/support/complaints/${complaint.id}/resolve`, { outcome: 'satisfied' }, 200);
    const redeemable = await post(t, '/v1/support/vouchers', { accountId: account.id, ticketId: ticket.id, kind: 'credit', faceValue: 2500, currency: 'EUR', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'sorry' });
    await post(t, `/v1/support/vouchers/${redeemable.id}/redeem`, { orderRef: 'SO-77', orderAmount: 90000, currency: 'EUR' }, 200);
    const expiring = await post(t, '/v1/support/vouchers', { accountId: account.id, ticketId: ticket.id, kind: 'free-service', faceValue: 1, currency: 'EUR', expiresAt: new Date(Date.now() + 1500).toISOString(), reason: 'goodwill' });
    await expectEventually(async () => expect((await get(t, `/v1/support/vouchers/${expiring.id}`)).status).toBe('expired'), { timeoutMs: 10_000 });

    await expectEventually(async () => {
      const e = await published(ticket.id, ['sla.fulfilled.v1', 'ticket.status-changed.v1', 'complaint.registered.v1', 'complaint.resolved.v1', 'voucher.redeemed.v1', 'voucher.expired.v1', 'rma.changed.v1']);
      const seen = e.map((x) => x.subject);
      expect(seen).toEqual(expect.arrayContaining(['sla.fulfilled.v1', 'ticket.status-changed.v1', 'complaint.registered.v1', 'complaint.resolved.v1', 'voucher.redeemed.v1', 'voucher.expired.v1']));
      expect(e.find((x) => x.subject === 'sla.fulfilled.v1')!.data.clock).toMatchObject({ key: 'firstResponse', state: 'met' });
      expect(e.find((x) => x.subject === 'ticket.status-changed.v1')!.data).toMatchObject({ to: { status: 'triaged' } });
      expect(e.find((x) => x.subject === 'complaint.resolved.v1')!.data.complaint).toMatchObject({ id: complaint.id, outcome: 'satisfied' });
      expect(e.find((x) => x.subject === 'voucher.redeemed.v1')!.data.voucher).toMatchObject({ id: redeemable.id, status: 'redeemed' });
      expect(e.find((x) => x.subject === 'voucher.expired.v1')!.data.voucher).toMatchObject({ id: expiring.id, status: 'expired' });
      expect(e.filter((x) => x.subject === 'rma.changed.v1').map((x) => x.data.change)).toEqual(['raised', 'parts']);
    });
  });
});
