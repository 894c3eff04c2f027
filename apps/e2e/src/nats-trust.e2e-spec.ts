import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, NatsConnection, NatsError } from 'nats';
import { encodeActor, ErrorCode, Events, HeaderNames, Subjects } from '@steward/contracts';
import { connectAs, rpcClient } from '@steward/service-testing';
import { sleep } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// Item 6 of the hardening issue: NATS is a trust boundary. The platform runs on the test's
// own nats-server with one user per client and least-privilege permissions, as `npm start`
// runs it; every request and event carries a signed tenant/actor context.

let h: PlatformHarness;
const open: NatsConnection[] = [];
beforeAll(async () => {
  h = await startPlatformHarness('e2enats');
});
afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await h?.close();
});

const url = () => h.nats!.url;
const creds = (client: 'gateway' | 'accounts') => h.nats!.credentials![client]!;
async function as(client?: 'gateway' | 'accounts'): Promise<NatsConnection> {
  const nc = await connectAs(url(), client && creds(client));
  open.push(nc);
  return nc;
}

/** What the server said about a subscription: the error its callback got (a refused one), or nothing. */
function subscribeRefusal(nc: NatsConnection, subject: string, queue?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sub = nc.subscribe(subject, { queue, callback: (err) => resolve(err ? err.message : undefined) });
    void nc.flush().then(() => sleep(300)).then(() => {
      sub.unsubscribe();
      resolve(undefined);
    });
  });
}

/** What the server said about a request: its refusal, or `answered`. */
async function requestRefusal(nc: NatsConnection, subject: string): Promise<string> {
  try {
    await nc.request(subject, new TextEncoder().encode('{}'), { timeout: 2000 });
    return 'answered';
  } catch (err) {
    return (err as NatsError).message;
  }
}

async function accountsMetric(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${h.platform.ctx.opsPorts.accounts}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const prefixed = (subject: string) => h.prefix + subject;

describe('NATS authentication', () => {
  it('refuses a client without credentials, and one with a wrong password', async () => {
    await expect(connectAs(url())).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    await expect(connectAs(url(), { user: 'gateway', password: 'guessed-password' })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
    await expect(connectAs(url(), { user: 'intruder', password: creds('gateway').password })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });
});

describe("a client with another service's credentials is refused on subjects it may not use", () => {
  it("with the gateway's credentials: it cannot serve (steal) accounts' requests, read accounts' replies, forge accounts' events or delete the accounts stream", async () => {
    const nc = await as('gateway');
    expect(await subscribeRefusal(nc, prefixed(Subjects.accounts.userList), `${h.prefix}accounts`)).toContain(`Permissions Violation for Subscription to "${prefixed(Subjects.accounts.userList)}"`);
    expect(await subscribeRefusal(nc, prefixed('accounts.>'))).toContain('Permissions Violation for Subscription');
    expect(await subscribeRefusal(nc, '_INBOX_accounts.>')).toContain('Permissions Violation for Subscription to "_INBOX_accounts.>"');
    // Its own inbox is fine.
    expect(await subscribeRefusal(nc, '_INBOX_gateway.test')).toBeUndefined();

    const jsm = await nc.jetstreamManager();
    const stream = `STEWARD_${h.prefix.replace(/[^A-Za-z0-9]+/g, '_')}ACCOUNTS`.toUpperCase();
    const before = (await jsm.streams.info(stream)).state.messages; // reading the stream it consumes is allowed
    expect(await requestRefusal(nc, prefixed(Events.accounts.userUpdated))).toContain(`Permissions Violation for Publish to "${prefixed(Events.accounts.userUpdated)}"`);
    await expect(jsm.streams.delete(stream)).rejects.toBeInstanceOf(Error);
    await expect(jsm.streams.purge(stream)).rejects.toBeInstanceOf(Error);
    expect((await jsm.streams.info(stream)).state.messages).toBeGreaterThanOrEqual(before);
  });

  it("with accounts' credentials: it cannot send requests (not even to accounts), nor read the gateway's replies", async () => {
    const nc = await as('accounts');
    expect(await requestRefusal(nc, prefixed(Subjects.accounts.userList))).toContain(`Permissions Violation for Publish to "${prefixed(Subjects.accounts.userList)}"`);
    expect(await requestRefusal(nc, prefixed(Subjects.accounts.tenantCreate))).toContain('Permissions Violation for Publish');
    expect(await subscribeRefusal(nc, '_INBOX_gateway.>')).toContain('Permissions Violation for Subscription to "_INBOX_gateway.>"');
    expect(await subscribeRefusal(nc, prefixed('accounts.events.>'))).toContain('Permissions Violation for Subscription');
  });
});

describe('a forged or unsigned tenant context is refused by the service', () => {
  // The strongest position short of the key: NATS access with the gateway's own credentials.
  const asAdminOf = (tenantId: string) => ({ tenantId, actor: { kind: 'user' as const, id: randomUUID(), role: 'admin' as const }, correlationId: randomUUID() });

  it('an unsigned request naming a tenant is answered CONTEXT_REJECTED and never processed; the same request signed with the key works', async () => {
    const t = await h.tenant();
    const nc = await as('gateway');
    const before = await accountsMetric('steward_context_rejected_total', { kind: 'request', reason: 'unsigned' });
    const email = makeUniqueEmail();
    const forged = await rpcClient(nc, h.prefix)
      .request(Subjects.accounts.userCreate, { email, name: 'Intruder', role: 'admin', password: 'intruder password' }, { context: asAdminOf(t.tenantId) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(forged).toMatchObject({ code: ErrorCode.ContextRejected, details: { reason: 'unsigned' } });
    expect(await accountsMetric('steward_context_rejected_total', { kind: 'request', reason: 'unsigned' })).toBe(before + 1);
    // Nothing was written: the admin's list has no intruder.
    const users = await h.http().get('/v1/users').set('authorization', `Bearer ${t.token}`).expect(200);
    expect(users.body.items.map((u: { email: string }) => u.email)).not.toContain(email);

    // Control: the only difference is the signature.
    const signed = await rpcClient(nc, h.prefix, h.contextKey).request(Subjects.accounts.userList, { limit: 5 }, { context: { ...asAdminOf(t.tenantId), actor: { kind: 'user', id: t.adminId, role: 'admin' } } });
    expect(signed.items.map((u) => u.email)).toContain(t.email);
  });

  it('a request signed with another key, or carrying a made-up signature for another tenant, is refused (replays: libs/messaging context-signing.int-spec.ts)', async () => {
    const t = await h.tenant();
    const nc = await as('gateway');
    const wrongKey = await rpcClient(nc, h.prefix, randomUUID() + randomUUID())
      .request(Subjects.accounts.userList, { limit: 1 }, { context: asAdminOf(t.tenantId) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(wrongKey).toMatchObject({ code: ErrorCode.ContextRejected, details: { reason: 'bad-signature' } });

    // Another tenant named, with a signature made up by someone without the key.
    const subject = prefixed(Subjects.accounts.userList);
    const body = new TextEncoder().encode(JSON.stringify({ limit: 1 }));
    const h1 = natsHeaders();
    const victim = await h.tenant();
    for (const [k, v] of Object.entries({
      [HeaderNames.messageId]: randomUUID(),
      [HeaderNames.tenantId]: victim.tenantId,
      [HeaderNames.actor]: encodeActor({ kind: 'user', id: randomUUID(), role: 'admin' }),
      [HeaderNames.correlationId]: randomUUID(),
      [HeaderNames.occurredAt]: new Date().toISOString(),
      [HeaderNames.signature]: `v1=${'A'.repeat(43)}`,
    }))
      h1.set(k, v);
    const reply = JSON.parse(new TextDecoder().decode((await nc.request(subject, body, { headers: h1, timeout: 3000 })).data)) as { ok: boolean; error?: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONTEXT_REJECTED' } });
  });

  it("a forged event on accounts' stream (published with accounts' NATS credentials but no key) is rejected by the gateway (identity feed and webhooks) and changes nothing", async () => {
    const t = await h.tenant();
    const email = makeUniqueEmail();
    const user = await h.http().post('/v1/users').set('authorization', `Bearer ${t.token}`).send({ email, name: 'V', role: 'viewer', password: 'viewer password 1' }).expect(201);
    const login = await h.http().post('/v1/auth/login').send({ email, password: 'viewer password 1' }).expect(200);
    await h.http().patch(`/v1/users/${user.body.id}`).set('authorization', `Bearer ${t.token}`).send({ active: false }).expect(200);
    await h.http().get('/v1/me').set('authorization', `Bearer ${login.body.accessToken}`).expect(401);

    // Someone holding accounts' NATS credentials publishes "this user is active again", unsigned.
    const nc = await as('accounts');
    const js = nc.jetstream();
    const forged = { user: { ...user.body, active: true, updatedAt: new Date(Date.now() + 60_000).toISOString() } };
    const hdrs = natsHeaders();
    hdrs.set(HeaderNames.messageId, randomUUID());
    hdrs.set(HeaderNames.tenantId, t.tenantId);
    hdrs.set(HeaderNames.actor, encodeActor({ kind: 'system', id: 'accounts' }));
    hdrs.set(HeaderNames.correlationId, randomUUID());
    hdrs.set(HeaderNames.occurredAt, new Date().toISOString());
    await js.publish(prefixed(Events.accounts.userUpdated), new TextEncoder().encode(JSON.stringify(forged)), { headers: hdrs });
    const gatewayRejected = async () => {
      const text = await (await fetch(`http://127.0.0.1:${h.platform.ctx.gateway.opsPort}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('steward_context_rejected_total{') && l.includes('kind="event"') && l.includes('reason="unsigned"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    // Refused twice in the gateway: by its identity feed and by its webhooks fan-out (which follows every stream).
    for (let i = 0; i < 40 && (await gatewayRejected()) < 2; i++) await sleep(50);
    await sleep(200);
    expect(await gatewayRejected()).toBe(2);
    // The deactivated user stays deactivated.
    await h.http().get('/v1/me').set('authorization', `Bearer ${login.body.accessToken}`).expect(401);
  });
});

let emailSeq = 0;
const makeUniqueEmail = () => `nats-${Date.now()}-${emailSeq++}@example.test`;
