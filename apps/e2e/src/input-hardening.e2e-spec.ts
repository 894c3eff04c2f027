import { connect } from 'node:net';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

/**
 * No 500 on any input (issue 14, item 4): each input that used to answer 500, or an answer
 * that was not problem+json naming the field, through the real gateway and accounts.
 */
let h: PlatformHarness;
let t: Awaited<ReturnType<PlatformHarness['tenant']>>;
beforeAll(async () => {
  h = await startPlatformHarness('e2ehard');
  t = await h.tenant();
});
afterAll(async () => {
  await h?.close();
});
const auth = () => ({ authorization: `Bearer ${t.token}` });

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: { status?: number; code?: string; errors?: Array<{ field: string; rule: string; message: string }> };
}

/** A problem+json answer with this status, naming the field and rule. */
function expectProblem(res: Answer, status: number, field: string, rule: string): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
  expect(res.body.status).toBe(status);
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
}

const json = (method: 'post' | 'patch', url: string, raw: string) => h.http()[method](url).set(auth()).set('content-type', 'application/json').send(raw);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Raw HTTP on a socket: what the gateway answers to bytes no HTTP client would send. */
function rawHttp(request: string): Promise<{ status: number; contentType: string; body: string }> {
  const url = new URL(h.gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '', body });
    });
  });
}

describe('input that used to answer 500', () => {
  it('a NUL byte in a text field', async () => {
    expectProblem(await h.http().post('/v1/accounts').set(auth()).send({ name: 'Acme\u0000Steel' }), 400, 'name', 'no-nul');
    expectProblem(await h.http().post('/v1/accounts').set(auth()).send({ name: 'ok', customAttributes: { 'a\u0000': 'x' } }), 400, 'customAttributes.a\u0000', 'no-nul');
  });

  it('a NUL byte in a list filter', async () => {
    expectProblem(await h.http().get('/v1/accounts?industry=Energy%00').set(auth()), 400, 'query.industry', 'no-nul');
  });

  it('a NUL byte in a CSV cell', async () => {
    const res = await h.http().post('/v1/accounts:import').set(auth()).set('content-type', 'text/csv').send('externalId,name\nX-1,Acme\u0000\n');
    expectProblem(res, 400, '(body)', 'no-nul');
    expect(res.body.errors![0]!.message).toContain('line 2');
  });

  it('a lone UTF-16 surrogate in a jsonb field', async () => {
    expectProblem(await json('post', '/v1/accounts', '{"name":"x","customAttributes":{"note":"\\ud800"}}'), 400, 'customAttributes.note', 'unicode');
    // A valid pair is fine.
    await json('post', '/v1/accounts', '{"name":"Emoji \\ud83d\\ude00","customAttributes":{"note":"\\ud83d\\ude00"}}').expect(201);
  });

  it('a crafted list cursor: unsigned, tampered, or from another sort', async () => {
    const crafted = Buffer.from(JSON.stringify({ s: 'revenue12m', k: 'abc', id: '00000000-0000-0000-0000-000000000000' })).toString('base64url');
    expectProblem(await h.http().get(`/v1/accounts?sort=revenue12m&cursor=${crafted}`).set(auth()), 400, 'cursor', 'cursor');
    for (const name of ['C1', 'C2', 'C3']) await h.http().post('/v1/accounts').set(auth()).send({ name }).expect(201);
    const page = await h.http().get('/v1/accounts?sort=revenue12m&limit=1').set(auth()).expect(200);
    const cursor: string = page.body.nextCursor;
    await h.http().get(`/v1/accounts?sort=revenue12m&limit=1&cursor=${cursor}`).set(auth()).expect(200);
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), k: 'abc' })).toString('base64url');
    expectProblem(await h.http().get(`/v1/accounts?sort=revenue12m&cursor=${forged}.${mac}`).set(auth()), 400, 'cursor', 'cursor');
    expectProblem(await h.http().get(`/v1/accounts?sort=-revenue12m&cursor=${cursor}`).set(auth()), 400, 'cursor', 'cursor');
    expectProblem(await h.http().get(`/v1/users?cursor=${cursor}`).set(auth()), 400, 'cursor', 'cursor');
  });

  it('JSON nested 10,000 deep, wherever it is sent', async () => {
    expectProblem(await json('post', '/v1/accounts', `{"name":"x","customAttributes":${deep(10_000)}}`), 400, '(body)', 'depth');
    expectProblem(await json('post', '/v1/revenue-records:batch', `{"records":[${deep(10_000)}]}`), 400, '(body)', 'depth');
    expectProblem(await json('post', '/v1/accounts', deep(10_000)).set('idempotency-key', 'deep-1'), 400, '(body)', 'depth');
    // Just past the limit where the contract allows any JSON (revenue rows are checked one by one).
    expectProblem(await json('post', '/v1/revenue-records:batch', `{"records":${deep(32)}}`), 400, '(body)', 'depth');
  });
});

describe('answers that were not problem+json naming the field', () => {
  it('malformed and empty JSON', async () => {
    expectProblem(await json('post', '/v1/accounts', '{"name":'), 400, '(body)', 'json');
    expectProblem(await json('post', '/v1/accounts', ''), 400, '(body)', 'required');
    expectProblem(await json('post', '/v1/accounts', '{"__proto__":{"x":1},"name":"p"}'), 400, '(body)', 'json');
  });

  it('a content type the route does not take', async () => {
    expectProblem(await h.http().post('/v1/accounts').set(auth()).set('content-type', 'application/xml').send('<a/>'), 415, 'content-type', 'media-type');
  });

  it("Fastify's 414 for an over-long path parameter, and a bad percent-encoding", async () => {
    expectProblem(await h.http().get(`/v1/accounts/${'a'.repeat(200)}`).set(auth()), 414, 'path', 'max-length');
    expectProblem(await h.http().get('/v1/accounts/%E0%A4%A').set(auth()), 400, 'path', 'url-encoding');
  });

  it('requests that are not valid HTTP, and headers too large', async () => {
    const bad = await rawHttp('GET /v1/me HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(JSON.parse(bad.body)).toMatchObject({ status: 400, errors: [{ field: '(request)', rule: 'http' }] });
    const big = await rawHttp(`GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body)).toMatchObject({ status: 431, errors: [{ field: '(headers)', rule: 'max-size' }] });
  });

  it('unknown routes, missing credentials, a body too large', async () => {
    expectProblem(await h.http().get('/v1/nothing-here').set(auth()), 404, 'path', 'exists');
    expectProblem(await h.http().get('/v1/accounts'), 401, 'authorization', 'authenticated');
    expectProblem(await h.http().post('/v1/accounts').set(auth()).send({ name: 'x'.repeat(1_100_000) }), 413, '(body)', 'max-size');
  });
});
