import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodingFor, type PortalFile, type PortalFiles } from './portal-files';

/** Hashed build output (`assets/<name>-<hash>.js`): a changed file gets a new name, so it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files: the browser asks again each time (a 304 when unchanged). */
export const REVALIDATE = 'no-cache';

/** The API and operations paths: never the portal, whatever they hold (their 404 stays problem+json). */
const API_OR_OPS = /^\/(?:v\d+|docs|openapi\.json|healthz|readyz|metrics)(?:[/.]|$)/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Steward: portal not built</title></head>
<body><h1>The portal is not built</h1>
<p>Build it with <code>npm run build</code> (then restart the gateway), or point <code>STEWARD_PORTAL_DIR</code> at its build.
The API is at <a href="/v1">/v1</a>, its documentation at <a href="/docs">/docs</a>.</p></body></html>
`;

/**
 * Serves the portal (docs/adr/0029-portal-served-by-the-gateway.md) for GET and HEAD requests
 * no route matched, outside the API and ops paths:
 * - a path under /assets/ or with a file extension is a file of the build (`/assets/index-C1.js`,
 *   `/favicon.svg`), or the gateway's ordinary 404 (a missing asset is never index.html);
 * - any other path is a page of the single-page app (`/`, `/accounts/123?tier=1`): index.html.
 * `files` null: the build is missing, and pages say how to make it. The hook runs at preHandler,
 * after every onRequest hook (request context, CORS, security headers, 405 handling).
 */
export function installPortal(fastify: FastifyInstance, files: PortalFiles | null): void {
  fastify.addHook('preHandler', async (req, reply) => {
    if (!req.is404 || (req.method !== 'GET' && req.method !== 'HEAD')) return;
    const target = portalTarget(req.url);
    if (target === null) return;
    if (files === null) {
      if (target.kind !== 'page') return;
      return reply.code(404).header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    const file = files.get(target.kind === 'page' ? '/index.html' : target.path);
    if (!file) return;
    return sendFile(req, reply, file, target.path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
  });
}

/**
 * What a request path asks the portal for; null: not the portal's (API and ops paths, and any
 * path with `..`, `\` or NUL once decoded: refused, so they get the gateway's 404).
 */
export function portalTarget(url: string): { kind: 'page' | 'file'; path: string } | null {
  const raw = url.split('?')[0]!.split('#')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /(^|\/)\.\.?(\/|$)|\\|\0|\/\//.test(decoded)) return null;
  if (API_OR_OPS.test(decoded)) return null;
  const last = decoded.slice(decoded.lastIndexOf('/') + 1);
  return { kind: decoded.startsWith('/assets/') || last.includes('.') ? 'file' : 'page', path: decoded };
}

function sendFile(req: FastifyRequest, reply: FastifyReply, file: PortalFile, cacheControl: string): FastifyReply {
  // CORS may have said Vary: Origin already: add to it.
  const vary = reply.getHeader('vary');
  void reply.header('cache-control', cacheControl).header('etag', file.etag).header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  if (noneMatch(req.headers['if-none-match'], file.etag)) return reply.code(304).send();
  const encoding = encodingFor(req.headers['accept-encoding'], file);
  if (encoding) void reply.header('content-encoding', encoding);
  const body = encoding ? file[encoding]! : file.body;
  void reply.code(200).type(file.contentType);
  // Fastify drops the body of HEAD only on the HEAD routes it adds itself: this is the 404 route.
  if (req.method === 'HEAD') return reply.header('content-length', String(body.length)).send();
  return reply.send(body);
}

function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
