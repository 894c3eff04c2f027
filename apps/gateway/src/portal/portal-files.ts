import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** One file of the portal's build, held in memory with its compressed forms. */
export interface PortalFile {
  body: Buffer;
  contentType: string;
  /** Strong ETag of the bytes (`"<sha256, 16 hex>"`). */
  etag: string;
  /** Present only when smaller than the body. */
  br?: Buffer;
  gzip?: Buffer;
}

/** The portal's build, read once at start: URL path (`/index.html`, `/assets/index-C1.js`) to file. */
export type PortalFiles = ReadonlyMap<string, PortalFile>;

/** More than this is not a portal build (a wrong STEWARD_PORTAL_DIR): refuse to hold it in memory. */
export const MAX_PORTAL_BYTES = 64 * 1024 * 1024;
const MAX_PORTAL_FILES = 2000;
/** Smaller bodies gain nothing worth the Content-Encoding. */
const MIN_COMPRESS_BYTES = 1024;

// What a Vite build holds; anything else is served as bytes.
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};
// Source maps (most of the build's bytes, fetched only by developer tools) are sent as they are:
// compressing them would add seconds to every start.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.txt', '.svg', '.ico', '.ttf', '.wasm']);

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Reads the portal's build (`dist/portal`) into memory and compresses what compresses (brotli
 * and gzip, once, here: not per request). Null when the directory or its index.html is missing
 * (not built yet). Only regular files are read (no symbolic links, no dot-files), so what can
 * be served is exactly this list: a request path is looked up in it, never joined to a
 * directory, and no path can reach outside it.
 */
export async function loadPortalFiles(dir: string): Promise<PortalFiles | null> {
  const found: Array<{ abs: string; urlPath: string }> = [];
  let bytes = 0;
  const walk = async (at: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(abs, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        bytes += (await lstat(abs)).size;
        found.push({ abs, urlPath: `${prefix}${entry.name}` });
        if (found.length > MAX_PORTAL_FILES || bytes > MAX_PORTAL_BYTES) {
          throw new Error(`STEWARD_PORTAL_DIR (${dir}) holds more than ${MAX_PORTAL_FILES} files or ${MAX_PORTAL_BYTES / 1024 / 1024} MiB: it is not the portal's build`);
        }
      }
    }
  };
  try {
    await walk(dir, '/');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
  if (!found.some((f) => f.urlPath === '/index.html')) return null;
  const files = new Map<string, PortalFile>();
  await Promise.all(
    found.map(async ({ abs, urlPath }) => {
      files.set(urlPath, await portalFile(urlPath, await readFile(abs)));
    }),
  );
  return files;
}

async function portalFile(urlPath: string, body: Buffer): Promise<PortalFile> {
  const file: PortalFile = { body, contentType: contentTypeOf(urlPath), etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"` };
  if (body.length < MIN_COMPRESS_BYTES || !COMPRESSIBLE.has(path.extname(urlPath).toLowerCase())) return file;
  // Brotli 9: measured on the portal's 870 kB main chunk, 250 kB in 0.25 s; quality 11 saves 8% more in 1.6 s of start-up.
  const [br, gz] = await Promise.all([brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }), gzipped(body, { level: 9 })]);
  if (br.length < body.length) file.br = br;
  if (gz.length < body.length) file.gzip = gz;
  return file;
}

/**
 * The encoding to send for an Accept-Encoding header: `br` before `gzip` (smaller) unless the
 * client weights gzip higher; q=0 refuses one; `*` stands for any not named; none: identity.
 */
export function encodingFor(acceptEncoding: string | undefined, available: { br?: unknown; gzip?: unknown }): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weightOf = (name: string): number => weights.get(name) ?? (name === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  const candidates = (['br', 'gzip'] as const).filter((e) => available[e] !== undefined && weightOf(e) > 0);
  if (candidates.length === 0) return null;
  return candidates.reduce((best, e) => (weightOf(e) > weightOf(best) ? e : best));
}
