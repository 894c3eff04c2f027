import { randomUUID } from 'node:crypto';
import { Subjects } from '@steward/contracts';
import { connectAs, rpcClient } from '@steward/service-testing';
import { expectEventually, makeEmail } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// Item 5 of the hardening issue: authentication and limits that hold. One gateway with the
// default (no) trusted proxies; small budgets so evasion attempts show.
const TENANT_LIMIT = 30;
const PARTNER_LIMIT = 10;
const ANONYMOUS_LIMIT = 40;

let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2eauthlim', {
    env: {
      gateway: {
        RATE_LIMIT_WINDOW_SECONDS: '60',
        RATE_LIMIT_PER_TENANT: String(TENANT_LIMIT),
        RATE_LIMIT_PER_PARTNER: String(PARTNER_LIMIT),
        RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_LIMIT),
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A user of a fresh tenant, logged in, and the tenant's admin. */
async function userOf(role: 'manager' | 'agent' | 'viewer') {
  const t = await h.tenant();
  const email = makeEmail();
  const password = 'user password 1';
  const created = await h.http().post('/v1/users').set(bearer(t.token)).send({ email, name: 'U', role, password }).expect(201);
  const login = await h.http().post('/v1/auth/login').send({ email, password }).expect(200);
  return { t, id: created.body.id as string, email, password, token: login.body.accessToken as string, refreshToken: login.body.refreshToken as string };
}

async function gatewayMetric(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${h.platform.ctx.gateway.opsPort}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('a role change or deactivation takes effect on the next request', () => {
  it('a demoted manager cannot use the manager role even once more with the old access token', async () => {
    const m = await userOf('manager');
    await h.http().post('/v1/partners').set(bearer(m.token)).send({ name: 'Before', kind: 'reseller' }).expect(201);
    const before = await gatewayMetric('steward_auth_failures_total', { kind: 'access-token', reason: 'role-changed' });

    await h.http().patch(`/v1/users/${m.id}`).set(bearer(m.t.token)).send({ role: 'viewer' }).expect(200);

    const stale = await h.http().post('/v1/partners').set(bearer(m.token)).send({ name: 'After', kind: 'reseller' });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('role changed') });
    await h.http().get('/v1/me').set(bearer(m.token)).expect(401);
    expect(await gatewayMetric('steward_auth_failures_total', { kind: 'access-token', reason: 'role-changed' })).toBe(before + 2);

    // A refreshed token carries the current role: a viewer reads, and may not create partners.
    const refreshed = await h.http().post('/v1/auth/refresh').send({ refreshToken: m.refreshToken }).expect(200);
    expect(refreshed.body.user.role).toBe('viewer');
    await h.http().get('/v1/me').set(bearer(refreshed.body.accessToken)).expect(200);
    await h.http().post('/v1/partners').set(bearer(refreshed.body.accessToken)).send({ name: 'Still no', kind: 'reseller' }).expect(403);
    const partners = await h.http().get('/v1/partners').set(bearer(m.t.token)).expect(200);
    expect(partners.body.items.map((p: { name: string }) => p.name)).toEqual(['Before']);
  });

  it('a deactivated user is refused on the next request, and can neither refresh nor log in', async () => {
    const u = await userOf('agent');
    await h.http().get('/v1/me').set(bearer(u.token)).expect(200);
    await h.http().patch(`/v1/users/${u.id}`).set(bearer(u.t.token)).send({ active: false }).expect(200);
    const refused = await h.http().get('/v1/me').set(bearer(u.token));
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain('deactivated');
    await h.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }).expect(401);
    await h.http().post('/v1/auth/login').send({ email: u.email, password: u.password }).expect(401);
  });

  it("a change this gateway did not make reaches it through accounts' events within the propagation bound", async () => {
    const u = await userOf('manager');
    await h.http().get('/v1/users').set(bearer(u.token)).expect(200);
    // Another gateway replica (same NATS credentials and context key) demotes the user: this
    // gateway sees no response, only the accounts.events.user.updated.v1 event.
    const nc = await connectAs(h.nats!.url, h.nats!.credentials!.gateway);
    try {
      const admin = { tenantId: u.t.tenantId, actor: { kind: 'user' as const, id: u.t.adminId, role: 'admin' as const }, correlationId: randomUUID() };
      const changedAt = Date.now();
      await rpcClient(nc, h.prefix, h.contextKey).request(Subjects.accounts.userUpdate, { id: u.id, role: 'agent' }, { context: admin });
      await expectEventually(async () => {
        expect((await h.http().get('/v1/users').set(bearer(u.token))).status).toBe(401);
      }, { timeoutMs: 2_000 });
      // Commit → outbox relay → JetStream → the gateway's ordered consumer: well under the 2 s bound asserted above.
      expect(Date.now() - changedAt).toBeLessThan(2_000);
    } finally {
      await nc.close();
    }
  });
});

describe('refresh tokens through the gateway', () => {
  it('reuse of a rotated refresh token revokes its whole family', async () => {
    const u = await userOf('agent');
    const second = await h.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }).expect(200);
    // The first token, already rotated, comes back (stolen): refused, and the session is over.
    await h.http().post('/v1/auth/refresh').send({ refreshToken: u.refreshToken }).expect(401);
    await h.http().post('/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    // A new login starts a new family.
    const again = await h.http().post('/v1/auth/login').send({ email: u.email, password: u.password }).expect(200);
    await h.http().post('/v1/auth/refresh').send({ refreshToken: again.body.refreshToken }).expect(200);
  });
});

describe('rate limits cannot be dodged', () => {
  it('rotating routes does not multiply the tenant budget: one bucket per tenant across all routes', async () => {
    const t = await h.tenant();
    const routes = [
      '/v1/me',
      '/v1/users',
      `/v1/users/${t.adminId}`,
      '/v1/users?limit=1',
      '/v1/partners',
      '/v1/partners?limit=2',
      '/v1/accounts',
      '/v1/accounts?limit=1',
      '/v1/audit-log',
      '/v1/audit-log?limit=1',
      '/v1/tiering/summary',
      '/v1/accounts:export',
      `/v1/accounts/${randomUUID()}`,
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 52; i++) statuses.push((await h.http().get(routes[i % routes.length]!).set(bearer(t.token))).status);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(TENANT_LIMIT);
    expect(statuses.slice(TENANT_LIMIT).every((s) => s === 429)).toBe(true);
    const limited = await h.http().get('/v1/partners').set(bearer(t.token));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', errors: [{ field: 'tenant', rule: 'rate-limit' }] });
  });

  it("a second key of the same partner shares its partner's budget; another partner keeps its own", async () => {
    const t = await h.tenant();
    const auth = bearer(t.token);
    const p = await h.http().post('/v1/partners').set(auth).send({ name: 'P', kind: 'reseller' }).expect(201);
    const q = await h.http().post('/v1/partners').set(auth).send({ name: 'Q', kind: 'dealer' }).expect(201);
    const key = async (partnerId: string) => (await h.http().post(`/v1/partners/${partnerId}/api-keys`).set(auth).send({ name: 'k' }).expect(201)).body.key as string;
    const [k1, k2, q1] = [await key(p.body.id), await key(p.body.id), await key(q.body.id)];

    const first: number[] = [];
    for (let i = 0; i < PARTNER_LIMIT + 2; i++) first.push((await h.http().get(i % 2 ? '/v1/accounts' : '/v1/partner/me').set('x-api-key', k1)).status);
    expect(first.filter((s) => s !== 429)).toHaveLength(PARTNER_LIMIT);
    const second = await h.http().get('/v1/partner/me').set('x-api-key', k2);
    expect(second.status).toBe(429);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'partner', rule: 'rate-limit' })]);
    await h.http().get('/v1/partner/me').set('x-api-key', q1).expect(200);
  });

  it('a rotating X-Forwarded-For does not multiply the per-address budget (no proxy is trusted by default)', async () => {
    // Unauthenticated requests share one budget per client address. Earlier tests of this file
    // logged in from this address too, so fewer than ANONYMOUS_LIMIT are left: what matters is
    // that 60 logins, each claiming another address, get no more than the limit.
    // The budgets are fixed windows: a run that crosses into the next window (a request admitted
    // after a refusal) gets a fresh budget midway, so it is run again, once, in the new window.
    const t = await h.tenant();
    const run = async () => {
      const out: number[] = [];
      for (let i = 0; i < 60; i++) {
        const res = await h.http().post('/v1/auth/login').set('x-forwarded-for', `198.51.100.${i + 1}`).send({ email: t.email, password: t.password });
        out.push(res.status);
      }
      return out;
    };
    const crossedWindow = (xs: number[]) => xs.some((s, i) => s !== 429 && xs.slice(0, i).includes(429));
    let statuses = await run();
    if (crossedWindow(statuses)) statuses = await run();
    const admitted = statuses.filter((s) => s !== 429).length;
    expect(admitted).toBeLessThanOrEqual(ANONYMOUS_LIMIT);
    expect(statuses.slice(admitted).every((s) => s === 429)).toBe(true);
    const refused = await h.http().post('/v1/auth/login').set('x-forwarded-for', '203.0.113.200').send({ email: t.email, password: t.password });
    expect(refused.status).toBe(429);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'anonymous-ip', rule: 'rate-limit' })]);
  });
});
