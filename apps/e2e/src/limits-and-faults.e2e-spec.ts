import { randomUUID } from 'node:crypto';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

const RPC_TIMEOUT_MS = 3000;
let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2elim', { env: { gateway: { RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_PER_TENANT: '6', RATE_LIMIT_PER_PARTNER: '3', RATE_LIMIT_ANONYMOUS: '50', RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } } });
});
afterAll(async () => {
  await h?.close();
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a tenant spends its budget, without touching other tenants', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const statuses: number[] = [];
    let limited: { headers: Record<string, string>; body: { code: string } } | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await h.http().get('/v1/me').set('authorization', `Bearer ${a.token}`);
      statuses.push(res.status);
      if (res.status === 429) limited = res as never;
    }
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.body.code).toBe('RATE_LIMITED');
    await h.http().get('/v1/me').set('authorization', `Bearer ${b.token}`).expect(200);
  });

  it('limits each partner on its own budget', async () => {
    const t = await h.tenant();
    const auth = { authorization: `Bearer ${t.token}` };
    const partner = await h.http().post('/v1/partners').set(auth).send({ name: 'Limited', kind: 'reseller' }).expect(201);
    const key = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(auth).send({ name: 'k' }).expect(201);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.http().get('/v1/partner/me').set('x-api-key', key.body.key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('a downstream service that is down', () => {
  it('answers 503 with a typed problem, fast, instead of hanging', async () => {
    const t = await h.tenant();
    await h.stopService('accounts');
    const started = Date.now();
    const res = await h.http().get('/v1/users').set('authorization', `Bearer ${t.token}`).set('x-correlation-id', `down-${randomUUID()}`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(res.body.detail).toContain('accounts');
    expect(Date.now() - started).toBeLessThan(RPC_TIMEOUT_MS);
  });
});
