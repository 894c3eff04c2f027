// Compiles apps/*/src, libs/*/src and tools/ to dist/ with swc (type checking is
// `npm run typecheck`). Only files newer than their output are recompiled.
import { transformFile } from '@swc/core';
import { readdir, stat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { swcOptions, root } = require('./swc-options.cjs');
const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(f);

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '__fixtures__') yield* walk(full);
    } else if (isSource(e.name)) yield full;
  }
}

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

const roots = ['apps', 'libs', 'tools'];
const options = swcOptions();
let built = 0;
const jobs = [];
for (const r of roots) {
  for await (const file of walk(path.join(root, r))) {
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
console.log(`build: ${built} file(s) compiled to dist/`);
