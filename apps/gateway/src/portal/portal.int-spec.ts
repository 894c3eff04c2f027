import { connect, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { GatewayModule } from '../app.module';
import { loadGatewayConfig } from '../config';
import { corsOptions } from '../http/cors';
import { hardenedFastifyOptions, installInputGuards } from '../http/input-guard';
import { installConventionHooks } from '../http/conventions';
import { installMethodNotAllowed } from '../http/methods';
import { installRequestContext } from '../http/request-context';
import { installSecurityHeaders } from '../http/security-headers';
import { setupOpenApi } from '../openapi';
import { installPortal } from './portal';
import { loadPortalFiles } from './portal-files';

// The gateway's HTTP surface wired as bootstrap.ts wires it (same hooks, same order, the real
// GatewayModule), without a platform behind it: these requests never reach NATS or PostgreSQL.
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `export const answer = ${JSON.stringify('x'.repeat(50))};\n`.repeat(200);
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
/** Helmet writes `a;b`, the brief `a; b`: the same policy. */
const csp = (header: unknown): string => String(header).split(';').map((d) => d.trim()).join('; ');

async function gateway(env: Record<string, string>): Promise<{ app: NestFastifyApplication; fastify: FastifyInstance }> {
  const unused = new Proxy({}, { get: () => undefined });
  const config = loadGatewayConfig({
    DATABASE_URL: 'postgres://unused.invalid/unused',
    NATS_URL: 'nats://unused.invalid:4222',
    STEWARD_JWT_SECRET: 'unused-'.repeat(8),
    STEWARD_CONTEXT_KEY: 'unused-'.repeat(8),
    STEWARD_CURSOR_KEY: 'unused-'.repeat(8),
    ...env,
  });
  const portal = config.portalDir === null ? null : await loadPortalFiles(config.portalDir);
  const adapter = new FastifyAdapter(hardenedFastifyOptions());
  const fastify = adapter.getInstance();
  installRequestContext(fastify);
  installInputGuards(adapter);
  installMethodNotAllowed(fastify);
  installConventionHooks(fastify);
  await installSecurityHeaders(fastify, { publicUrl: config.publicUrl });
  if (config.portalDir !== null) installPortal(fastify, portal);
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.with({ config, rpc: unused as never, readiness: {}, counters: unused as never, identity: unused as never, apiKeys: unused as never }),
    adapter,
    { logger: false },
  );
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  setupOpenApi(app, config.publicUrl);
  await app.init();
  await fastify.ready();
  return { app, fastify };
}

/** GET with the path sent exactly as written. */
async function rawGet(fastify: FastifyInstance, url: string): Promise<{ status: number; text: string }> {
  if (!fastify.server.listening) await fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = fastify.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  const closed = new Promise((r) => socket.on('close', r));
  await new Promise((r) => socket.once('connect', r));
  socket.write(`GET ${url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await closed;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]), text: data };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'steward-portal-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'index-AbC123.css'), 'body{margin:0}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the gateway serving a built portal', () => {
  let app: NestFastifyApplication;
  let fastify: FastifyInstance;
  beforeAll(async () => ({ app, fastify } = await gateway({ STEWARD_PORTAL_DIR: dir, STEWARD_CORS_ORIGINS: 'https://partner.example.com' })));
  afterAll(() => app.close());

  it.each(['/', '/accounts/123?tier=1', '/tickets/new'])('answers %s with index.html, not cached without asking, under the CSP', async (url) => {
    const r = await fastify.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(csp(r.headers['content-security-policy'])).toBe(CSP);
    expect(r.body).toBe(INDEX);
  });

  it('answers a revalidation of index.html with its ETag by 304', async () => {
    const first = await fastify.inject({ method: 'GET', url: '/' });
    const again = await fastify.inject({ method: 'GET', url: '/customers', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers HEAD like GET, without a body', async () => {
    const page = await fastify.inject({ method: 'HEAD', url: '/accounts/123' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(page.body).toBe('');
    const asset = await fastify.inject({ method: 'HEAD', url: '/assets/index-AbC123.js' });
    expect([asset.statusCode, asset.headers['cache-control'], asset.body]).toEqual([200, 'public, max-age=31536000, immutable', '']);
  });

  it('serves a hashed asset as immutable, with its content type', async () => {
    const js = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-encoding']).toBeUndefined();
    expect(js.body).toBe(SCRIPT);
    const css = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.css' });
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const icon = await fastify.inject({ method: 'GET', url: '/favicon.svg' });
    expect([icon.statusCode, icon.headers['content-type'], icon.headers['cache-control']]).toEqual([200, 'image/svg+xml', 'no-cache']);
  });

  it('compresses an asset with gzip or brotli when the client accepts it', async () => {
    const gz = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect([gz.statusCode, gz.headers['content-encoding'], gz.headers.vary]).toEqual([200, 'gzip', expect.stringContaining('Accept-Encoding')]);
    expect(Number(gz.headers['content-length'])).toBeLessThan(Buffer.byteLength(SCRIPT) / 10);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
    const br = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    const refused = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it.each(['/assets/index-Missing1.js', '/assets/nope', '/nope.js', '/assets/'])('answers a missing file %s with the 404 problem, never index.html', async (url) => {
    const r = await fastify.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).not.toContain('<div id="root">');
  });

  // Over a real socket: an HTTP client (and Fastify's inject) would resolve the dot segments before sending.
  it.each(['/assets/../../etc/passwd', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2findex.html', '/assets/..%5c..%5cindex.html', '/assets/./index-AbC123.js', '//etc/passwd', '/assets/index-AbC123.js%00.html'])(
    'refuses the traversal %s',
    async (url) => {
      const r = await rawGet(fastify, url);
      expect([400, 404]).toContain(r.status);
      expect(r.text).not.toContain('root:');
      expect(r.text).not.toContain('<div id="root">');
      expect(r.text).not.toContain('export const answer');
    },
  );

  it('keeps the API and ops paths: /v1 unknown routes are problem+json 404s, a wrong method a 405', async () => {
    for (const url of ['/v1/nope', '/v1', '/docs/nope', '/metrics', '/readyz/nope']) {
      const r = await fastify.inject({ method: 'GET', url });
      expect([url, r.statusCode, r.headers['content-type']]).toEqual([url, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
    const post = await fastify.inject({ method: 'POST', url: '/accounts/123', payload: {} });
    expect([post.statusCode, post.headers['content-type']]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
    const wrong = await fastify.inject({ method: 'DELETE', url: '/healthz' });
    expect(wrong.statusCode).toBe(405);
  });

  it('sends the security headers on API answers too, with CORS unchanged', async () => {
    const r = await fastify.inject({ method: 'GET', url: '/openapi.json', headers: { origin: 'https://partner.example.com' } });
    expect(r.statusCode).toBe(200);
    expect(csp(r.headers['content-security-policy'])).toBe(CSP);
    expect(r.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': expect.stringContaining('camera=(), microphone=(), geolocation=()'),
      'access-control-allow-origin': 'https://partner.example.com',
    });
    // HSTS only when the public URL is https (not this one).
    expect(r.headers['strict-transport-security']).toBeUndefined();
    const problem = await fastify.inject({ method: 'GET', url: '/v1/nope' });
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
    const preflight = await fastify.inject({ method: 'OPTIONS', url: '/v1/accounts', headers: { origin: 'https://partner.example.com', 'access-control-request-method': 'POST' } });
    expect([preflight.statusCode, preflight.headers['access-control-allow-origin']]).toEqual([204, 'https://partner.example.com']);
  });

  it('keeps /openapi.json and the Swagger UI page, whose scripts are files the CSP allows', async () => {
    const doc = await fastify.inject({ method: 'GET', url: '/openapi.json' });
    expect([doc.statusCode, doc.json().openapi]).toEqual([200, expect.stringMatching(/^3\./)]);
    const page = await fastify.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(csp(page.headers['content-security-policy'])).toBe(CSP);
    // No inline script (script-src 'self' would block it); <style> is allowed by 'unsafe-inline'.
    expect(page.body.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
    const init = await fastify.inject({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    expect(init.statusCode).toBe(200);
  });
});

describe('the gateway without a portal build', () => {
  it('says on / how to build it, with a 404 and not a 500; the API is unaffected', async () => {
    const { app, fastify } = await gateway({ STEWARD_PORTAL_DIR: path.join(dir, 'not-built') });
    try {
      const r = await fastify.inject({ method: 'GET', url: '/' });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('npm run build');
      const asset = await fastify.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
      expect([asset.statusCode, asset.headers['content-type']]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
      expect((await fastify.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('serves nothing at / when STEWARD_PORTAL_DIR is empty (serving off)', async () => {
    const { app, fastify } = await gateway({ STEWARD_PORTAL_DIR: '' });
    try {
      const r = await fastify.inject({ method: 'GET', url: '/' });
      expect([r.statusCode, r.headers['content-type']]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
      expect(csp(r.headers['content-security-policy'])).toBe(CSP);
    } finally {
      await app.close();
    }
  });
});

describe('security headers behind an https public URL', () => {
  it('adds HSTS', async () => {
    const { app, fastify } = await gateway({ STEWARD_PORTAL_DIR: '', STEWARD_PUBLIC_URL: 'https://steward.example.com' });
    try {
      const r = await fastify.inject({ method: 'GET', url: '/openapi.json' });
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await app.close();
    }
  });
});
