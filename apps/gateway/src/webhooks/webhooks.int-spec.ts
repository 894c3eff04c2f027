import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { AccountDto, Events, EventSubject, StewardError, Subjects, WebhookHeaders } from '@steward/contracts';
import { connectNats, ContextSigner, encode, ensureStream, RpcClient, RpcServer, streamName, writeHeaders } from '@steward/messaging';
import { createDataSource, runMigrations, UnitOfWork, uuidv7 } from '@steward/persistence';
import { createTestDatabase, deleteTestStreams, expectEventually, sleep, testEnv, testPrefix, type TestDatabase } from '@steward/testing';
import { gatewayMigrations } from '../migrations';
import { DeliveryWorker } from './delivery-worker';
import { WebhookFanout } from './fanout';
import { SecretBox } from './secret-box';
import { verifySignatureHeader } from './signing';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService, type WebhookCaller } from './webhooks.service';
import { loadWebhookSettings, type WebhookSettings } from './webhooks.settings';

/**
 * Webhooks inside one gateway's process, on the machine's PostgreSQL and NATS: events
 * published to JetStream (signed as accounts' relay signs them) fan out to deliveries, and
 * delivery workers (two, as two replicas) send them to a receiver on loopback. The full
 * platform through HTTP is in apps/e2e/src/webhooks.e2e-spec.ts.
 */
const KEY = randomBytes(32).toString('base64url');
const context = new ContextSigner({ current: KEY });
const prefix = testPrefix('webhooks');
const TENANT = randomUUID();
const OTHER_TENANT = randomUUID();
const PARTNER_A = randomUUID();
const PARTNER_B = randomUUID();
const admin: WebhookCaller = { tenantId: TENANT, actor: { kind: 'user', id: randomUUID(), role: 'admin' } };
const partnerA: WebhookCaller = { tenantId: TENANT, actor: { kind: 'api-key', id: randomUUID(), partnerId: PARTNER_A } };
const partnerB: WebhookCaller = { tenantId: TENANT, actor: { kind: 'api-key', id: randomUUID(), partnerId: PARTNER_B } };

let db: TestDatabase;
let runtime: DataSource;
let scheduler: DataSource;
let nc: NatsConnection;
let rpcServer: RpcServer;
let accountLookups = 0;
/** Accounts as the stand-in for accounts' account.get.v1 knows them (accounts the gateway never heard of). */
const knownToAccounts = new Map<string, AccountDto>();
const settings: WebhookSettings = loadWebhookSettings({
  STEWARD_WEBHOOKS_ALLOW_PRIVATE: '127.0.0.1/32',
  WEBHOOKS_TIMEOUT_MS: '2000',
  WEBHOOKS_LEASE_MS: '2500',
  WEBHOOKS_POLL_MS: '50',
  WEBHOOKS_RETRY_BASE_MS: '30',
  WEBHOOKS_RETRY_MAX_DELAY_MS: '100',
  WEBHOOKS_RETRY_WINDOW_MS: '1500',
  WEBHOOKS_DISABLE_AFTER_FAILURES: '1000',
  WEBHOOKS_CONCURRENCY: '4',
});
const repo = new WebhooksRepository();
let uow: UnitOfWork;
let box: SecretBox;
let service: WebhooksService;
const workers: DeliveryWorker[] = [];
const fanouts: WebhookFanout[] = [];
/** Accounts whose account.get.v1 fails (accounts down for them). */
const lookupsFail = new Set<string>();

// ---- the receiver ----
let receiver: Server;
let receiverUrl: string;
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
let respond: (r: Received) => number = () => 200;

beforeAll(async () => {
  db = await createTestDatabase('webhooks');
  await runMigrations({ url: db.url, service: 'gateway', schema: 'gateway', migrations: gatewayMigrations });
  runtime = createDataSource({ url: db.url, schema: 'gateway', role: 'steward_gateway', poolMax: 6 });
  scheduler = createDataSource({ url: db.url, schema: 'gateway', role: 'steward_gateway_relay', poolMax: 2 });
  await Promise.all([runtime.initialize(), scheduler.initialize()]);
  uow = new UnitOfWork(runtime, 'steward_gateway_partner');
  box = new SecretBox({}, KEY);
  nc = await connectNats({ url: testEnv.natsUrl, name: 'steward-webhooks-test' });
  const jsm = await nc.jetstreamManager();
  await ensureStream(jsm, prefix, 'accounts');
  await ensureStream(jsm, prefix, 'support');
  // accounts' account.get.v1 for accounts the read model does not know yet.
  rpcServer = new RpcServer(nc, prefix, 'accounts', { context });
  rpcServer.handle(Subjects.accounts.accountGet, async ({ id }) => {
    accountLookups++;
    if (lookupsFail.has(id)) throw new Error('accounts cannot answer now');
    const a = knownToAccounts.get(id);
    if (!a) throw StewardError.notFound('account', id);
    return a;
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      res.writeHead(respond(r)).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const policy = { allowance: settings.allowPrivate };
  const first = worker();
  service = new WebhooksService(uow, repo, box, settings, policy, first.nudge);
  const f = new WebhookFanout(nc.jetstream(), jsm, uow, repo, context, new RpcClient(nc, prefix, 2000, context), { prefix, sources: ['accounts', 'support'], onDeliveries: first.nudge });
  fanouts.push(f);
  f.start();
});

afterAll(async () => {
  await Promise.all(fanouts.map((f) => f.stop()));
  await Promise.all(workers.map((w) => w.stop()));
  await rpcServer?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await nc?.close();
  await deleteTestStreams(prefix);
  await runtime?.destroy();
  await scheduler?.destroy();
  await db?.drop();
});

function worker(): DeliveryWorker {
  const w = new DeliveryWorker(uow, scheduler, repo, box, settings, { allowance: settings.allowPrivate });
  workers.push(w);
  w.start();
  return w;
}

/** An account as accounts' events carry it (only id, lead partner and updatedAt matter here). */
function account(overrides: Partial<AccountDto> = {}): AccountDto {
  const at = new Date().toISOString();
  return AccountDto.parse({
    id: randomUUID(),
    externalId: null,
    name: 'Acme',
    industry: null,
    region: null,
    sizeBand: null,
    ownerId: null,
    csmId: null,
    leadChannel: 'partner',
    leadPartnerId: null,
    strategic: false,
    highPotential: false,
    lifecycle: 'active',
    customAttributes: {},
    tier: 3,
    computedTier: 3,
    tierReason: 'rest',
    tierOverride: null,
    revenue12m: 0,
    currency: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    version: 1,
    ...overrides,
  });
}

/** Publishes an event as a service's relay does: envelope headers, signed context. */
async function publish(subject: EventSubject, payload: unknown, o: { tenantId?: string; messageId?: string; natsMsgId?: string; signer?: ContextSigner } = {}): Promise<string> {
  const messageId = o.messageId ?? uuidv7();
  const headers = writeHeaders({ messageId, tenantId: o.tenantId ?? TENANT, actor: { kind: 'system', id: 'test' }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
  const data = encode(payload);
  (o.signer ?? context).sign(prefix + subject, headers, data);
  await nc.jetstream().publish(prefix + subject, data, { headers, msgID: o.natsMsgId ?? messageId });
  return messageId;
}

async function endpoint(caller: WebhookCaller, path: string, eventTypes: string[] = ['*']) {
  return service.create(caller, { url: `${receiverUrl}${path}`, eventTypes, enabled: true });
}

const at = (path: string) => received.filter((r) => r.path === path);
const eventIdsAt = (path: string) => at(path).map((r) => r.headers[WebhookHeaders.eventId.toLowerCase()]);

describe('webhooks in the gateway', () => {
  it('turns an event into one signed delivery per subscribed endpoint, and a redelivered event into nothing more', async () => {
    const all = await endpoint(admin, '/all');
    const tiers = await endpoint(admin, '/tiers', [Events.accounts.accountTierChanged]);
    await endpoint(admin, '/projects', [Events.accounts.projectCreated]);
    const tierChange = { accountId: randomUUID(), oldTier: 3, newTier: 2, reason: 'revenue', revenue12m: 1000, currency: 'EUR' };
    const id = await publish(Events.accounts.accountTierChanged, tierChange);
    // The same event again (a relay that republished it after the duplicate window).
    await publish(Events.accounts.accountTierChanged, tierChange, { messageId: id, natsMsgId: randomUUID() });

    await expectEventually(() => {
      expect(eventIdsAt('/all')).toEqual([id]);
      expect(eventIdsAt('/tiers')).toEqual([id]);
    });
    await sleep(300);
    expect(eventIdsAt('/all')).toEqual([id]);
    expect(at('/projects')).toEqual([]);

    const got = at('/tiers')[0]!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers[WebhookHeaders.eventType.toLowerCase()]).toBe(Events.accounts.accountTierChanged);
    expect(JSON.parse(got.body)).toEqual({ id, type: Events.accounts.accountTierChanged, occurredAt: expect.any(String), tenantId: TENANT, data: tierChange });
    expect(verifySignatureHeader(tiers.secret, String(got.headers['steward-signature']), got.body)).toBe(true);
    expect(verifySignatureHeader(all.secret, String(got.headers['steward-signature']), got.body)).toBe(false);
    await expectEventually(async () => {
      const [delivery] = (await service.listDeliveries(admin, tiers.endpoint.id, { limit: 10 })).items;
      expect(delivery).toMatchObject({ eventId: id, status: 'succeeded', attemptCount: 1, attempts: [{ number: 1, outcome: 'succeeded', statusCode: 200, responseExcerpt: 'ok' }] });
    });
  });

  it('terminates an event whose signed context does not verify, for a tenant that has endpoints, and delivers the genuine one after it', async () => {
    const tenantId = randomUUID();
    const caller: WebhookCaller = { tenantId, actor: { kind: 'user', id: randomUUID(), role: 'admin' } };
    await endpoint(caller, '/forged', [Events.accounts.accountTierChanged]);
    const forger = new ContextSigner({ current: randomBytes(32).toString('base64url') });
    const tierChange = { accountId: randomUUID(), oldTier: 3, newTier: 1, reason: 'revenue', revenue12m: 5000, currency: 'EUR' };
    await publish(Events.accounts.accountTierChanged, tierChange, { tenantId, signer: forger });
    const genuine = await publish(Events.accounts.accountTierChanged, tierChange, { tenantId });
    await expectEventually(() => expect(eventIdsAt('/forged')).toEqual([genuine]));
    await sleep(300);
    expect(eventIdsAt('/forged')).toEqual([genuine]);
  });

  it("never sends one tenant's events to another tenant's endpoints, nor internal events to anyone", async () => {
    await endpoint(admin, '/tenant-a');
    const other: WebhookCaller = { tenantId: OTHER_TENANT, actor: { kind: 'user', id: randomUUID(), role: 'admin' } };
    await endpoint(other, '/tenant-b');
    const mine = await publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 2, newTier: 1, reason: 'x', revenue12m: 5, currency: 'EUR' });
    const theirs = await publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 2, newTier: 1, reason: 'x', revenue12m: 5, currency: 'EUR' }, { tenantId: OTHER_TENANT });
    const internal = await publish(Events.accounts.userUpdated, { user: { id: randomUUID(), tenantId: TENANT, email: 'u@example.test', name: 'U', role: 'admin', active: true, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() } });
    await expectEventually(() => {
      expect(eventIdsAt('/tenant-a')).toEqual([mine]);
      expect(eventIdsAt('/tenant-b')).toEqual([theirs]);
    });
    await sleep(300);
    expect(received.some((r) => r.headers[WebhookHeaders.eventId.toLowerCase()] === internal)).toBe(false);
    expect((await service.list(other, { limit: 50 })).items.map((e) => e.url)).toEqual([`${receiverUrl}/tenant-b`]);
  });

  it('acknowledges the events of a tenant none of whose endpoints wants them without fanning them out, and an endpoint made later gets the next one', async () => {
    const quiet: WebhookCaller = { tenantId: randomUUID(), actor: { kind: 'user', id: randomUUID(), role: 'admin' } };
    await endpoint(quiet, '/quiet-projects', [Events.accounts.projectCreated]);
    const tierChange = () => ({ accountId: randomUUID(), oldTier: 3, newTier: 2, reason: 'revenue', revenue12m: 1, currency: 'EUR' });
    for (let i = 0; i < 3; i++) await publish(Events.accounts.accountTierChanged, tierChange(), { tenantId: quiet.tenantId });
    // Breaking the contract changes nothing here: no endpoint could have received it.
    await publish(Events.accounts.accountTierChanged, { accountId: 'not-an-id' }, { tenantId: quiet.tenantId });
    const jsm = await nc.jetstreamManager();
    await expectEventually(async () => {
      const info = await jsm.consumers.info(streamName(prefix, 'accounts'), fanouts[0]!.durableName('accounts'));
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    });
    const [stored] = await uow.forTenant(quiet.tenantId, (tx) => tx.query(`SELECT count(*)::int AS n FROM gateway.webhook_events`));
    expect(stored.n).toBe(0);
    await endpoint(quiet, '/quiet-tiers', [Events.accounts.accountTierChanged]);
    const next = await publish(Events.accounts.accountTierChanged, tierChange(), { tenantId: quiet.tenantId });
    await expectEventually(() => expect(eventIdsAt('/quiet-tiers')).toEqual([next]));
    expect(at('/quiet-projects')).toEqual([]);
  });

  it("scopes partners' endpoints to the accounts they lead, learning leads from account events or asking accounts", async () => {
    const a = await endpoint(partnerA, '/partner-a');
    await endpoint(partnerB, '/partner-b');
    const ledByA = account({ leadPartnerId: PARTNER_A });
    const ledByB = account({ leadPartnerId: PARTNER_B });
    const createdA = await publish(Events.accounts.accountCreated, { account: ledByA });
    const createdB = await publish(Events.accounts.accountCreated, { account: ledByB });
    // An account the gateway never saw an event of: its lead comes from accounts' account.get.v1.
    const older = account({ leadPartnerId: PARTNER_A });
    knownToAccounts.set(older.id, older);
    const lookupsBefore = accountLookups;
    const tierOfOlder = await publish(Events.accounts.accountTierChanged, { accountId: older.id, oldTier: 3, newTier: 2, reason: 'x', revenue12m: 1, currency: 'EUR' });
    // A support event about B's account (any service's event naming one account is scoped the same way).
    const aboutB = await publish(Events.accounts.accountTierChanged, { accountId: ledByB.id, oldTier: 3, newTier: 1, reason: 'x', revenue12m: 9 });
    // Revenue is for tenants only, even about one partner's account.
    const revenue = await publish(Events.accounts.revenueChanged, { records: [{ accountId: ledByA.id, month: '2026-01' }] });

    await expectEventually(() => {
      expect(eventIdsAt('/partner-a').sort()).toEqual([createdA, tierOfOlder].sort());
      expect(eventIdsAt('/partner-b').sort()).toEqual([createdB, aboutB].sort());
    });
    await sleep(300);
    expect(eventIdsAt('/partner-a')).not.toContain(revenue);
    expect(accountLookups).toBe(lookupsBefore + 1);
    // Each partner sees only its own endpoint; the tenant's admin sees both.
    expect((await service.list(partnerA, { limit: 50 })).items.map((e) => e.id)).toEqual([a.endpoint.id]);
    await expect(service.get(partnerB, a.endpoint.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.list(admin, { limit: 50 })).items.map((e) => e.id)).toContain(a.endpoint.id);
    // Partners may subscribe only to the types about accounts.
    await expect(service.create(partnerA, { url: `${receiverUrl}/x`, eventTypes: [Events.accounts.revenueChanged], enabled: true })).rejects.toMatchObject({
      details: { errors: [{ field: 'eventTypes[0]', rule: 'event-type' }] },
    });
  });

  it("fans out a burst of one tenant's events in one go, in order, and one event that cannot be fanned out now does not hold back the rest", async () => {
    const tenantAll = await endpoint(admin, '/burst-all', [Events.accounts.accountTierChanged]);
    await endpoint(partnerA, '/burst-a', [Events.accounts.accountCreated, Events.accounts.accountTierChanged]);
    // Stopped, the fan-out finds the whole burst waiting when it starts again.
    await Promise.all(fanouts.map((f) => f.stop()));
    const ledByA = account({ leadPartnerId: PARTNER_A });
    const created = await publish(Events.accounts.accountCreated, { account: ledByA });
    // Later in the same burst: scoped by the lead learnt from the event just before it.
    const aboutA = await publish(Events.accounts.accountTierChanged, { accountId: ledByA.id, oldTier: 3, newTier: 2, reason: 'x', revenue12m: 1 });
    // An account the gateway does not know, whose lookup fails for now.
    const unknown = account({ leadPartnerId: PARTNER_A });
    knownToAccounts.set(unknown.id, unknown);
    lookupsFail.add(unknown.id);
    const stuck = await publish(Events.accounts.accountTierChanged, { accountId: unknown.id, oldTier: 3, newTier: 1, reason: 'x', revenue12m: 2 });
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 3, newTier: 2, reason: `b${i}`, revenue12m: i })));
    fanouts.forEach((f) => f.start());

    await expectEventually(() => {
      expect(eventIdsAt('/burst-a').sort()).toEqual([created, aboutA].sort());
      expect(eventIdsAt('/burst-all').sort()).toEqual([aboutA, ...others].sort());
    });
    // Accounts answers again: the redelivered event reaches both endpoints, once.
    lookupsFail.delete(unknown.id);
    await expectEventually(() => {
      expect(eventIdsAt('/burst-a').sort()).toEqual([created, aboutA, stuck].sort());
      expect(eventIdsAt('/burst-all').sort()).toEqual([aboutA, stuck, ...others].sort());
    }, { timeoutMs: 15_000 });
    await sleep(300);
    expect(eventIdsAt('/burst-all')).toHaveLength(10);
    expect((await service.listDeliveries(admin, tenantAll.endpoint.id, { limit: 50 })).items).toHaveLength(10);
  });

  it('sends each delivery once with two workers (two gateway replicas) sharing the database', async () => {
    worker(); // a second replica
    const e = await endpoint(admin, '/replicas', [Events.accounts.accountTierChanged]);
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 3, newTier: 2, reason: `r${i}`, revenue12m: i })));
    await expectEventually(() => expect(new Set(eventIdsAt('/replicas')).size).toBe(40), { timeoutMs: 20_000 });
    await sleep(400);
    expect(eventIdsAt('/replicas')).toHaveLength(40);
    expect(new Set(eventIdsAt('/replicas'))).toEqual(new Set(ids));
    const deliveries = (await service.listDeliveries(admin, e.endpoint.id, { limit: 100 })).items;
    expect(deliveries).toHaveLength(40);
    expect(deliveries.every((d) => d.status === 'succeeded' && d.attemptCount === 1)).toBe(true);
  });

  it('takes over a delivery whose claimer died mid-attempt once its lease expires, and sends it again', async () => {
    const e = await endpoint(admin, '/takeover', [Events.accounts.accountTierChanged]);
    // Stop the workers so the "dead" process can claim first.
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const id = await publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 1, newTier: 2, reason: 'x', revenue12m: 3 });
    await expectEventually(async () => expect((await service.listDeliveries(admin, e.endpoint.id, { limit: 5 })).items).toHaveLength(1));
    // A process claims it and dies (its lease is never released, no attempt recorded).
    // Timed from before the claim: the 800 ms lease starts inside it, however slow the call returns.
    const started = Date.now();
    const claimed = await repo.claim(scheduler, 'dead-process', 100, 800);
    expect(claimed.map((c) => c.tenantId)).toContain(TENANT);
    const fresh = worker();
    await expectEventually(() => expect(eventIdsAt('/takeover')).toEqual([id]), { timeoutMs: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    // The receiver has the request; the worker records the attempt once the response is in.
    await expectEventually(async () => {
      const [d] = (await service.listDeliveries(admin, e.endpoint.id, { limit: 5 })).items;
      expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    });
    await fresh.stop();
    workers.splice(workers.indexOf(fresh), 1);
    worker();
  });

  it('retries a failing delivery on its schedule and fails it for good when the window is over', async () => {
    const e = await endpoint(admin, '/down', [Events.accounts.accountTierChanged]);
    respond = (r) => (r.path === '/down' ? 503 : 200);
    const id = await publish(Events.accounts.accountTierChanged, { accountId: randomUUID(), oldTier: 1, newTier: 3, reason: 'x', revenue12m: 3 });
    await expectEventually(
      async () => {
        const [d] = (await service.listDeliveries(admin, e.endpoint.id, { limit: 5 })).items;
        expect(d).toMatchObject({ eventId: id, status: 'failed', lastError: 'HTTP 503' });
      },
      { timeoutMs: 10_000 },
    );
    const [d] = (await service.listDeliveries(admin, e.endpoint.id, { limit: 5 })).items;
    // 1.5 s window, 30 ms doubling to 100 ms: a dozen or more attempts, the last at the window's end.
    expect(d!.attemptCount).toBeGreaterThanOrEqual(8);
    expect(at('/down')).toHaveLength(d!.attemptCount);
    const times = d!.attempts.map((a) => Date.parse(a.at)).reverse();
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(1_400);
    expect(d!.attempts.every((a) => a.outcome === 'http-error' && a.statusCode === 503)).toBe(true);
    respond = () => 200;
  });
});
