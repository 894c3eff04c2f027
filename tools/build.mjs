// Compiles apps/*/src, libs/*/src and tools/ to dist/ with swc (type checking is
// `npm run typecheck`). Only files newer than their output are recompiled. The portal
// (apps/portal, React) is built by Vite into dist/portal when any of its sources, or the
// API client it uses, is newer than the last build.
import { spawnSync } from 'node:child_process';
import { transformFile } from '@swc/core';
import { readdir, stat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { swcOptions, root } = require('./swc-options.cjs');
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(f);

/** Every file under `dir` that `keep` accepts, skipping the folders `skipDir` names. */
async function* walk(dir, skipDir, keep) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !skipDir(e.name, full)) yield* walk(full, skipDir, keep);
    } else if (keep(e.name)) yield full;
  }
}

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds the portal with Vite unless dist/portal is newer than everything it is made of. */
async function buildPortal() {
  const built = await mtime(path.join(root, 'dist', 'portal', 'index.html'));
  let newest = 0;
  for (const dir of [PORTAL, path.join(root, 'libs', 'api-client', 'src')]) {
    for await (const file of walk(dir, (name) => name === 'e2e', (name) => !/\.(spec|e2e-spec)\.tsx?$/.test(name))) newest = Math.max(newest, await mtime(file));
  }
  if (built >= newest) return false;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', PORTAL], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('build: the portal did not build (see above)');
    process.exit(1);
  }
  return true;
}

const PORTAL = path.join(root, 'apps', 'portal');
const roots = ['apps', 'libs', 'tools'];
const options = swcOptions();
let built = 0;
const jobs = [];
for (const r of roots) {
  for await (const file of walk(path.join(root, r), (name, full) => name === '__fixtures__' || full === PORTAL, isSource)) {
    const rel = path.relative(root, file);
    const out = path.join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    jobs.push(
      (async () => {
        if ((await mtime(out)) >= (await mtime(file))) return;
        const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
        await mkdir(path.dirname(out), { recursive: true });
        await writeFile(out, map ? `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n` : code);
        if (map) await writeFile(`${out}.map`, map);
        built += 1;
      })(),
    );
  }
}
await Promise.all(jobs);
const portal = process.env.STEWARD_SKIP_PORTAL_BUILD === 'true' ? false : await buildPortal();
console.log(`build: ${built} file(s) compiled to dist/${portal ? ', portal built to dist/portal' : ''}`);
