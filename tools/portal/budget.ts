// `npm run portal:budget`: the portal's budgets, measured on its build (dist/portal).
// - Initial JavaScript: what the browser must fetch before the first page can run — the entry
//   script of index.html, its modulepreloads and every chunk they import statically (never the
//   lazily loaded pages) — gzipped at level 9 as the gateway serves it; budget 300 KB.
// - Accounts list interactive: read from tmp/portal-perf.json, written by the portal's
//   end-to-end pages test in Chromium on the local stack with the demo data; budget 2 s
//   (reported, not asserted: a timed test would be flaky on a loaded machine).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const INITIAL_JS_BUDGET_BYTES = 300 * 1024;
export const ACCOUNTS_INTERACTIVE_BUDGET_MS = 2_000;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface InitialJs {
  chunks: ChunkSize[];
  gzip: number;
  brotli: number;
  bytes: number;
}

/** Static imports of an ES module chunk (`import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`), not `import("./x.js")`. */
export function staticImports(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) found.add(m[1]!);
  return [...found];
}

/** The scripts index.html loads before anything else: its module entries and modulepreloads. */
export function entryScripts(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) found.add(m[1]!);
  return [...found];
}

/** Every chunk the first page needs, following static imports from the entries. */
export function initialJs(portalDir: string): InitialJs {
  const html = readFileSync(path.join(portalDir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const todo = entryScripts(html).map((src) => path.join(portalDir, src.replace(/^\//, '')));
  const chunks: ChunkSize[] = [];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const body = readFileSync(file);
    chunks.push({
      file: path.relative(portalDir, file),
      bytes: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length,
    });
    for (const rel of staticImports(body.toString('utf8'))) todo.push(path.resolve(path.dirname(file), rel));
  }
  chunks.sort((a, b) => b.gzip - a.gzip);
  const sum = (k: 'gzip' | 'brotli' | 'bytes') => chunks.reduce((n, c) => n + c[k], 0);
  return { chunks, gzip: sum('gzip'), brotli: sum('brotli'), bytes: sum('bytes') };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const portalDir = path.join(root, 'dist', 'portal');
  if (!existsSync(path.join(portalDir, 'index.html'))) {
    console.error('portal budget: dist/portal is not built (npm run build)');
    process.exit(2);
  }
  const js = initialJs(portalDir);
  const jsOk = js.gzip <= INITIAL_JS_BUDGET_BYTES;
  console.log(`initial JavaScript: ${kb(js.gzip)} gzip (${kb(js.brotli)} brotli, ${kb(js.bytes)} raw) of ${kb(INITIAL_JS_BUDGET_BYTES)} budget — ${jsOk ? 'ok' : 'OVER BUDGET'}`);
  for (const c of js.chunks) console.log(`  ${c.file}: ${kb(c.gzip)} gzip`);
  const perfFile = path.join(root, 'tmp', 'portal-perf.json');
  if (existsSync(perfFile)) {
    const perf = JSON.parse(readFileSync(perfFile, 'utf8')) as { medianMs: number; runs: number[]; measuredAt: string };
    const ok = perf.medianMs < ACCOUNTS_INTERACTIVE_BUDGET_MS;
    console.log(`accounts list interactive: median ${perf.medianMs} ms over ${perf.runs.length} loads (${perf.runs.join(', ')} ms), measured ${perf.measuredAt} — ${ok ? 'ok' : 'OVER BUDGET'} (budget ${ACCOUNTS_INTERACTIVE_BUDGET_MS} ms)`);
  } else {
    console.log('accounts list interactive: not measured yet (the portal end-to-end pages test writes tmp/portal-perf.json)');
  }
  process.exit(jsOk ? 0 : 1);
}

if (require.main === module) main();
