import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { sleep } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// 401 vs 403, API-key scopes, expiry and rotation through the real gateway and accounts
// (issue 13, part 5). Keys stay cached in the gateway (API_KEY_CACHE_SECONDS, 60 s): expiry,
// scopes and rotation must hold from the cache too.
let h: PlatformHarness;
let admin: { tenantId: string; token: string };
let viewerToken: string;
let partnerId: string;

beforeAll(async () => {
  // Three failures per credential would throttle: a valid key refused with 403 must not count as one.
  h = await startPlatformHarness('e2ekeys', { env: { gateway: { AUTH_FAILURES_PER_CREDENTIAL: '3' } } });
  admin = await h.tenant();
  const viewer = { email: `viewer-${randomUUID()}@example.test`, name: 'Vee', role: 'viewer', password: 'viewer password' };
  await h.http().post('/v1/users').set(bearer(admin.token)).send(viewer).expect(201);
  viewerToken = (await h.http().post('/v1/auth/login').send({ email: viewer.email, password: viewer.password }).expect(200)).body.accessToken;
  partnerId = (await h.http().post('/v1/partners').set(bearer(admin.token)).send({ name: 'Keyed Partner', kind: 'reseller' }).expect(201)).body.id;
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const apiKey = (key: string) => ({ 'x-api-key': key });

async function issue(body: Record<string, unknown> = {}): Promise<{ key: string; id: string }> {
  const res = await h.http().post(`/v1/partners/${partnerId}/api-keys`).set(bearer(admin.token)).send({ name: `key-${randomUUID().slice(0, 8)}`, ...body }).expect(201);
  return { key: res.body.key, id: res.body.apiKey.id };
}

/** A problem naming a field and a rule, with the status and code. */
function expectProblem(res: Response, status: number, code: string, error?: { field?: string | RegExp; rule?: string; message?: RegExp }) {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (error) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ ...error, ...(error.field instanceof RegExp ? { field: expect.stringMatching(error.field) } : {}), ...(error.message ? { message: expect.stringMatching(error.message) } : {}) })]));
}

describe('401 only without a valid credential, 403 for a valid one that may not do this', () => {
  it('answers the whole matrix', async () => {
    const full = await issue();
    const readOnly = await issue({ scopes: ['read'] });
    const writeOnly = await issue({ scopes: ['write'] });
    const forged = `stw_${randomBytes(32).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
    const cases: Array<[string, () => Promise<Response>, number, string, { field?: string | RegExp; rule?: string; message?: RegExp }?]> = [
      ['no credential on a user route', () => h.http().get('/v1/me'), 401, 'UNAUTHENTICATED', { field: 'authorization', rule: 'authenticated' }],
      ['no credential on a partner route', () => h.http().get('/v1/partner/me'), 401, 'UNAUTHENTICATED'],
      ['no credential on a route for both', () => h.http().get('/v1/accounts'), 401, 'UNAUTHENTICATED'],
      ['a malformed access token', () => h.http().get('/v1/me').set(bearer('a.b.c')), 401, 'UNAUTHENTICATED'],
      ['a malformed API key', () => h.http().get('/v1/partner/me').set(apiKey('not-a-key')), 401, 'UNAUTHENTICATED'],
      ['a well-formed but unknown API key', () => h.http().get('/v1/accounts').set(apiKey(forged)), 401, 'UNAUTHENTICATED'],
      ['a bad access token on a partner route', () => h.http().get('/v1/partner/me').set(bearer('a.b.c')), 401, 'UNAUTHENTICATED'],
      ['a wrong operator token', () => h.http().post('/v1/tenants').set(bearer('not-the-operator-token')).send({}), 401, 'UNAUTHENTICATED'],
      ['a partner key on a user route', () => h.http().get('/v1/me').set(apiKey(full.key)), 403, 'FORBIDDEN', { field: 'x-api-key', rule: 'credential-kind', message: /portal users/ }],
      ['a partner key on an admin route', () => h.http().get('/v1/audit-log').set(apiKey(full.key)), 403, 'FORBIDDEN', { rule: 'credential-kind' }],
      ['a partner key on the operator route', () => h.http().post('/v1/tenants').set(apiKey(full.key)).send({}), 403, 'FORBIDDEN', { rule: 'credential-kind', message: /operator/ }],
      ['a user token on a partner route', () => h.http().get('/v1/partner/me').set(bearer(admin.token)), 403, 'FORBIDDEN', { field: 'authorization', rule: 'credential-kind', message: /partner API keys/ }],
      ['a user token on the operator route', () => h.http().post('/v1/tenants').set(bearer(admin.token)).send({}), 403, 'FORBIDDEN', { field: 'authorization', rule: 'credential-kind' }],
      ['the operator token on a user route', () => h.http().get('/v1/me').set(bearer(h.operatorToken)), 403, 'FORBIDDEN', { rule: 'credential-kind', message: /operator routes/ }],
      ['a role the route does not admit', () => h.http().get('/v1/users').set(bearer(viewerToken)), 403, 'FORBIDDEN', { field: '(caller)', rule: 'role', message: /admin, manager/ }],
      ['a read-only key writing', () => h.http().post('/v1/accounts').set(apiKey(readOnly.key)).send({ name: 'Nope' }), 403, 'FORBIDDEN', { field: 'x-api-key', rule: 'scope', message: /'write' scope/ }],
      ['a write-only key reading', () => h.http().get('/v1/accounts').set(apiKey(writeOnly.key)), 403, 'FORBIDDEN', { field: 'x-api-key', rule: 'scope', message: /'read' scope/ }],
    ];
    for (const [name, send, status, code, error] of cases) {
      const res = await send();
      try {
        expectProblem(res, status, code, error);
      } catch (err) {
        throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}\n${String(err)}`);
      }
    }
    // HEAD reads: a write-only key may not.
    await h.http().head('/v1/accounts').set(apiKey(writeOnly.key)).expect(403);
    // And what each may do works.
    await h.http().get('/v1/accounts').set(apiKey(readOnly.key)).expect(200);
    await h.http().post('/v1/accounts').set(apiKey(writeOnly.key)).send({ name: 'Written by a write-only key' }).expect(201);
    await h.http().get('/v1/accounts').set(apiKey(full.key)).expect(200);
    await h.http().get('/v1/me').set(bearer(viewerToken)).expect(200);
  });

  it('does not count a 403 as a failed authentication (no throttling of a valid key used on the wrong route)', async () => {
    const { key } = await issue();
    // AUTH_FAILURES_PER_CREDENTIAL is 3 here: five refusals of a valid key stay 403.
    for (let i = 0; i < 5; i++) await h.http().get('/v1/me').set(apiKey(key)).expect(403);
    await h.http().get('/v1/partner/me').set(apiKey(key)).expect(200);
    // A wrong key is still throttled after three failures.
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (let i = 0; i < 3; i++) await h.http().get('/v1/partner/me').set(apiKey(wrong)).expect(401);
    await h.http().get('/v1/partner/me').set(apiKey(wrong)).expect(429);
  });
});

describe('API key scopes', () => {
  it('are checked on every request, also when the key comes from the gateway cache', async () => {
    const readOnly = await issue({ scopes: ['read'] });
    for (let i = 0; i < 3; i++) {
      await h.http().get('/v1/partner/me').set(apiKey(readOnly.key)).expect(200);
      const res = await h.http().post('/v1/accounts').set(apiKey(readOnly.key)).send({ name: 'Nope' }).expect(403);
      expect(res.body.errors[0]).toMatchObject({ field: 'x-api-key', rule: 'scope' });
    }
    const listed = await h.http().get(`/v1/api-keys/${readOnly.id}`).set(bearer(admin.token)).expect(200);
    expect(listed.body.scopes).toEqual(['read']);
  });

  it('are validated when a key is issued, naming the field', async () => {
    const res = await h.http().post(`/v1/partners/${partnerId}/api-keys`).set(bearer(admin.token)).send({ name: 'x', scopes: ['admin'] }).expect(400);
    expect(res.body.errors[0].field).toMatch(/^scopes/);
  });
});

describe('API key expiry', () => {
  it('is honoured from the gateway cache: a key used just before it expires is refused (401) right after', async () => {
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const k = await issue({ expiresAt });
    await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(200); // verified and cached (API_KEY_CACHE_SECONDS: 60)
    await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(200);
    await sleep(Math.max(0, Date.parse(expiresAt) - Date.now()) + 50);
    const res = await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(401);
    expect(res.body.detail).toMatch(/expired/);
  });
});

describe('API key rotation', () => {
  it('keeps both keys working during the overlap, lists both with their expiry, then refuses the old one', async () => {
    const old = await issue({ scopes: ['read'] });
    await h.http().get('/v1/partner/me').set(apiKey(old.key)).expect(200); // cached before the rotation
    const rotated = await h.http().post(`/v1/api-keys/${old.id}/rotate`).set(bearer(admin.token)).send({ overlapSeconds: 2 }).expect(201);
    const overlapEnd = Date.parse(rotated.body.previous.expiresAt);
    expect(rotated.body).toMatchObject({ apiKey: { rotatedFromId: old.id, scopes: ['read'], expiresAt: null }, previous: { id: old.id, replacedById: rotated.body.apiKey.id } });
    expect(overlapEnd - Date.now()).toBeLessThanOrEqual(2000);

    const both = await h.http().get(`/v1/partners/${partnerId}/api-keys?limit=200`).set(bearer(admin.token)).expect(200);
    const listed = new Map(both.body.items.map((k: { id: string; expiresAt: string | null }) => [k.id, k.expiresAt]));
    expect(listed.get(old.id)).toBe(rotated.body.previous.expiresAt);
    expect(listed.get(rotated.body.apiKey.id)).toBeNull();

    const self = await h.http().get('/v1/partner/me').set(apiKey(old.key)).expect(200);
    expect(self.body.keyId).toBe(old.id);
    expect((await h.http().get('/v1/partner/me').set(apiKey(rotated.body.key)).expect(200)).body.keyId).toBe(rotated.body.apiKey.id);

    await sleep(Math.max(0, overlapEnd - Date.now()) + 50);
    const refused = await h.http().get('/v1/partner/me').set(apiKey(old.key)).expect(401);
    expect(refused.body.detail).toMatch(/rotated/);
    await h.http().get('/v1/partner/me').set(apiKey(rotated.body.key)).expect(200);
    // Scopes carried over: the new key cannot write either.
    await h.http().post('/v1/accounts').set(apiKey(rotated.body.key)).send({ name: 'Nope' }).expect(403);
  });

  it('refuses a second rotation of the same key (409), an overlap over the maximum (400), and is for admins only (403)', async () => {
    const k = await issue();
    const tooLong = await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(bearer(admin.token)).send({ overlapSeconds: 40 * 24 * 3600 }).expect(400);
    expect(tooLong.body.errors[0].field).toBe('overlapSeconds');
    await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(bearer(viewerToken)).send({}).expect(403);
    await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(apiKey(k.key)).send({}).expect(403);
    const first = await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(bearer(admin.token)).send({}).expect(201);
    // The default overlap: 24 h.
    expect(Date.parse(first.body.previous.expiresAt) - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
    const second = await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(bearer(admin.token)).send({}).expect(409);
    expect(second.body.errors[0]).toMatchObject({ field: 'path.id', rule: 'not-rotated' });
  });

  it('leaves revocation immediate: revoking the old key during the overlap refuses it at once', async () => {
    const k = await issue();
    await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(200);
    const rotated = await h.http().post(`/v1/api-keys/${k.id}/rotate`).set(bearer(admin.token)).send({ overlapSeconds: 3600 }).expect(201);
    await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(200);
    await h.http().delete(`/v1/api-keys/${k.id}`).set(bearer(admin.token)).expect(200);
    const refused = await h.http().get('/v1/partner/me').set(apiKey(k.key)).expect(401);
    expect(refused.body.code).toBe('API_KEY_REVOKED');
    await h.http().get('/v1/partner/me').set(apiKey(rotated.body.key)).expect(200);
  });
});
