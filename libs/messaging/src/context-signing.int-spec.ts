import { randomBytes, randomUUID } from 'node:crypto';
import { headers as natsHeaders, NatsConnection } from 'nats';
import { encodeActor, ErrorCode, Events, HeaderNames, StewardError, Subjects, UserDto } from '@steward/contracts';
import { registry, RequestContext } from '@steward/telemetry';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, expectEventually, sleep, TestDatabase, testEnv, testPrefix } from '@steward/testing';
import { decode, encode } from './codec';
import { ContextSigner } from './context-signing';
import { writeHeaders } from './headers';
import { connectNats } from './nats';
import { Outbox, OutboxRelay } from './outbox';
import { JetStreamPublisher } from './stream-publisher';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';
import { counterValue, migrateProbe, openProbeDb, openProbeNats, partnerCreated, PROBE_SCHEMA, ProbeConsumer, ProbeDb, ProbeNats, startProbeConsumer, tenantContext } from './__fixtures__/probe';

const key = () => randomBytes(32).toString('base64url');
const KEYS = { current: key() };
const userGet = Subjects.accounts.userGet;
const TENANT = randomUUID();

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const m = registry.getSingleMetric(name);
  return counterValue(m ? await m.get() : undefined, labels);
}

describe('signed context on requests (RpcServer)', () => {
  let serverNc: NatsConnection;
  let clientNc: NatsConnection;
  let server: RpcServer;
  const prefix = testPrefix('ctxrpc');
  const seen: RequestContext[] = [];
  const user = (id: string): UserDto => ({ id, tenantId: TENANT, email: 'a@b.test', name: 'A', role: 'viewer', active: true, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });

  beforeAll(async () => {
    [serverNc, clientNc] = await Promise.all(['server', 'client'].map((n) => connectNats({ url: testEnv.natsUrl, name: `steward-ctx-test-${n}` })));
    server = new RpcServer(serverNc, prefix, 'accounts', { context: new ContextSigner(KEYS) });
    server.handle(userGet, async (req, ctx) => {
      seen.push(ctx);
      return user(req.id);
    });
    await serverNc.flush();
  });

  afterAll(async () => {
    await server?.close();
    await Promise.all([serverNc?.close(), clientNc?.close()]);
  });

  const asViewer = (): RequestContext => ({ tenantId: TENANT, actor: { kind: 'user', id: randomUUID(), role: 'viewer' }, correlationId: randomUUID() });

  it('serves a request signed with the shared key, with the tenant and actor it was signed with', async () => {
    const ctx = asViewer();
    const id = randomUUID();
    await expect(new RpcClient(clientNc, prefix, 2000, new ContextSigner(KEYS)).request(userGet, { id }, { context: ctx })).resolves.toMatchObject({ id });
    expect(seen.at(-1)).toMatchObject({ tenantId: TENANT, actor: ctx.actor });
  });

  const refused: Array<{ scenario: string; reason: string; send: () => Promise<unknown> }> = [
    { scenario: 'an unsigned request (a client with NATS access and no key)', reason: 'unsigned', send: () => new RpcClient(clientNc, prefix, 2000).request(userGet, { id: randomUUID() }, { context: asViewer() }) },
    {
      scenario: 'a request signed with another key',
      reason: 'bad-signature',
      send: () => new RpcClient(clientNc, prefix, 2000, new ContextSigner({ current: key() })).request(userGet, { id: randomUUID() }, { context: asViewer() }),
    },
    { scenario: 'a correctly signed request dated two minutes ago (a replay)', reason: 'stale', send: () => sendRaw(new Date(Date.now() - 120_000).toISOString()) },
  ];

  /** A request signed with the right key but an `occurred-at` of our choosing, sent by hand. */
  async function sendRaw(occurredAt: string): Promise<unknown> {
    const h = writeHeaders({ messageId: randomUUID(), tenantId: TENANT, actor: { kind: 'user', id: randomUUID(), role: 'viewer' }, correlationId: randomUUID(), occurredAt });
    const data = encode({ id: randomUUID() });
    new ContextSigner(KEYS).sign(prefix + userGet, h, data);
    const reply = decode<{ ok: boolean; error?: { code: ErrorCode; message: string; details?: Record<string, unknown> } }>((await clientNc.request(prefix + userGet, data, { headers: h, timeout: 2000 })).data);
    if (!reply.ok) throw new StewardError(reply.error!.code, reply.error!.message, reply.error!.details);
    return reply;
  }

  it.each(refused)('refuses $scenario with CONTEXT_REJECTED and never runs the handler', async ({ reason, send }) => {
    const before = { calls: seen.length, counted: await metric('steward_context_rejected_total', { kind: 'request', reason }) };
    const err = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StewardError);
    expect(err).toMatchObject({ code: ErrorCode.ContextRejected, details: { reason } });
    expect(seen.length).toBe(before.calls);
    expect(await metric('steward_context_rejected_total', { kind: 'request', reason })).toBe(before.counted + 1);
  });

  it('refuses a captured, correctly signed request replayed with a forged tenant and an admin actor', async () => {
    // Capture a real signed request on the wire, as a client allowed to listen would.
    const captured = new Promise<{ headers: Record<string, string>; data: Uint8Array }>((resolve) => {
      const sub = clientNc.subscribe(prefix + userGet, {
        max: 1,
        callback: (_e, m) => resolve({ headers: Object.fromEntries([...m.headers!.keys()].map((k) => [k, m.headers!.get(k)])), data: m.data }),
      });
      void sub;
    });
    await clientNc.flush();
    await new RpcClient(clientNc, prefix, 2000, new ContextSigner(KEYS)).request(userGet, { id: randomUUID() }, { context: asViewer() });
    const { headers, data } = await captured;
    const calls = seen.length;

    const forged = natsHeaders();
    for (const [k, v] of Object.entries(headers)) forged.set(k, v);
    forged.set(HeaderNames.tenantId, randomUUID());
    forged.set(HeaderNames.actor, encodeActor({ kind: 'user', id: randomUUID(), role: 'admin' }));
    const reply = decode<{ ok: boolean; error?: { code: string; details?: { reason: string } } }>((await clientNc.request(prefix + userGet, data, { headers: forged, timeout: 2000 })).data);
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONTEXT_REJECTED', details: { reason: 'bad-signature' } } });
    expect(seen.length).toBe(calls);
  });
});

describe('signed context on events (outbox relay → consumer)', () => {
  let db: TestDatabase;
  let probe: ProbeDb;
  let n: ProbeNats;
  const consumers: ProbeConsumer[] = [];
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ctx_events');
    await migrateProbe(db.url);
    probe = await openProbeDb(db.url);
    n = await openProbeNats(testEnv.natsUrl, testPrefix('ctxev'));
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(consumers.map((c) => c.stop()));
    await n?.close();
    await probe?.close();
    await db?.drop();
  });

  it('handles events the relay signed, and terminates and counts a forged one (published straight to the stream, unsigned) without handling it', async () => {
    const name = `probe.ctx-${randomUUID().slice(0, 8)}`;
    const consumer = await startProbeConsumer(n, probe, { name, context: new ContextSigner(KEYS) });
    consumers.push(consumer);
    const relay = new OutboxRelay(probe.relay, new JetStreamPublisher(n.nc), { schema: PROBE_SCHEMA, prefix: n.prefix, context: new ContextSigner(KEYS) });
    relays.push(relay);
    const outbox = new Outbox(PROBE_SCHEMA);

    const rejectedBefore = await metric('steward_context_rejected_total', { kind: 'event', reason: 'unsigned' });
    const signedId = await probe.uow.forTenant(TENANT, (em) => outbox.emit(em, Events.accounts.partnerCreated, partnerCreated(TENANT, 'genuine'), tenantContext(TENANT)));
    expect(await relay.drain()).toBe(1);

    const forgedId = randomUUID();
    await n.publishEvent(Events.accounts.partnerCreated, partnerCreated(randomUUID(), 'forged'), { messageId: forgedId, tenantId: randomUUID() });

    await expectEventually(async () => {
      expect(consumer.callsFor(signedId)).toBe(1);
      expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'rejected' })).toBe(1);
    });
    expect(await metric('steward_context_rejected_total', { kind: 'event', reason: 'unsigned' })).toBe(rejectedBefore + 1);
    await sleep(200);
    expect(consumer.callsFor(forgedId)).toBe(0);
    // Terminated, not left to be redelivered.
    const info = await n.jsm.consumers.info(n.stream, consumer.consumer.durableName);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    // The stored event carries the relay's signature over the bytes it published.
    const stored = await n.jsm.streams.getMessage(n.stream, { seq: 1 });
    expect(stored.header.get(HeaderNames.signature)).toMatch(/^v1=/);
    expect(new ContextSigner(KEYS).verify(stored.subject, stored.header, stored.data, { checkAge: false })).toBe('ok');
  });
});
