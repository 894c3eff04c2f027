import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowance } from './address-policy';
import { checkDestination, postWebhook, RefusedDestination, type OutboundPolicy, type Resolver } from './outbound';

/** Outbound webhook requests against real sockets on loopback (allowed here like in the tests' configuration). */
const LOOPBACK: OutboundPolicy = { allowance: parseAllowance('127.0.0.1/32') };
const STRICT: OutboundPolicy = { allowance: parseAllowance('false') };

let server: Server;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_req, res) => res.end('ok');
const seen: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const post = (url: string, o: Partial<Parameters<typeof postWebhook>[2]> = {}) =>
  postWebhook(url, '{"hello":"world"}', { headers: { 'content-type': 'application/json', 'x-test': '1' }, timeoutMs: 2_000, maxResponseBytes: 64 * 1024, policy: LOOPBACK, ...o });

describe('an outbound webhook attempt', () => {
  it('POSTs the body with the headers and reports the status, duration and the start of the answer', async () => {
    handler = (_req, res) => res.writeHead(202, { 'content-type': 'text/plain' }).end('accepted: thanks');
    const r = await post(`${base}/hook`);
    expect(r).toMatchObject({ outcome: 'succeeded', statusCode: 202, error: null, responseBody: 'accepted: thanks' });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    const last = seen[seen.length - 1]!;
    expect(last.body).toBe('{"hello":"world"}');
    expect(last.headers['x-test']).toBe('1');
    expect(last.headers['content-length']).toBe('17');
  });

  it('counts a 500 as a failed attempt, with the excerpt of its body', async () => {
    handler = (_req, res) => res.writeHead(500).end('boom');
    expect(await post(`${base}/hook`)).toMatchObject({ outcome: 'http-error', statusCode: 500, error: 'HTTP 500', responseBody: 'boom' });
  });

  it('does not follow a redirect (a redirect to an internal address must not be a way in)', async () => {
    let followed = 0;
    handler = (req, res) => {
      if (req.url === '/elsewhere') followed++;
      res.writeHead(302, { location: `${base}/elsewhere` }).end();
    };
    const r = await post(`${base}/redirect`);
    expect(r).toMatchObject({ outcome: 'http-error', statusCode: 302 });
    expect(r.error).toMatch(/redirects are not followed/);
    expect(followed).toBe(0);
  });

  it('reads at most the configured size of an answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(10_000));
      // Never ends: only the limit lets the attempt finish before its timeout.
    };
    const r = await post(`${base}/big`, { maxResponseBytes: 4_096, timeoutMs: 5_000 });
    expect(r.outcome).toBe('succeeded');
    expect(r.responseBody).toHaveLength(4_096);
    expect(r.durationMs).toBeLessThan(4_000);
  });

  it('gives up after the timeout', async () => {
    handler = () => undefined; // never answers
    const r = await post(`${base}/slow`, { timeoutMs: 300 });
    expect(r).toMatchObject({ outcome: 'timeout', statusCode: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(290);
    expect(r.durationMs).toBeLessThan(2_000);
  });

  it('reports a refused connection as a network error', async () => {
    const r = await post('http://127.0.0.1:1/nothing-listens');
    expect(r.outcome).toBe('network-error');
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it('refuses loopback, private and metadata addresses when nothing is allowed, before connecting', async () => {
    const before = seen.length;
    for (const url of [`${base}/hook`, 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::ffff:10.0.0.1]/', 'https://10.0.0.1/']) {
      const r = await post(url, { policy: STRICT });
      expect({ url, outcome: r.outcome }).toEqual({ url, outcome: 'refused-address' });
    }
    expect(seen.length).toBe(before);
  });

  it('checks the address it connects to, not the one seen at registration (DNS rebinding)', async () => {
    let answer = '93.184.215.14';
    const resolve: Resolver = async () => [{ address: answer, family: 4 }];
    // At registration the name resolves to a public address: accepted.
    await expect(checkDestination('https://rebind.example.test/hook', { ...STRICT, resolve })).resolves.toBeUndefined();
    // By delivery time it points at the loopback interface, where this test's receiver listens.
    answer = '127.0.0.1';
    handler = (_req, res) => res.end('reached');
    const port = (server.address() as AddressInfo).port;
    const before = seen.length;
    // With everything allowed, the name does reach the receiver through the connection's own lookup…
    const allowed = await post(`http://rebind.example.test:${port}/hook`, { policy: { allowance: parseAllowance('true'), resolve } });
    expect(allowed).toMatchObject({ outcome: 'succeeded', responseBody: 'reached' });
    // …and by default that lookup refuses it: nothing is sent.
    const refused = await post(`https://rebind.example.test:${port}/hook`, { policy: { ...STRICT, resolve } });
    expect(refused).toMatchObject({ outcome: 'refused-address' });
    expect(refused.error).toMatch(/resolves to 127\.0\.0\.1, which is a loopback address/);
    expect(seen.length).toBe(before + 1);
  });

  it('refuses a name with any non-public address among its answers', async () => {
    const resolve: Resolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(checkDestination('https://mixed.example.test/', { ...STRICT, resolve })).rejects.toMatchObject({ rule: 'public-address' });
  });

  it('at registration requires https, refuses credentials in the URL and names that do not resolve', async () => {
    await expect(checkDestination('http://93.184.215.14/hook', STRICT)).rejects.toMatchObject({ rule: 'https' });
    await expect(checkDestination('https://user:pw@93.184.215.14/hook', STRICT)).rejects.toMatchObject({ rule: 'credentials' });
    const nxdomain: Resolver = async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    await expect(checkDestination('https://nowhere.example.test/', { ...STRICT, resolve: nxdomain })).rejects.toMatchObject({ rule: 'resolvable' });
    const hangs: Resolver = () => new Promise(() => undefined);
    await expect(checkDestination('https://slow.example.test/', { ...STRICT, resolve: hangs, dnsTimeoutMs: 100 })).rejects.toBeInstanceOf(RefusedDestination);
    await expect(checkDestination('https://93.184.215.14/hook', STRICT)).resolves.toBeUndefined();
  });
});
