import { createStewardClient, pages, StewardApiError, unwrap } from './client';

type Sent = { method: string; url: string; headers: Record<string, string>; body: string };

/** A server in a function: answers each request with the next response, recording what it got. */
function fakeServer(...answers: Array<() => Response>) {
  const sent: Sent[] = [];
  const fetch = async (request: Request) => {
    sent.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers.entries()), body: await request.text() });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { sent, fetch };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
const problem = (status: number, code: string) => ({ type: 'about:blank', title: 't', status, detail: `${code} happened`, code, errors: [{ field: 'name', rule: 'required', message: 'is required' }] });

const account = { name: 'Acme', leadChannel: 'direct' as const };

describe('createStewardClient', () => {
  it('sends the API key or the access token, and an Idempotency-Key on writes only', async () => {
    const server = fakeServer(json(200, { items: [], nextCursor: null }), json(201, { id: 'a' }));
    const api = createStewardClient({ baseUrl: 'http://api.test/', apiKey: 'stw_key', fetch: server.fetch });
    await api.GET('/v1/accounts');
    await api.POST('/v1/accounts', { body: account });
    expect(server.sent[0]).toMatchObject({ method: 'GET', url: 'http://api.test/v1/accounts', headers: { 'x-api-key': 'stw_key' } });
    expect(server.sent[0]!.headers['idempotency-key']).toBeUndefined();
    expect(server.sent[1]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    const withToken = fakeServer(json(200, {}));
    await createStewardClient({ baseUrl: 'http://api.test', accessToken: async () => 'tok', fetch: withToken.fetch }).GET('/v1/me');
    expect(withToken.sent[0]!.headers.authorization).toBe('Bearer tok');
  });

  it('retries 429, 503 and 504 with the same request and Idempotency-Key, waiting as Retry-After says', async () => {
    const waits: number[] = [];
    const server = fakeServer(json(503, problem(503, 'SERVICE_UNAVAILABLE'), { 'retry-after': '2' }), json(429, problem(429, 'RATE_LIMITED')), json(201, { id: 'a' }));
    const api = createStewardClient({ baseUrl: 'http://api.test', fetch: server.fetch, sleep: async (ms) => void waits.push(ms) });
    const { response } = await api.POST('/v1/accounts', { body: account });
    expect(response.status).toBe(201);
    expect(server.sent).toHaveLength(3);
    expect(new Set(server.sent.map((s) => s.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(server.sent.map((s) => s.body))).toEqual(new Set([JSON.stringify(account)]));
    expect(waits).toEqual([2000, 1000]);
  });

  it('gives up after the configured retries and returns the last answer; never retries a 4xx', async () => {
    const busy = fakeServer(...Array.from({ length: 3 }, () => json(503, problem(503, 'SERVICE_UNAVAILABLE'))));
    const api = createStewardClient({ baseUrl: 'http://api.test', fetch: busy.fetch, retries: 2, sleep: async () => undefined });
    expect((await api.GET('/v1/accounts')).response.status).toBe(503);
    expect(busy.sent).toHaveLength(3);

    const bad = fakeServer(json(400, problem(400, 'VALIDATION_FAILED')));
    const once = createStewardClient({ baseUrl: 'http://api.test', fetch: bad.fetch, sleep: async () => undefined });
    const { error } = await once.POST('/v1/accounts', { body: account });
    expect(error?.code).toBe('VALIDATION_FAILED');
    expect(bad.sent).toHaveLength(1);
  });

  it('retries a network error, then throws it when retries run out', async () => {
    let calls = 0;
    const api = createStewardClient({
      baseUrl: 'http://api.test',
      retries: 1,
      sleep: async () => undefined,
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed');
      },
    });
    await expect(api.GET('/v1/accounts')).rejects.toThrow('fetch failed');
    expect(calls).toBe(2);
  });
});

describe('unwrap and pages', () => {
  it('returns the body of a success and throws the typed problem of an error', async () => {
    const server = fakeServer(json(200, { id: 'x' }), json(404, problem(404, 'NOT_FOUND')));
    const api = createStewardClient({ baseUrl: 'http://api.test', fetch: server.fetch });
    await expect(unwrap(api.GET('/v1/me'))).resolves.toEqual({ id: 'x' });
    const err = await unwrap(api.GET('/v1/me')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StewardApiError);
    expect(err).toMatchObject({ status: 404, problem: { code: 'NOT_FOUND', errors: [{ field: 'name' }] } });
  });

  it('walks every page until nextCursor is null', async () => {
    const server = fakeServer(json(200, { items: [1, 2], nextCursor: 'c1' }), json(200, { items: [3], nextCursor: null }));
    const api = createStewardClient({ baseUrl: 'http://api.test', fetch: server.fetch });
    const seen: unknown[] = [];
    for await (const item of pages((cursor) => api.GET('/v1/accounts', { params: { query: { cursor } } }))) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
    expect(server.sent.map((s) => new URL(s.url).search)).toEqual(['', '?cursor=c1']);
  });
});
