import { randomUUID } from 'node:crypto';
import { AccountDto, Events, EventSchemas, EventSubject, ProjectDto, StewardError, Subjects, TicketDto, UserDto } from '@steward/contracts';
import { encode, writeHeaders } from '@steward/messaging';
import { fixedClock } from '@steward/service-kit';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { expectEventually } from '@steward/testing';
import type { Tx } from '@steward/persistence';
import { runWithContext } from '@steward/telemetry';
import type { SupportSettings } from './config';
import { supportService } from './service';
import { WorkflowService } from './tickets/workflow.service';

const s = Subjects.support;
const clock = fixedClock('2026-03-02T08:00:00Z');
let h: ServiceHarness<SupportSettings>;

beforeAll(async () => {
  h = await startServiceHarness(supportService, 'support', { settings: {}, clock, jobs: { pollMs: 100, leaseMs: 2000 } });
});
afterAll(async () => {
  await h?.close();
});

async function expectError(p: Promise<unknown>, code: string): Promise<StewardError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StewardError);
  expect((err as StewardError).code).toBe(code);
  return err as StewardError;
}

/** Publishes accounts' event the way its relay does: envelope headers, signed. */
async function publish(tenant: string, subject: EventSubject, payload: unknown) {
  EventSchemas[subject].parse(payload);
  const headers = writeHeaders({ messageId: randomUUID(), tenantId: tenant, actor: { kind: 'system', id: 'accounts' }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
  const data = encode(payload);
  h.context.sign(h.prefix + subject, headers, data);
  await h.nats.jetstream().publish(h.prefix + subject, data, { headers });
}

const at = '2026-03-01T00:00:00.000Z';
function account(over: Partial<AccountDto> = {}): AccountDto {
  // `currency` is newer than some AccountDto versions: set it without naming it in the type.
  return Object.assign({ currency: null }, {
    id: randomUUID(),
    externalId: null,
    name: `Acme ${randomUUID().slice(0, 4)}`,
    industry: null,
    region: 'north',
    sizeBand: null,
    ownerId: null,
    csmId: null,
    leadChannel: 'direct',
    leadPartnerId: null,
    strategic: false,
    highPotential: false,
    lifecycle: 'active',
    customAttributes: {},
    tier: 2,
    computedTier: 2,
    tierReason: 'tier2-revenue',
    tierOverride: null,
    revenue12m: 0,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    version: 1,
    ...over,
  } as AccountDto);
}
function project(accountId: string, over: Partial<ProjectDto> = {}): ProjectDto {
  return { id: randomUUID(), accountId, name: 'Line 3', kind: 'project', size: 'large', lead: 'vendor', partnerId: null, region: 'north', goLiveDate: null, status: 'live', delivered: null, createdAt: at, updatedAt: at, ...over };
}
function user(tenantId: string, over: Partial<UserDto> = {}): UserDto {
  return { id: randomUUID(), tenantId, email: `${randomUUID()}@x.test`, name: 'Agent', role: 'agent', active: true, createdAt: at, updatedAt: at, ...over };
}

/** A tenant whose read models know an account (and project) through accounts' events. */
async function tenantWith(a: Partial<AccountDto> = {}, p: Partial<ProjectDto> | null = {}) {
  const tenant = randomUUID();
  const acc = account(a);
  const proj = p === null ? null : project(acc.id, p);
  await publish(tenant, Events.accounts.accountCreated, { account: acc });
  if (proj) await publish(tenant, Events.accounts.projectCreated, { project: proj });
  const admin = h.as(tenant, randomUUID(), 'admin');
  await expectEventually(async () => {
    const st = await h.client.request(s.readModelStatus, {}, { context: admin });
    expect(st).toMatchObject({ accounts: 1, projects: proj ? 1 : 0 });
  });
  return { tenant, admin, account: acc, project: proj };
}

describe('support service through its NATS contract', () => {
  beforeEach(() => clock.set(new Date()));

  it('routes a vendor-led large project to L1 and its delivery centre, shows the deciding rule, and computes live clocks', async () => {
    const { admin, account: acc, project: proj } = await tenantWith({}, { lead: 'vendor', size: 'large' });
    const t: TicketDto = await h.client.request(s.ticketCreate, { accountId: acc.id, projectId: proj!.id, category: 'incident', priority: 'urgent', subject: 'Line 3 down', description: '' }, { context: admin });
    expect(t).toMatchObject({ level: 'L1', step: 0, queue: `delivery-centre/${acc.name}`, status: 'new', statusClass: 'new' });
    expect(t.routing.ruleId).toBe('l1-vendor-large');
    expect(t.routing.explanation).toContain('l1-vendor-large');
    expect(t.sla.clocks.map((c) => [c.key, c.state, c.targetMinutes])).toEqual([
      ['firstResponse', 'running', 15],
      ['resolution', 'running', 240],
      ['handoff@0', 'running', 60],
    ]);
    clock.advance(10 * 60_000);
    const later = await h.client.request(s.ticketGet, { id: t.id }, { context: admin });
    expect(later.sla.clocks[0]).toMatchObject({ key: 'firstResponse', elapsedMinutes: 10, remainingMinutes: 5 });
  });
});

/** A policy with a tenant status that pauses the SLA, 24×7 for every level (so minutes are wall minutes), and recovery rules. */
async function savePolicy(admin: ReturnType<typeof h.as>, edit: (p: Record<string, unknown> & { levels: Record<string, { targets: Record<string, Record<string, number>>; calendar?: string; handoff?: Record<string, Record<string, number>> }> }) => void = () => undefined) {
  const current = await h.client.request(s.policyGet, {}, { context: admin });
  const policy = structuredClone(current.policy) as unknown as Parameters<typeof edit>[0];
  for (const l of ['L1', 'L2', 'L3']) policy.levels[l].calendar = '24x7';
  policy.statuses = [
    { key: 'waiting-for-parts', label: 'Waiting for parts', class: 'waiting', pausesSla: true, pauseReason: 'parts' },
    { key: 'waiting-on-vendor-qa', label: 'Vendor QA', class: 'waiting', pausesSla: false },
  ];
  edit(policy);
  return h.client.request(s.policyPut, { policy: policy as never, reapplyToOpenTickets: false }, { context: admin });
}

describe('lifecycle and SLA, with a fixed clock', () => {
  it('pauses on a pausing custom status and not on a non-pausing one; resumes with the time used; reopens within the window only', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { admin, account: acc } = await tenantWith({ leadChannel: 'direct' }, null);
    await savePolicy(admin);
    const t = await h.client.request(s.ticketCreate, { accountId: acc.id, category: 'question', priority: 'high', subject: 'How to', description: '' }, { context: admin });
    expect(t).toMatchObject({ level: 'L3', queue: 'call-centre' });
    const resolution = () => h.client.request(s.ticketGet, { id: t.id }, { context: admin }).then((x) => x.sla.clocks.find((c) => c.key === 'resolution')!);
    clock.advance(10 * 60_000);
    await h.client.request(s.ticketChangeStatus, { id: t.id, status: 'waiting-for-parts' }, { context: admin });
    clock.advance(60 * 60_000);
    expect(await resolution()).toMatchObject({ state: 'paused', elapsedMinutes: 10, pausedMinutes: 60 });
    const paused = await h.client.request(s.ticketGet, { id: t.id }, { context: admin });
    expect(paused.sla.pauseReason).toBe('parts');
    await h.client.request(s.ticketChangeStatus, { id: t.id, status: 'waiting-on-vendor-qa' }, { context: admin });
    clock.advance(5 * 60_000);
    expect(await resolution()).toMatchObject({ state: 'running', elapsedMinutes: 15 });
    await h.client.request(s.ticketChangeStatus, { id: t.id, status: 'resolved' }, { context: admin });
    const tl = await h.client.request(s.ticketTimeline, { id: t.id }, { context: admin });
    expect(tl.slaEvents.filter((e) => e.clock === 'resolution').map((e) => e.kind)).toEqual(['activate', 'pause', 'resume', 'fulfil']);
    expect(tl.slaEvents[0]).toMatchObject({ kind: 'apply-policy', clock: null });
    clock.advance(15 * 86_400_000);
    const late = await expectError(h.client.request(s.ticketChangeStatus, { id: t.id, status: 'in-progress' }, { context: admin }), 'REOPEN_WINDOW_PASSED');
    expect(late.details?.errors).toEqual([expect.objectContaining({ field: 'status', rule: 'reopen-window' })]);
    const bad = await expectError(h.client.request(s.ticketChangeStatus, { id: t.id, status: 'new' }, { context: admin }), 'TICKET_TRANSITION_NOT_ALLOWED');
    expect(bad.details?.errors?.[0]).toMatchObject({ field: 'status', rule: 'transition' });
    await expectError(h.client.request(s.ticketChangeStatus, { id: t.id, status: 'nope' }, { context: admin }), 'VALIDATION_FAILED');
  });

  it('a priority change moves the targets and keeps the time used; an agent answer meets the first response', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { admin, account: acc } = await tenantWith({ leadChannel: 'direct' }, null);
    await savePolicy(admin);
    const t = await h.client.request(s.ticketCreate, { accountId: acc.id, category: 'question', priority: 'low', subject: 'Slow', description: '' }, { context: admin });
    clock.advance(20 * 60_000);
    const urgent = await h.client.request(s.ticketUpdate, { id: t.id, priority: 'urgent' }, { context: admin });
    // L3 urgent: first response 60 min: 20 used, due 09:00.
    expect(urgent.sla.clocks.find((c) => c.key === 'firstResponse')).toMatchObject({ targetMinutes: 60, elapsedMinutes: 20, dueAt: '2026-03-02T09:00:00.000Z' });
    clock.advance(10 * 60_000);
    await h.client.request(s.commentAdd, { ticketId: t.id, body: 'On it', visibility: 'public', attachments: [] }, { context: admin });
    const answered = await h.client.request(s.ticketGet, { id: t.id }, { context: admin });
    expect(answered.sla.clocks.find((c) => c.key === 'firstResponse')).toMatchObject({ state: 'met', elapsedMinutes: 30 });
    expect(answered.firstRespondedAt).toBe('2026-03-02T08:30:00.000Z');
  });

  it('an imported history gets exactly the clocks and feed the same ticket had live', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { admin, account: acc } = await tenantWith({ leadChannel: 'direct' }, null);
    await savePolicy(admin);
    const live = await h.client.request(s.ticketCreate, { accountId: acc.id, category: 'incident', priority: 'urgent', subject: 'Live', description: '' }, { context: admin });
    const steps: Array<[number, () => Promise<unknown>]> = [
      [20, () => h.client.request(s.commentAdd, { ticketId: live.id, body: 'Looking', visibility: 'public', attachments: [] }, { context: admin })],
      [30, () => h.client.request(s.commentAdd, { ticketId: live.id, body: 'Still broken', visibility: 'public', by: 'customer', attachments: [] }, { context: admin })],
      [5, () => h.client.request(s.ticketChangeStatus, { id: live.id, status: 'waiting-for-parts' }, { context: admin })],
      [240, () => h.client.request(s.ticketChangeStatus, { id: live.id, status: 'in-progress' }, { context: admin })],
      [200, () => h.client.request(s.commentAdd, { ticketId: live.id, body: 'Fixed', visibility: 'public', attachments: [] }, { context: admin })],
      [1, () => h.client.request(s.ticketChangeStatus, { id: live.id, status: 'resolved' }, { context: admin })],
    ];
    // The SLA timer looks at every due time in between: let it, at exactly those instants.
    for (const [minutes, act] of steps) {
      const until = clock.now().getTime() + minutes * 60_000;
      for (;;) {
        const due = (await h.client.request(s.ticketGet, { id: live.id }, { context: admin })).sla.nextCheckAt;
        if (!due || Date.parse(due) > until) break;
        clock.set(due);
        await runTimer(admin.tenantId!, live.id);
      }
      clock.set(new Date(until));
      await act();
    }
    const liveNow = await h.client.request(s.ticketGet, { id: live.id }, { context: admin });
    const history = await h.client.request(s.ticketTimeline, { id: live.id }, { context: admin });
    const comments = await h.client.request(s.commentList, { ticketId: live.id, limit: 100 }, { context: admin });
    const imported = await h.client.request(
      s.ticketImport,
      {
        tickets: [
          {
            externalId: 'HD-1',
            accountId: acc.id,
            category: 'incident',
            priority: 'urgent',
            channel: 'import',
            subject: 'Imported',
            description: '',
            createdAt: live.createdAt,
            history: history.statusChanges.slice(1).map((c) => ({ at: c.at, status: c.status })),
            comments: comments.items.map((c) => ({ at: c.at, by: c.by, visibility: c.visibility, body: c.body })),
            complaint: false,
          },
        ],
      },
      { context: admin },
    );
    const copy = await h.client.request(s.ticketGet, { id: imported.tickets[0].id }, { context: admin });
    const strip = (x: TicketDto) => x.sla.clocks.map(({ key, state, elapsedMinutes, pausedMinutes, dueAt, breachedAt, stoppedAt }) => ({ key, state, elapsedMinutes, pausedMinutes, dueAt, breachedAt, stoppedAt }));
    expect(strip(copy)).toEqual(strip(liveNow));
    expect(copy.sla.breached).toBe(liveNow.sla.breached);
    const feed = async (id: string) => (await h.client.request(s.ticketTimeline, { id }, { context: admin })).slaEvents.map((e) => `${e.kind} ${e.clock ?? ''} ${e.at}`);
    expect((await feed(copy.id)).slice(1)).toEqual((await feed(live.id)).slice(1));
    const again = await h.client.request(s.ticketImport, { tickets: [{ externalId: 'HD-1', accountId: acc.id, category: 'incident', priority: 'urgent', channel: 'import', subject: 'Imported', description: '', createdAt: live.createdAt, history: [], comments: [], complaint: false }] }, { context: admin });
    expect(again).toMatchObject({ imported: 0, unchanged: 1, tickets: [{ id: copy.id, imported: false }] });
  });
});

/** Runs the SLA timer of a ticket now (what the job runner does when its due time comes). */
async function runTimer(tenantId: string, ticketId: string) {
  const job = { id: randomUUID(), kind: 'support.sla-timer', tenantId, payload: { ticketId }, attempt: 1, maxAttempts: 1, progress: null, signal: new AbortController().signal };
  const ctx = { tenantId, actor: { kind: 'system' as const, id: 'job:support.sla-timer' }, correlationId: job.id };
  await runWithContext(ctx, () => h.runtime.app.get(WorkflowService).onTimer({ ...job, step: (work: (tx: Tx) => Promise<unknown>) => h.runtime.uow.forTenant(tenantId, work) } as never));
}

describe('queues and assignment', () => {
  it('a round-robin queue hands tickets by turns to members with the skills and room, and counts their open tickets', async () => {
    clock.set(new Date());
    const { tenant, admin, account: acc } = await tenantWith({ leadChannel: 'direct' }, null);
    const [a, b, c] = [user(tenant, { name: 'A' }), user(tenant, { name: 'B' }), user(tenant, { name: 'C' })];
    for (const u of [a, b, c]) await publish(tenant, Events.accounts.userCreated, { user: u });
    await expectEventually(async () => expect((await h.client.request(s.readModelStatus, {}, { context: admin })).users).toBe(3));
    const team = await h.client.request(s.teamCreate, { name: 'Call centre', kind: 'call-centre', queue: 'call-centre', assignment: 'round-robin' }, { context: admin });
    await h.client.request(s.teamMemberSet, { teamId: team.id, userId: a.id, skills: ['repair'], capacity: 10, active: true }, { context: admin });
    await h.client.request(s.teamMemberSet, { teamId: team.id, userId: b.id, skills: ['repair', 'zh'], capacity: 10, active: true }, { context: admin });
    await h.client.request(s.teamMemberSet, { teamId: team.id, userId: c.id, skills: [], capacity: 1, active: true }, { context: admin });
    const open = (skills: string[]) => (clock.advance(1000), h.client.request(s.ticketCreate, { accountId: acc.id, category: 'question', priority: 'normal', subject: 'Q', description: '', requiredSkills: skills }, { context: admin }));
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await open(['repair'])).assigneeId);
    // Never assigned yet: ties break on the user id; then by turns.
    const [first, second] = [a.id, b.id].sort();
    expect(got).toEqual([first, second, first, second]);
    expect((await open(['zh'])).assigneeId).toBe(b.id);
    expect((await open([])).assigneeId).toBe(c.id);
    // c is at capacity (1): never again until a ticket of theirs closes.
    expect((await open([])).assigneeId).not.toBe(c.id);
    const t = await h.client.request(s.teamGet, { id: team.id }, { context: admin });
    expect(Object.fromEntries(t.members.map((m) => [m.name, m.openTickets]))).toEqual({ A: 3, B: 3, C: 1 });
    await expectError(h.client.request(s.teamCreate, { name: 'Again', kind: 'call-centre', queue: 'call-centre', assignment: 'manual' }, { context: admin }), 'QUEUE_TAKEN');
  });
});

describe('partner API keys', () => {
  it('open tickets (complaints too) on an account they lead, with its history, feed and complaint; never on another account', async () => {
    const partnerId = randomUUID();
    const { tenant, admin, account: acc } = await tenantWith({ leadChannel: 'partner', leadPartnerId: partnerId }, null);
    const partner = h.asPartner(tenant, partnerId);
    const t: TicketDto = await h.client.request(s.ticketCreate, { accountId: acc.id, category: 'question', priority: 'normal', subject: 'Via partner', description: '' }, { context: partner });
    expect(t).toMatchObject({ channel: 'partner-api', accountId: acc.id, status: 'new' });
    const timeline = await h.client.request(s.ticketTimeline, { id: t.id }, { context: partner });
    expect(timeline.statusChanges.map((c) => c.status)).toEqual(['new']);
    expect(timeline.slaEvents.map((e) => e.kind)).toContain('activate');
    const complaint: TicketDto = await h.client.request(s.ticketCreate, { accountId: acc.id, category: 'complaint', priority: 'normal', subject: 'Late again', description: '' }, { context: partner });
    expect(complaint.complaint).toBe(true);
    const register = await h.client.request(s.complaintList, { limit: 50 }, { context: admin });
    expect(register.items.map((c) => [c.ticketId, c.source])).toEqual([[complaint.id, 'category']]);
    const other = await tenantWith({}, null);
    const refused = await expectError(h.client.request(s.ticketCreate, { accountId: other.account.id, category: 'question', priority: 'normal', subject: 'Not mine', description: '' }, { context: h.asPartner(other.tenant, partnerId) }), 'VALIDATION_FAILED');
    expect(refused.details?.errors?.[0]).toMatchObject({ field: 'accountId', rule: 'exists' });
  });
});

describe('recovery vouchers', () => {
  it("a voucher's expiry job that starts before the expiry by the service's clock waits again, and expires the voucher once its time has come", async () => {
    clock.set(new Date());
    const { admin, account: acc } = await tenantWith({}, null);
    const voucher = await h.client.request(
      s.voucherIssue,
      { accountId: acc.id, kind: 'credit', faceValue: 1000, currency: 'EUR', expiresAt: new Date(clock.now().getTime() + 1000).toISOString(), reason: 'goodwill' },
      { context: admin },
    );
    // The job comes due after about 1 s of real time, but the service's clock stands still: too early.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await h.client.request(s.voucherGet, { id: voucher.id }, { context: admin })).status).toBe('issued');
    clock.advance(1000);
    await expectEventually(async () => expect((await h.client.request(s.voucherGet, { id: voucher.id }, { context: admin })).status).toBe('expired'), { timeoutMs: 5000 });
  });
});
