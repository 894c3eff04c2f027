import { randomUUID } from 'node:crypto';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2egw');
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('auth', () => {
  it('logs in with e-mail and password and returns a token that /v1/me accepts', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/auth/login').send({ email: t.email, password: t.password }).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: t.email, role: 'admin' }, tenant: { id: t.tenantId } });
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    const me = await h.http().get('/v1/me').set(bearer(res.body.accessToken)).expect(200);
    expect(me.body.id).toBe(t.adminId);
  });

  it('refreshes with a rotating refresh token', async () => {
    const t = await h.tenant();
    const login = await h.http().post('/v1/auth/login').send({ email: t.email, password: t.password }).expect(200);
    const refreshed = await h.http().post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expect(refreshed.body.accessToken).toBeDefined();
    const reused = await h.http().post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    expect(reused.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password with 401 problem+json', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/auth/login').send({ email: t.email, password: 'not the password' }).expect(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', instance: '/v1/auth/login' });
  });

  it('refuses missing, forged and expired-looking tokens', async () => {
    await h.http().get('/v1/me').expect(401);
    await h.http().get('/v1/me').set(bearer('a.b.c')).expect(401);
    const t = await h.tenant();
    const forged = t.token.slice(0, -3) + (t.token.endsWith('AAA') ? 'BBB' : 'AAA');
    await h.http().get('/v1/me').set(bearer(forged)).expect(401);
  });
});

describe('operator bootstrap', () => {
  it('needs the operator token', async () => {
    await h.http().post('/v1/tenants').send({}).expect(401);
    const t = await h.tenant();
    // A valid user token is the wrong kind of credential here: 403, not 401.
    const res = await h.http().post('/v1/tenants').set(bearer(t.token)).send({ name: 'x', slug: 'xx', admin: { email: 'a@b.test', password: '0123456789', name: 'a' } }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await h.http().post('/v1/tenants').set(bearer('not-the-operator-token')).send({}).expect(401);
  });

  it('maps a taken slug to 409 naming the field', async () => {
    const op = bearer(h.operatorToken);
    const first = { name: 'Slug Owner', slug: `slug-${randomUUID().slice(0, 8)}`, admin: { email: `o-${randomUUID()}@example.test`, password: '0123456789', name: 'Owner' } };
    await h.http().post('/v1/tenants').set(op).send(first).expect(201);
    const res = await h.http().post('/v1/tenants').set(op).send({ ...first, admin: { ...first.admin, email: `p-${randomUUID()}@example.test` } }).expect(409);
    expect(res.body).toMatchObject({ code: 'TENANT_SLUG_TAKEN', errors: [{ field: 'slug', rule: 'unique' }] });
  });
});

describe('validation', () => {
  it('names every bad field and rejects unknown ones with 400', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/users').set(bearer(t.token)).send({ email: 'not-an-email', name: 'A', role: 'wizard', password: 'short', isAdmin: true }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'isAdmin', 'password', 'role']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'isAdmin').rule).toBe('unknown-field');
  });

  it('rejects a malformed JSON body and a bad path id with 400', async () => {
    const t = await h.tenant();
    const bad = await h.http().post('/v1/users').set(bearer(t.token)).set('content-type', 'application/json').send('{"email":').expect(400);
    expect(bad.body.status).toBe(400);
    const path = await h.http().patch('/v1/users/not-a-uuid').set(bearer(t.token)).send({ name: 'x' }).expect(400);
    expect(path.body.errors[0]).toMatchObject({ field: 'path.id', rule: 'uuid' });
  });

  it('validates query strings', async () => {
    const t = await h.tenant();
    const res = await h.http().get('/v1/users?limit=5000').set(bearer(t.token)).expect(400);
    expect(res.body.errors[0].field).toBe('query.limit');
  });
});

describe('roles and tenancy', () => {
  it('lets an admin manage users but not a viewer', async () => {
    const t = await h.tenant();
    const viewer = { email: `viewer-${randomUUID()}@example.test`, name: 'Vee', role: 'viewer', password: 'viewer password' };
    await h.http().post('/v1/users').set(bearer(t.token)).send(viewer).expect(201);
    const login = await h.http().post('/v1/auth/login').send({ email: viewer.email, password: viewer.password }).expect(200);
    const res = await h.http().post('/v1/users').set(bearer(login.body.accessToken)).send({ ...viewer, email: `x-${randomUUID()}@example.test` }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await h.http().get('/v1/users').set(bearer(login.body.accessToken)).expect(403);
    await h.http().get('/v1/audit-log').set(bearer(login.body.accessToken)).expect(403);
  });

  it('never shows another tenant a user, even by id', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    await h.http().get(`/v1/users/${a.adminId}`).set(bearer(b.token)).expect(404);
    const list = await h.http().get('/v1/users').set(bearer(b.token)).expect(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([b.adminId]);
  });

  it('records identity changes in the audit log', async () => {
    const t = await h.tenant();
    const partner = await h.http().post('/v1/partners').set(bearer(t.token)).send({ name: 'Acme Resellers', kind: 'reseller' }).expect(201);
    const audit = await h.http().get(`/v1/audit-log?entityId=${partner.body.id}`).set(bearer(t.token)).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'partner.created', actor: `user:${t.adminId}`, after: expect.objectContaining({ name: 'Acme Resellers' }) })]);
  });
});

describe('partner API keys', () => {
  it('works on partner routes and is refused on user routes (403: a valid key, the wrong kind of credential)', async () => {
    const t = await h.tenant();
    const partner = await h.http().post('/v1/partners').set(bearer(t.token)).send({ name: 'Delta Dealers', kind: 'dealer', region: 'APAC' }).expect(201);
    const key = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(bearer(t.token)).send({ name: 'sync' }).expect(201);
    const self = await h.http().get('/v1/partner/me').set('x-api-key', key.body.key).expect(200);
    expect(self.body).toEqual({ tenantId: t.tenantId, partnerId: partner.body.id, keyId: key.body.apiKey.id });
    for (const [method, path] of [
      ['get', '/v1/me'],
      ['get', '/v1/users'],
      ['get', '/v1/partners'],
      ['get', '/v1/audit-log'],
    ] as const) {
      const res = await h.http()[method](path).set('x-api-key', key.body.key).expect(403);
      expect(res.body.detail).toContain('Partner API keys cannot use this route');
    }
    // A user token does not open partner routes either.
    await h.http().get('/v1/partner/me').set(bearer(t.token)).expect(403);
    await h.http().delete(`/v1/api-keys/${key.body.apiKey.id}`).set(bearer(t.token)).expect(200);
    const revoked = await h.http().get('/v1/partner/me').set('x-api-key', key.body.key).expect(401);
    expect(revoked.body.code).toBe('API_KEY_REVOKED');
  });
});

describe('idempotency keys', () => {
  it('replays the first response for the same key and body, creating one record', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    const body = { name: 'Retry Partners', kind: 'reseller' };
    const first = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body).expect(201);
    const second = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await h.http().get('/v1/partners').set(bearer(t.token)).expect(200);
    expect(list.body.items.filter((p: { name: string }) => p.name === 'Retry Partners')).toHaveLength(1);
  });

  it('answers 422 for the same key with a different body', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send({ name: 'One', kind: 'reseller' }).expect(201);
    const res = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send({ name: 'Two', kind: 'reseller' }).expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers a refused request the same way again (nothing was written, nothing is stored), and scopes keys per tenant', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const key = randomUUID();
    const bad = { name: '', kind: 'reseller' };
    const first = await h.http().post('/v1/partners').set(bearer(a.token)).set('idempotency-key', key).send(bad).expect(400);
    const again = await h.http().post('/v1/partners').set(bearer(a.token)).set('idempotency-key', key).send(bad).expect(400);
    expect(again.body.errors).toEqual(first.body.errors);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    // The key was never settled, so the corrected request with the same key goes through.
    await h.http().post('/v1/partners').set(bearer(a.token)).set('idempotency-key', key).send({ name: 'A', kind: 'dealer' }).expect(201);
    // The same key in another tenant is a different key.
    await h.http().post('/v1/partners').set(bearer(b.token)).set('idempotency-key', key).send({ name: 'B', kind: 'dealer' }).expect(201);
  });
});

describe('documentation and operations', () => {
  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await h.http().get('/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/auth/login', '/v1/tenants', '/v1/users', '/v1/users/{id}', '/v1/partners/{id}/api-keys', '/v1/api-keys/{id}', '/v1/audit-log', '/v1/me']));
    expect(doc.body.paths['/v1/users'].post.requestBody).toBeDefined();
    // Custom methods are written with one colon, as clients call them.
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/accounts:import', '/v1/accounts:retier', '/v1/revenue-records:batch']));
    expect(Object.keys(doc.body.paths).filter((p) => p.includes('::'))).toEqual([]);
    const ui = await h.http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('reports health, readiness and metrics', async () => {
    await h.http().get('/healthz').expect(200);
    const ready = await h.http().get('/readyz').expect(200);
    expect(ready.body.status).toBe('ready');
    // /metrics is on the ops port only (OPS_PORT), never on the API port.
    await h.http().get('/metrics').expect(404);
    const metrics = await (await fetch(`http://127.0.0.1:${h.platform.ctx.gateway.opsPort}/metrics`)).text();
    expect(metrics).toContain('steward_http_request_duration_seconds');
    expect(metrics).toContain('steward_rpc_client_duration_seconds');
  });
});
