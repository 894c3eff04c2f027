import { makeEmail } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// Failed authentication is throttled per client address and per credential, counted and
// logged without secrets. The test is the trusted proxy here (TRUSTED_PROXIES=loopback), so
// X-Forwarded-For gives each simulated client its own address.
const PER_IP = 8;
const PER_CREDENTIAL = 4;

let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2ethrottle', {
    env: {
      gateway: {
        TRUSTED_PROXIES: 'loopback',
        AUTH_FAILURE_WINDOW_SECONDS: '900',
        AUTH_FAILURES_PER_IP: String(PER_IP),
        AUTH_FAILURES_PER_CREDENTIAL: String(PER_CREDENTIAL),
        RATE_LIMIT_ANONYMOUS: '20',
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

let nextAddress = 1;
/** A client address of its own (through the trusted proxy). */
const address = () => `192.0.2.${nextAddress++}`;
const login = (ip: string, email: string, password: string) => h.http().post('/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });
const secrets: string[] = [];

async function metric(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
const accountsUrl = () => `http://127.0.0.1:${h.platform.ctx.opsPorts.accounts}`;

describe('failed authentication is throttled', () => {
  it('per credential: after the limit, that e-mail is refused (429) from any address, even with the right password; other accounts are not', async () => {
    const t = await h.tenant();
    const wrong = 'not the password 1';
    secrets.push(wrong, t.password);
    const statuses: number[] = [];
    for (let i = 0; i < PER_CREDENTIAL + 1; i++) statuses.push((await login(address(), t.email, wrong)).status);
    expect(statuses).toEqual([...Array(PER_CREDENTIAL).fill(401), 429]);
    const right = await login(address(), t.email.toUpperCase(), t.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.body).toMatchObject({ code: 'RATE_LIMITED', errors: [{ field: 'email', rule: 'failed-authentication-limit' }] });
    const other = await h.tenant();
    await login(address(), other.email, other.password).expect(200);
  });

  it('per address: after the limit, every attempt from it is refused whatever the credential; other addresses are not', async () => {
    const t = await h.tenant();
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 1; i++) statuses.push((await login(ip, makeEmail(), 'some password 1')).status);
    expect(statuses).toEqual([...Array(PER_IP).fill(401), 429]);
    const right = await login(ip, t.email, t.password);
    expect(right.status).toBe(429);
    expect(right.body.errors).toEqual([expect.objectContaining({ field: 'ip', rule: 'failed-authentication-limit' })]);
    await login(address(), t.email, t.password).expect(200);
  });

  it('a bad API key costs at most one NATS round trip: malformed keys none, a refused key is remembered; its failures are throttled', async () => {
    const t = await h.tenant();
    const auth = { authorization: `Bearer ${t.token}` };
    const partner = await h.http().post('/v1/partners').set(auth).send({ name: 'P', kind: 'reseller' }).expect(201);
    const issued = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(auth).send({ name: 'k' }).expect(201);
    const key: string = issued.body.key;
    // Same shape as a real key (tenant and key id of this one), another secret.
    const forged = `${key.slice(0, key.length - 43)}${'A'.repeat(43)}`;
    secrets.push(key, forged);
    const verifies = () => metric(accountsUrl(), 'steward_rpc_server_duration_seconds_count', { subject: 'accounts.api-key.verify.v1' });
    const ip = address();
    const get = (k: string) => h.http().get('/v1/partner/me').set('x-forwarded-for', ip).set('x-api-key', k);

    const start = await verifies();
    await get('not-a-key-at-all').expect(401);
    await get('stw_short').expect(401);
    expect(await verifies()).toBe(start); // malformed: refused without asking accounts
    await get(forged).expect(401);
    await get(forged).expect(401);
    expect(await verifies()).toBe(start + 1); // refused once by accounts, then remembered
    await get(key).expect(200);
    await get(key).expect(200);
    expect(await verifies()).toBe(start + 2); // a good key is remembered too
    await h.http().delete(`/v1/api-keys/${issued.body.apiKey.id}`).set(auth).expect(200);
    await get(key).expect(401); // revoked through this gateway: forgotten at once
    await get(key).expect(401);
    expect(await verifies()).toBe(start + 3);

    // Failures so far from this address: 2 malformed + 2 forged + 2 revoked = 6. The
    // credential (the key id shared by `forged` and `key`) has failed 4 times: its limit.
    const throttled = await get(forged);
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors).toEqual([expect.objectContaining({ field: 'header.x-api-key', rule: 'failed-authentication-limit' })]);
    expect(await verifies()).toBe(start + 3);
  });

  it('bad access tokens are throttled per address; a valid token never is', async () => {
    const t = await h.tenant();
    const ip = address();
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 1; i++) statuses.push((await h.http().get('/v1/me').set('x-forwarded-for', ip).set('authorization', `Bearer forged.${i}.token`)).status);
    expect(statuses).toEqual([...Array(PER_IP).fill(401), 429]);
    await h.http().get('/v1/me').set('x-forwarded-for', ip).set('authorization', `Bearer ${t.token}`).expect(200);
  });

  it('every failure is counted and logged with the address and a non-secret credential id, never a password or key', async () => {
    const gw = `http://127.0.0.1:${h.platform.ctx.gateway.opsPort}`;
    expect(await metric(gw, 'steward_auth_failures_total', { kind: 'password' })).toBeGreaterThanOrEqual(PER_CREDENTIAL + PER_IP);
    expect(await metric(gw, 'steward_auth_failures_total', { kind: 'api-key', reason: 'malformed' })).toBe(2);
    expect(await metric(gw, 'steward_auth_failures_total', { kind: 'api-key', reason: 'revoked' })).toBe(2);
    expect(await metric(gw, 'steward_auth_throttled_total', { kind: 'password', scope: 'credential' })).toBeGreaterThanOrEqual(2);
    expect(await metric(gw, 'steward_auth_throttled_total', { kind: 'password', scope: 'ip' })).toBeGreaterThanOrEqual(2);

    const logs = h.logs('gateway');
    const failures = logs.filter((l) => l.includes('"auth.failed"'));
    expect(failures.length).toBeGreaterThanOrEqual(PER_CREDENTIAL + PER_IP);
    const parsed = failures.map((l) => JSON.parse(l) as { kind: string; ip: string; credential?: string });
    expect(parsed.find((p) => p.kind === 'password')).toMatchObject({ ip: expect.stringMatching(/^192\.0\.2\./), credential: expect.stringMatching(/^email:/) });
    expect(logs.some((l) => l.includes('"auth.throttled"'))).toBe(true);
    for (const secret of secrets) expect(logs.filter((l) => l.includes(secret))).toEqual([]);
  });

  it('through a trusted proxy, each forwarded client has its own per-address request budget', async () => {
    const t = await h.tenant();
    const a = address();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await login(a, t.email, t.password)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
    await login(address(), t.email, t.password).expect(200);
  });
});
