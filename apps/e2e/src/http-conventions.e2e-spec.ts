import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// The gateway's HTTP conventions (issue 13, part 6), held for every route /openapi.json lists
// where the rule is generic (405, 415, If-Match), and shown on the resources that have them.
const PORTAL = 'http://portal.example.test';
let h: PlatformHarness;
let admin: { tenantId: string; token: string };
let operations: Array<{ method: string; path: string; template: string; jsonBody: boolean; consumes: string[] }>;

beforeAll(async () => {
  h = await startPlatformHarness('e2ehttp', { env: { gateway: { STEWARD_CORS_ORIGINS: `${PORTAL},http://other.example.test` } } });
  admin = await h.tenant();
  const doc = (await h.http().get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };
  operations = Object.entries(doc.paths).flatMap(([template, item]) => {
    // One concrete path per template, so the methods of one path are counted together.
    const path = template.replace(/\{[^}]+\}/g, () => randomUUID());
    return Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => {
        const consumes = Object.keys(op.requestBody?.content ?? {});
        return { method: method.toUpperCase(), template, path, jsonBody: consumes.includes('application/json'), consumes };
      });
  });
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const send = (method: string, path: string) => h.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);

function expectProblem(res: Response, status: number, code: string, field: string, rule: string) {
  expect({ status: res.status, code: res.body.code, type: res.headers['content-type'] }).toEqual({ status, code, type: expect.stringContaining('application/problem+json') });
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
}

describe('405 with Allow for a wrong method on an existing path (every documented path)', () => {
  it('answers each method a path lacks with 405, Allow listing exactly the methods it has', async () => {
    // A concrete path may match several templates (`/loops/metrics` is also `/loops/{id}`): Allow lists the methods of all of them.
    const matches = (template: string, path: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`).test(path);
    const byPath = new Map<string, Set<string>>();
    for (const { path } of operations) byPath.set(path, new Set(operations.filter((op) => matches(op.template, path)).map((op) => op.method)));
    // Paths differ only in their random ids; the router sees the same route for each.
    const checked: string[] = [];
    for (const [path, methods] of byPath) {
      const expected = new Set([...methods, ...(methods.has('GET') ? ['HEAD'] : []), 'OPTIONS']);
      for (const wrong of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !methods.has(m))) {
        const res = await send(wrong, path).set(bearer(admin.token));
        try {
          expectProblem(res, 405, 'METHOD_NOT_ALLOWED', 'method', 'allowed');
          expect(new Set(String(res.headers.allow).split(/,\s*/))).toEqual(expected);
        } catch (err) {
          throw new Error(`${wrong} ${path}: ${res.status} allow=${res.headers.allow}\n${String(err)}`);
        }
        checked.push(`${wrong} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
  });

  it('still answers 404 for a path that does not exist under any method', async () => {
    const res = await h.http().put('/v1/no-such-thing').set(bearer(admin.token)).expect(404);
    expect(res.headers.allow).toBeUndefined();
  });
});

describe('415 for a body the route does not take (every write operation)', () => {
  it('refuses a form-urlencoded and a CSV body on every JSON route, and a JSON body on the CSV import, naming content-type', async () => {
    const writes = operations.filter((op) => op.method !== 'GET');
    expect(writes.length).toBeGreaterThan(20);
    let checked = 0;
    for (const op of writes) {
      const csvRoute = op.consumes.includes('text/csv');
      const wrong: Array<[string, string]> = csvRoute ? [['application/json', '{"a":1}'], ['application/x-www-form-urlencoded', 'a=1']] : [['application/x-www-form-urlencoded', 'name=Formed'], ['text/csv', 'name\nCsv']];
      for (const [type, body] of wrong) {
        // No credentials: the content type is checked first, so nothing is created whoever calls.
        const res = await send(op.method, op.path).set('content-type', type).send(body);
        try {
          expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type', 'media-type');
        } catch (err) {
          throw new Error(`${op.method} ${op.template} with ${type}: ${res.status} ${JSON.stringify(res.body)}\n${String(err)}`);
        }
        checked++;
      }
    }
    expect(checked).toBe(writes.length * 2);
    // The example from the issue: a form body never creates an account.
    await h.http().post('/v1/accounts').set(bearer(admin.token)).type('form').send('name=Formy').expect(415);
    const list = await h.http().get('/v1/accounts?namePrefix=Formy').set(bearer(admin.token)).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('takes application/json and structured +json types on JSON routes', async () => {
    const created = await h.http().post('/v1/accounts').set(bearer(admin.token)).set('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ name: 'Json Co' })).expect(201);
    const merged = await h.http().patch(`/v1/accounts/${created.body.id}`).set(bearer(admin.token)).set('content-type', 'application/merge-patch+json').send(JSON.stringify({ industry: 'Retail' })).expect(200);
    expect(merged.body.industry).toBe('Retail');
  });
});

describe('201 with Location on creating POSTs', () => {
  it('points each creation at the URL that reads the created resource', async () => {
    const auth = bearer(admin.token);
    const account = await h.http().post('/v1/accounts').set(auth).send({ name: 'Located Co' }).expect(201);
    const partner = await h.http().post('/v1/partners').set(auth).send({ name: 'Located Partner', kind: 'dealer' }).expect(201);
    const created: Array<[string, Response, string]> = [
      ['account', account, `/v1/accounts/${account.body.id}`],
      ['contact', await h.http().post(`/v1/accounts/${account.body.id}/contacts`).set(auth).send({ name: 'Lou', buyingRole: 'champion' }).expect(201), '/v1/contacts/'],
      ['project', await h.http().post(`/v1/accounts/${account.body.id}/projects`).set(auth).send({ name: 'Go-live', kind: 'project', size: 'small', lead: 'vendor' }).expect(201), '/v1/projects/'],
      ['partner', partner, `/v1/partners/${partner.body.id}`],
      ['user', await h.http().post('/v1/users').set(auth).send({ email: `loc-${randomUUID()}@example.test`, name: 'Loc', role: 'viewer', password: 'located password' }).expect(201), '/v1/users/'],
      ['api key', await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(auth).send({ name: 'located' }).expect(201), '/v1/api-keys/'],
    ];
    for (const [what, res, prefix] of created) {
      const location = String(res.headers.location);
      expect({ what, location }).toEqual({ what, location: expect.stringContaining(prefix) });
      const read = await h.http().get(location).set(auth).expect(200);
      expect({ what, id: read.body.id }).toEqual({ what, id: res.body.id ?? res.body.apiKey.id });
    }
  });

  it('sets none on actions answered 200, on the tenant bootstrap, or on login', async () => {
    const auth = bearer(admin.token);
    const account = await h.http().post('/v1/accounts').set(auth).send({ name: 'Acted Co' }).expect(201);
    await h.http().delete(`/v1/accounts/${account.body.id}`).set(auth).expect(200);
    const restored = await h.http().post(`/v1/accounts/${account.body.id}/restore`).set(auth).expect(200);
    expect(restored.headers.location).toBeUndefined();
    const tenant = await h.http().post('/v1/tenants').set(bearer(h.operatorToken)).send({ name: 'No Location', slug: `noloc-${randomUUID().slice(0, 8)}`, admin: { email: `nl-${randomUUID()}@example.test`, password: '0123456789', name: 'A' } }).expect(201);
    expect(tenant.headers.location).toBeUndefined();
  });
});

describe('ETag, If-None-Match and If-Match on versioned resources', () => {
  it('tags an account with its version, answers 304 to a matching If-None-Match, and a new tag after a change', async () => {
    const auth = bearer(admin.token);
    const created = await h.http().post('/v1/accounts').set(auth).send({ name: 'Tagged Co' }).expect(201);
    const url = `/v1/accounts/${created.body.id}`;
    const first = await h.http().get(url).set(auth).expect(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"1-[A-Za-z0-9_-]+"$/);
    expect(created.headers.etag).toBe(etag);
    const cached = await h.http().get(url).set(auth).set('if-none-match', etag).expect(304);
    expect(cached.text ?? '').toBe('');
    expect(cached.headers.etag).toBe(etag);
    await h.http().head(url).set(auth).set('if-none-match', `W/${etag}`).expect(304);
    await h.http().patch(url).set(auth).send({ industry: 'Energy' }).expect(200);
    const changed = await h.http().get(url).set(auth).set('if-none-match', etag).expect(200);
    expect(changed.headers.etag).toMatch(/^"2-/);
    // Lists carry no version: no ETag.
    expect((await h.http().get('/v1/accounts').set(auth).expect(200)).headers.etag).toBeUndefined();
  });

  it('writes with a current If-Match and refuses a stale one with 412 naming the header, on update, tier override, delete and restore', async () => {
    const auth = bearer(admin.token);
    const created = await h.http().post('/v1/accounts').set(auth).send({ name: 'Guarded Co' }).expect(201);
    const url = `/v1/accounts/${created.body.id}`;
    const v1 = String(created.headers.etag);
    const updated = await h.http().patch(url).set(auth).set('if-match', v1).send({ industry: 'Mining' }).expect(200);
    const v2 = String(updated.headers.etag);
    expect(v2).toMatch(/^"2-/);

    const stale = await h.http().patch(url).set(auth).set('if-match', v1).send({ industry: 'Lost update' }).expect(412);
    expectProblem(stale, 412, 'PRECONDITION_FAILED', 'If-Match', 'current-version');
    await h.http().put(`${url}/tier-override`).set(auth).set('if-match', v1).send({ tier: 1, reason: 'stale' }).expect(412);
    await h.http().delete(url).set(auth).set('if-match', v1).expect(412);
    expect((await h.http().get(url).set(auth).expect(200)).body).toMatchObject({ industry: 'Mining', deletedAt: null, tierOverride: null });

    const pinned = await h.http().put(`${url}/tier-override`).set(auth).set('if-match', v2).send({ tier: 1, reason: 'key account' }).expect(200);
    const v3 = String(pinned.headers.etag);
    await h.http().delete(`${url}/tier-override`).set(auth).set('if-match', v2).expect(412);
    const cleared = await h.http().delete(`${url}/tier-override`).set(auth).set('if-match', '"3"').expect(200); // the bare version works too
    expect(v3).toMatch(/^"3-/);
    const deleted = await h.http().delete(url).set(auth).set('if-match', String(cleared.headers.etag)).expect(200);
    await h.http().post(`${url}/restore`).set(auth).set('if-match', v3).expect(412);
    await h.http().post(`${url}/restore`).set(auth).set('if-match', String(deleted.headers.etag)).expect(200);
  });

  it('treats If-Match: * as "exists", a weak or malformed tag as no match or a 400, and keeps the body expectedVersion (409) as before', async () => {
    const auth = bearer(admin.token);
    const created = await h.http().post('/v1/accounts').set(auth).send({ name: 'Star Co' }).expect(201);
    const url = `/v1/accounts/${created.body.id}`;
    await h.http().patch(url).set(auth).set('if-match', '*').send({ region: 'EMEA' }).expect(200);
    await h.http().patch(url).set(auth).set('if-match', 'W/"2"').send({ region: 'APAC' }).expect(412);
    const malformed = await h.http().patch(url).set(auth).set('if-match', 'two').send({ region: 'APAC' }).expect(400);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'If-Match', rule: 'entity-tag' });
    const disagree = await h.http().patch(url).set(auth).set('if-match', '"2"').send({ region: 'APAC', expectedVersion: 1 }).expect(400);
    expect(disagree.body.errors[0]).toMatchObject({ field: 'If-Match', rule: 'agrees' });
    const conflict = await h.http().patch(url).set(auth).send({ region: 'APAC', expectedVersion: 1 }).expect(409);
    expect(conflict.body.code).toBe('STALE_VERSION');
  });

  it('never runs a write whose If-Match cannot match: "0" gets 412 on every write operation an admin may call', async () => {
    const statuses = new Map<string, number>();
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      const res = await send(op.method, op.path).set(bearer(admin.token)).set('if-match', '"0"');
      statuses.set(`${op.method} ${op.template}`, res.status);
      if (res.status !== 403) expectProblem(res, 412, 'PRECONDITION_FAILED', 'If-Match', 'current-version');
    }
    // Only routes an admin token may not use (the operator's, partner-only or other roles') answer 403 first.
    expect([...statuses.values()].every((st) => st === 412 || st === 403)).toBe(true);
    expect(statuses.get('POST /v1/tenants')).toBe(403);
    expect(statuses.get('PATCH /v1/accounts/{id}')).toBe(412);
    expect(statuses.get('POST /v1/auth/login')).toBe(412);
    expect([...statuses.values()].filter((st) => st === 412).length).toBeGreaterThan(20);
  });

  it('refuses If-Match on a resource without versions (nothing can match) unless it is *', async () => {
    const auth = bearer(admin.token);
    const account = await h.http().post('/v1/accounts').set(auth).send({ name: 'Contacted Co' }).expect(201);
    const contact = await h.http().post(`/v1/accounts/${account.body.id}/contacts`).set(auth).send({ name: 'Ann', buyingRole: 'influencer' }).expect(201);
    expect(contact.headers.etag).toBeUndefined();
    await h.http().patch(`/v1/contacts/${contact.body.id}`).set(auth).set('if-match', '"1"').send({ title: 'CTO' }).expect(412);
    await h.http().patch(`/v1/contacts/${contact.body.id}`).set(auth).set('if-match', '*').send({ title: 'CTO' }).expect(200);
  });
});

describe('CORS for the configured origins', () => {
  it('answers a preflight from the portal with what it may send, cached, and no credentials mode', async () => {
    const res = await h
      .http()
      .options('/v1/accounts')
      .set('origin', PORTAL)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type, idempotency-key, if-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toEqual(expect.stringContaining('idempotency-key'));
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the portal read responses and their headers, errors too; another origin gets no CORS headers', async () => {
    const ok = await h.http().get('/v1/accounts').set(bearer(admin.token)).set('origin', PORTAL).expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe(PORTAL);
    const exposed = String(ok.headers['access-control-expose-headers']).toLowerCase();
    for (const name of ['etag', 'location', 'retry-after', 'idempotent-replayed']) expect(exposed).toContain(name);
    const refused = await h.http().get('/v1/accounts').set('origin', PORTAL).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe(PORTAL);
    const elsewhere = await h.http().get('/v1/accounts').set(bearer(admin.token)).set('origin', 'http://evil.example.test').expect(200);
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await h.http().options('/v1/accounts').set('origin', 'http://evil.example.test').set('access-control-request-method', 'DELETE');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('money with its currency', () => {
  it("answers the 12-month revenue and the tiering summary with the tenant's currency, partners included", async () => {
    const auth = bearer(admin.token);
    const partner = await h.http().post('/v1/partners').set(auth).send({ name: 'Money Partner', kind: 'reseller' }).expect(201);
    const key = (await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(auth).send({ name: 'money' }).expect(201)).body.key as string;
    const account = await h.http().post('/v1/accounts').set('x-api-key', key).send({ name: 'Money Co' }).expect(201);
    expect(account.body).toMatchObject({ revenue12m: 0, currency: null });
    expect((await h.http().get('/v1/tiering/summary').set(auth).expect(200)).body.currency).toBeNull();

    const d = new Date();
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await h.http().post('/v1/revenue-records:batch').set(auth).send({ records: [{ accountId: account.body.id, month, productRevenue: 500_00, serviceRevenue: 100_00, grossMargin: 200_00, currency: 'EUR' }] }).expect(200);
    await h.http().post('/v1/accounts:retier').set(auth).expect(200);
    expect((await h.http().get(`/v1/accounts/${account.body.id}`).set(auth).expect(200)).body).toMatchObject({ revenue12m: 600_00, currency: 'EUR' });
    // The partner's transactions run under its own database role: it reads the currency too.
    expect((await h.http().get(`/v1/accounts/${account.body.id}`).set('x-api-key', key).expect(200)).body).toMatchObject({ revenue12m: 600_00, currency: 'EUR' });
    const summary = (await h.http().get('/v1/tiering/summary').set(auth).expect(200)).body;
    expect(summary).toMatchObject({ currency: 'EUR', totalPositiveRevenue: 600_00 });
    const csv = (await h.http().get('/v1/accounts:export').set(auth).expect(200)).text;
    expect(csv.split('\n')[0]).toContain('revenue12m,currency');
  });
});

describe('operations port', () => {
  it('serves /metrics only on the ops port, with route labels as clients see them (no :: escapes)', async () => {
    await h.http().get('/v1/accounts:export').set(bearer(admin.token)).expect(200);
    await h.http().get('/metrics').expect(404);
    const ops = `http://127.0.0.1:${h.platform.ctx.gateway.opsPort}`;
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toContain('route="/v1/accounts:export"');
    expect(metrics).not.toMatch(/route="[^"]*::/);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    // Load balancers may still probe the API port.
    await h.http().get('/readyz').expect(200);
  });
});
