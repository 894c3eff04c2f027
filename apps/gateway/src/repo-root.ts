import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest directory up from here with the workspace's nx.json (src and dist alike). */
export function repoRoot(from = __dirname): string {
  const root = findRepoRoot(from);
  if (root === null) throw new Error(`no nx.json above ${from}`);
  return root;
}

/** Like `repoRoot`, but null outside a checkout (an image holds dist/ without nx.json). */
export function findRepoRoot(from = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}
