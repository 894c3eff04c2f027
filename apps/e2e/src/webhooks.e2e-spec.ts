import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findRepoRoot, ManagedProcess, RunningPlatform, SERVICES, startPlatform } from '@steward/stack';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

/**
 * Webhooks through the running platform (issue 13, part 4): endpoints registered over the
 * API, events from accounts' JetStream stream, deliveries signed and sent by the gateway to a
 * receiver on loopback (allowed here with STEWARD_WEBHOOKS_ALLOW_PRIVATE=127.0.0.1/32), with a
 * retry schedule in milliseconds instead of hours.
 */
const GATEWAY_ENV = {
  STEWARD_WEBHOOKS_ALLOW_PRIVATE: '127.0.0.1/32',
  WEBHOOKS_TIMEOUT_MS: '3000',
  WEBHOOKS_LEASE_MS: '4000',
  WEBHOOKS_POLL_MS: '100',
  WEBHOOKS_RETRY_BASE_MS: '100',
  WEBHOOKS_RETRY_MAX_DELAY_MS: '400',
  WEBHOOKS_RETRY_WINDOW_MS: '30000',
  WEBHOOKS_DISABLE_AFTER_FAILURES: '3',
  WEBHOOKS_DISABLE_AFTER_MS: '0',
};

const ACCOUNT_CREATED = 'accounts.events.account.created.v1';
const CONTACT_CREATED = 'accounts.events.contact.created.v1';

let h: PlatformHarness;
/** Gateways started in place of a killed one. */
const replacements: RunningPlatform[] = [];

// ---- the receiver: one server, one path per endpoint ----
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** How each path answers (default 200); return `hold` to keep the request open. */
const behaviour = new Map<string, (r: Received, n: number) => number | 'hold'>();
const held: ServerResponse[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body, at: Date.now() };
      received.push(r);
      const answer = behaviour.get(r.path)?.(r, received.filter((x) => x.path === r.path).length) ?? 200;
      if (answer === 'hold') held.push(res);
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 400 ? `refused by the test (${answer})` : 'ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  h = await startPlatformHarness('e2ehooks', { env: { gateway: GATEWAY_ENV } });
});
afterAll(async () => {
  for (const r of replacements) await r.stop(5_000);
  await h?.close();
  for (const res of held) res.destroy();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
type Tenant = Awaited<ReturnType<PlatformHarness['tenant']>>;
type Auth = Record<string, string>;

const at = (path: string) => received.filter((r) => r.path === path);
const eventsAt = (path: string) => at(path).map((r) => JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> });

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The verification snippet of docs/webhooks.md, as a receiver would write it: HMAC-SHA256 of
 * "<t>.<raw body>" with the endpoint's secret, any v1 matching in constant time, t within 5 minutes.
 */
function verifyWebhook(secret: string, header: string, rawBody: string, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return parts.some(([k, v]) => {
    if (k !== 'v1' || !v) return false;
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function register(auth: Auth, path: string, eventTypes: string[] = [ACCOUNT_CREATED], extra: Record<string, unknown> = {}) {
  const res = await h.http().post('/v1/webhooks/endpoints').set(auth).send({ url: `${receiverUrl}${path}`, eventTypes, ...extra });
  if (res.status !== 201) throw new Error(`register ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.headers.location).toBe(`/v1/webhooks/endpoints/${res.body.endpoint.id}`);
  return res.body as { endpoint: { id: string }; secret: string };
}

async function account(auth: Auth, body: Record<string, unknown> = {}) {
  const res = await h.http().post('/v1/accounts').set(auth).send({ name: `Acme ${randomUUID().slice(0, 6)}`, ...body });
  if (res.status !== 201) throw new Error(`create account: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; leadPartnerId: string | null };
}

async function partnerKey(t: Tenant, name: string) {
  const partner = await h.http().post('/v1/partners').set(bearer(t.token)).send({ name, kind: 'reseller' }).expect(201);
  const key = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(bearer(t.token)).send({ name: 'k' }).expect(201);
  return { partnerId: partner.body.id as string, auth: { 'x-api-key': key.body.key as string } };
}

async function deliveries(auth: Auth, endpointId: string) {
  const res = await h.http().get(`/v1/webhooks/endpoints/${endpointId}/deliveries`).set(auth).expect(200);
  return res.body.items as Array<{ id: string; eventId: string; status: string; attemptCount: number; attempts: Array<{ number: number; outcome: string; statusCode: number | null; responseExcerpt: string | null; durationMs: number }> }>;
}

describe('webhooks', () => {
  it('delivers an event signed with the endpoint secret, verifiable with the documented snippet', async () => {
    const t = await h.tenant();
    const types = await h.http().get('/v1/webhooks/event-types').set(bearer(t.token)).expect(200);
    expect(types.body.items.map((x: { type: string }) => x.type)).toEqual(expect.arrayContaining([ACCOUNT_CREATED, CONTACT_CREATED]));
    expect(types.body.items.map((x: { type: string }) => x.type)).not.toContain('accounts.events.user.updated.v1');

    const { endpoint, secret } = await register(bearer(t.token), '/signed');
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once: never in a read.
    const read = await h.http().get(`/v1/webhooks/endpoints/${endpoint.id}`).set(bearer(t.token)).expect(200);
    expect(JSON.stringify(read.body)).not.toContain(secret);

    const created = await account(bearer(t.token));
    const got = await until('the signed delivery', () => at('/signed')[0]);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ type: ACCOUNT_CREATED, tenantId: t.tenantId, data: { account: { id: created.id } } });
    expect(got.headers['steward-event-id']).toBe(body.id);
    expect(got.headers['steward-event-type']).toBe(ACCOUNT_CREATED);
    expect(got.headers['steward-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers['content-type']).toBe('application/json');
    expect(verifyWebhook(secret, String(got.headers['steward-signature']), got.body)).toBe(true);
    expect(verifyWebhook(secret, String(got.headers['steward-signature']), got.body.replace(created.id, randomUUID()))).toBe(false);
    expect(verifyWebhook(`${secret}x`, String(got.headers['steward-signature']), got.body)).toBe(false);

    const [delivery] = await until('the delivery to be recorded', async () => ((await deliveries(bearer(t.token), endpoint.id))[0]?.status === 'succeeded' ? deliveries(bearer(t.token), endpoint.id) : undefined));
    expect(delivery).toMatchObject({ eventId: body.id, status: 'succeeded', attemptCount: 1, attempts: [{ number: 1, outcome: 'succeeded', statusCode: 200, responseExcerpt: 'ok' }] });
    const one = await h.http().get(`/v1/webhooks/deliveries/${delivery!.id}`).set(bearer(t.token)).expect(200);
    expect(one.body.id).toBe(delivery!.id);
  });

  it('retries after a 500 and succeeds, the same event id on both attempts', async () => {
    const t = await h.tenant();
    behaviour.set('/flaky', (_r, n) => (n === 1 ? 500 : 200));
    const { endpoint } = await register(bearer(t.token), '/flaky');
    await account(bearer(t.token));
    const [d] = await until('the retried delivery', async () => {
      const list = await deliveries(bearer(t.token), endpoint.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    expect(d!.attemptCount).toBe(2);
    expect(d!.attempts.map((a) => [a.number, a.outcome, a.statusCode])).toEqual([
      [2, 'succeeded', 200],
      [1, 'http-error', 500],
    ]);
    expect(d!.attempts[1]!.responseExcerpt).toBe('refused by the test (500)');
    const ids = at('/flaky').map((r) => r.headers['steward-event-id']);
    expect(ids).toEqual([d!.eventId, d!.eventId]);
    // Retried after the back-off (100 ms base, ±20 %), not at once.
    expect(at('/flaky')[1]!.at - at('/flaky')[0]!.at).toBeGreaterThanOrEqual(70);
  });

  it('disables an endpoint after sustained failure with a notice, skips events meanwhile, and sends them after re-enabling and replaying', async () => {
    const t = await h.tenant();
    let down = true;
    behaviour.set('/down', () => (down ? 503 : 200));
    const { endpoint } = await register(bearer(t.token), '/down');
    await account(bearer(t.token));
    const disabled = await until('the endpoint to be disabled', async () => {
      const e = (await h.http().get(`/v1/webhooks/endpoints/${endpoint.id}`).set(bearer(t.token)).expect(200)).body;
      return e.enabled ? undefined : e;
    });
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: 3, disabled: { automatic: true, reason: expect.stringMatching(/3 in a row.*HTTP 503/) } });
    expect(at('/down')).toHaveLength(3);
    const [failed] = await deliveries(bearer(t.token), endpoint.id);
    expect(failed).toMatchObject({ status: 'failed', attemptCount: 3 });

    // While disabled: recorded as skipped, not sent.
    await account(bearer(t.token));
    const skipped = await until('the skipped delivery', async () => (await deliveries(bearer(t.token), endpoint.id)).find((d) => d.status === 'skipped'));
    expect(skipped.attemptCount).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/down')).toHaveLength(3);
    // Replaying is refused until it is enabled again.
    const refused = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/replay`).set(bearer(t.token)).send({ since: new Date(Date.now() - 60_000).toISOString() }).expect(409);
    expect(refused.body.errors[0]).toMatchObject({ field: 'endpoint', rule: 'enabled' });

    down = false;
    const enabled = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/enable`).set(bearer(t.token)).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled: null, consecutiveFailures: 0, lastDisabled: { automatic: true } });
    const replay = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/replay`).set(bearer(t.token)).send({ since: new Date(Date.now() - 60_000).toISOString() }).expect(202);
    expect(replay.body).toEqual({ replayed: 2 });
    await until('both deliveries to succeed', async () => {
      const list = await deliveries(bearer(t.token), endpoint.id);
      return list.length === 2 && list.every((d) => d.status === 'succeeded') ? list : undefined;
    });
    expect(new Set(at('/down').slice(3).map((r) => r.headers['steward-event-id'])).size).toBe(2);
  });

  it('replays one delivery with the same event and delivery ids, and sends a test event on request', async () => {
    const t = await h.tenant();
    const { endpoint, secret } = await register(bearer(t.token), '/replay');
    await account(bearer(t.token));
    const [first] = await until('the first delivery', async () => {
      const list = await deliveries(bearer(t.token), endpoint.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    const replayed = await h.http().post(`/v1/webhooks/deliveries/${first!.id}/replay`).set(bearer(t.token)).set('idempotency-key', `replay-${first!.id}`).expect(202);
    expect(replayed.body).toMatchObject({ id: first!.id, status: 'pending' });
    await until('the replayed request', () => (at('/replay').length === 2 ? true : undefined));
    const [a, b] = at('/replay');
    expect(b!.headers['steward-event-id']).toBe(a!.headers['steward-event-id']);
    expect(b!.headers['steward-delivery-id']).toBe(a!.headers['steward-delivery-id']);
    expect(b!.body).toBe(a!.body);
    // The same Idempotency-Key again: the stored answer, no second replay.
    const again = await h.http().post(`/v1/webhooks/deliveries/${first!.id}/replay`).set(bearer(t.token)).set('idempotency-key', `replay-${first!.id}`).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await until('the replay to be recorded', async () => ((await deliveries(bearer(t.token), endpoint.id))[0]?.attemptCount === 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/replay')).toHaveLength(2);

    const ping = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/test`).set(bearer(t.token)).expect(202);
    expect(ping.body).toMatchObject({ eventType: 'webhooks.test.v1', status: 'pending' });
    const got = await until('the test event', () => at('/replay').find((r) => r.headers['steward-event-type'] === 'webhooks.test.v1'));
    expect(JSON.parse(got.body)).toMatchObject({ type: 'webhooks.test.v1', tenantId: t.tenantId, data: { endpointId: endpoint.id } });
    expect(verifyWebhook(secret, String(got.headers['steward-signature']), got.body)).toBe(true);
  });

  it('rotates the secret with an overlap: both signatures during it, only the new one after', async () => {
    const t = await h.tenant();
    const { endpoint, secret: old } = await register(bearer(t.token), '/rotate', ['*']);
    const rotated = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`).set(bearer(t.token)).send({ overlapSeconds: 2 }).expect(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(old);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(1_000);
    expect(rotated.body.endpoint.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);

    await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/test`).set(bearer(t.token)).expect(202);
    const during = await until('a delivery during the overlap', () => at('/rotate')[0]);
    const header = String(during.headers['steward-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(fresh, header, during.body)).toBe(true);
    expect(verifyWebhook(old, header, during.body)).toBe(true);

    await new Promise((r) => setTimeout(r, 2_200));
    const after = await h.http().get(`/v1/webhooks/endpoints/${endpoint.id}`).set(bearer(t.token)).expect(200);
    expect(after.body.previousSecretExpiresAt).toBeNull();
    await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/test`).set(bearer(t.token)).expect(202);
    const later = await until('a delivery after the overlap', () => at('/rotate')[1]);
    const laterHeader = String(later.headers['steward-signature']);
    expect(laterHeader.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhook(fresh, laterHeader, later.body)).toBe(true);
    expect(verifyWebhook(old, laterHeader, later.body)).toBe(false);

    // With no body: the default overlap (24 h).
    const byDefault = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`).set(bearer(t.token)).expect(200);
    expect(Date.parse(byDefault.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const tooLong = await h.http().post(`/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`).set(bearer(t.token)).send({ overlapSeconds: 8 * 86_400 }).expect(400);
    expect(tooLong.body.errors[0]).toMatchObject({ field: 'overlapSeconds', rule: 'max' });
  });

  it("sends a partner's endpoint only events about the accounts that partner leads", async () => {
    const t = await h.tenant();
    const p1 = await partnerKey(t, 'P1');
    const p2 = await partnerKey(t, 'P2');
    const e1 = await register(p1.auth, '/p1', ['*']);
    const e2 = await register(p2.auth, '/p2', ['*']);
    await register(bearer(t.token), '/tenant-all', ['*']);
    // Partners may not subscribe to what is not about their accounts (revenue), nor see others' endpoints.
    const tooWide = await h.http().post('/v1/webhooks/endpoints').set(p1.auth).send({ url: `${receiverUrl}/x`, eventTypes: ['accounts.events.revenue.changed.v1'] }).expect(400);
    expect(tooWide.body.errors[0]).toMatchObject({ field: 'eventTypes[0]', rule: 'event-type' });
    await h.http().get(`/v1/webhooks/endpoints/${e2.endpoint.id}`).set(p1.auth).expect(404);
    const listed = await h.http().get('/v1/webhooks/endpoints').set(p1.auth).expect(200);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([e1.endpoint.id]);

    const own1 = await account(p1.auth); // a partner's own account is led by it
    const led2 = await account(bearer(t.token), { leadChannel: 'partner', leadPartnerId: p2.partnerId });
    const direct = await account(bearer(t.token));
    await h.http().post(`/v1/accounts/${own1.id}/contacts`).set(p1.auth).send({ name: 'Dana', buyingRole: 'champion' }).expect(201);
    await h.http().post(`/v1/accounts/${led2.id}/contacts`).set(bearer(t.token)).send({ name: 'Eve', buyingRole: 'decision-maker' }).expect(201);

    await until('the tenant endpoint to get all five', () => (at('/tenant-all').length >= 5 ? true : undefined));
    await until('each partner to get its two', () => (at('/p1').length >= 2 && at('/p2').length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    const accountOf = (e: { data: Record<string, unknown> }) => ((e.data.account as { id?: string } | undefined)?.id ?? (e.data.contact as { accountId?: string } | undefined)?.accountId);
    expect(eventsAt('/p1').map((e) => [e.type, accountOf(e)])).toEqual(expect.arrayContaining([[ACCOUNT_CREATED, own1.id], [CONTACT_CREATED, own1.id]]));
    expect(eventsAt('/p1')).toHaveLength(2);
    expect(eventsAt('/p2').map((e) => [e.type, accountOf(e)])).toEqual(expect.arrayContaining([[ACCOUNT_CREATED, led2.id], [CONTACT_CREATED, led2.id]]));
    expect(eventsAt('/p2')).toHaveLength(2);
    expect(eventsAt('/tenant-all').map(accountOf)).toEqual(expect.arrayContaining([own1.id, led2.id, direct.id]));
  });

  it('refuses private, loopback and link-local addresses (except the allowed loopback range), and names the field and rule of bad input', async () => {
    const t = await h.tenant();
    for (const url of ['http://10.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::ffff:192.168.0.1]/', 'https://0.0.0.0/']) {
      const res = await h.http().post('/v1/webhooks/endpoints').set(bearer(t.token)).send({ url, eventTypes: ['*'] });
      expect({ url, status: res.status, error: res.body.errors?.[0] }).toMatchObject({ url, status: 400, error: { field: 'url', rule: 'public-address' } });
    }
    const badType = await h.http().post('/v1/webhooks/endpoints').set(bearer(t.token)).send({ url: `${receiverUrl}/x`, eventTypes: ['accounts.events.user.updated.v1'] }).expect(400);
    expect(badType.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'eventTypes[0]', rule: 'event-type' }] });
    const badUrl = await h.http().post('/v1/webhooks/endpoints').set(bearer(t.token)).send({ url: 'ftp://example.com/x', eventTypes: [] }).expect(400);
    expect(badUrl.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['eventTypes', 'url']);
    // Only admins and managers manage endpoints.
    const agent = await h.http().post('/v1/users').set(bearer(t.token)).send({ email: `agent-${randomUUID().slice(0, 8)}@example.test`, name: 'Agent', role: 'agent', password: 'correct-horse-battery' }).expect(201);
    const login = await h.http().post('/v1/auth/login').send({ email: agent.body.email, password: 'correct-horse-battery' }).expect(200);
    await h.http().get('/v1/webhooks/endpoints').set(bearer(login.body.accessToken)).expect(403);

    // A create retried with the same Idempotency-Key gets the same endpoint and secret back.
    const key = `create-${randomUUID()}`;
    const first = await h.http().post('/v1/webhooks/endpoints').set(bearer(t.token)).set('idempotency-key', key).send({ url: `${receiverUrl}/idem`, eventTypes: ['*'] }).expect(201);
    const second = await h.http().post('/v1/webhooks/endpoints').set(bearer(t.token)).set('idempotency-key', key).send({ url: `${receiverUrl}/idem`, eventTypes: ['*'] }).expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    const all = await h.http().get('/v1/webhooks/endpoints').set(bearer(t.token)).expect(200);
    expect(all.body.items.filter((e: { url: string }) => e.url.endsWith('/idem'))).toHaveLength(1);
  });

  it('loses no event when the gateway is killed (SIGKILL) while a delivery is in flight', async () => {
    const t = await h.tenant();
    let first = true;
    behaviour.set('/crash', () => {
      if (first) {
        first = false;
        return 'hold';
      }
      return 200;
    });
    const { endpoint } = await register(bearer(t.token), '/crash');
    await account(bearer(t.token));
    const inFlight = await until('the first attempt to arrive', () => at('/crash')[0]);
    const gateway: ManagedProcess = h.platform.procs.gateway!;
    process.kill(gateway.pid, 'SIGKILL');
    await gateway.exited;
    // The receiver never answered the first attempt; a new gateway process takes the delivery over once its lease expires.
    const replacement = await startPlatform({
      rootDir: findRepoRoot(__dirname),
      ctx: h.platform.ctx,
      services: SERVICES.filter((s) => s.name === 'gateway'),
      baseEnv: { PATH: process.env.PATH ?? '', STEWARD_CHECK_RESPONSES: 'true', STEWARD_CHECK_OPENAPI: 'true' },
      serviceEnv: { gateway: GATEWAY_ENV },
    });
    replacements.push(replacement);
    const again = await until('the delivery after the restart', () => at('/crash')[1], 20_000);
    expect(again.headers['steward-event-id']).toBe(inFlight.headers['steward-event-id']);
    expect(again.body).toBe(inFlight.body);
    const [d] = await until('the delivery to be recorded', async () => {
      const list = await deliveries(bearer(t.token), endpoint.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    // The new gateway goes on with new events (its durable consumers resume where the old one stopped).
    const later = await account(bearer(t.token));
    await until('an event after the restart', () => eventsAt('/crash').find((e) => (e.data.account as { id: string }).id === later.id));
  });
});
