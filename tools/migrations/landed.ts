/**
 * Landed migrations never change. The manifest (landed.json) holds a checksum of every
 * migration file and of every frozen helper file that migrations call; `checkLanded`
 * reports any difference, and `landNew` adds new migrations and helper versions (it never
 * rewrites an entry). `npm run migrations:land` runs `landNew`; landed.spec.ts runs
 * `checkLanded` in every `npm test`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const MANIFEST = path.join('tools', 'migrations', 'landed.json');

/** Frozen files outside the migration-helpers folders (their helpers are also used at run time). */
const ALSO_FROZEN = [path.join('libs', 'persistence', 'src', 'roles.ts')];

export interface Manifest {
  helpers: Record<string, string>;
  migrations: Record<string, string>;
}

const posix = (p: string) => p.split(path.sep).join('/');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file, 'utf8').replace(/\r\n/g, '\n')).digest('hex');

function filesIn(root: string, dir: string, accept: (name: string) => boolean): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter(accept)
    .sort()
    .map((f) => posix(path.join(dir, f)));
}

function subdirs(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Every migration file of every app (`apps/<app>/src/migrations/*.ts`, not index.ts). */
export function migrationFiles(root: string): string[] {
  return subdirs(root, 'apps').flatMap((app) => filesIn(root, path.join('apps', app, 'src', 'migrations'), (f) => f.endsWith('.ts') && f !== 'index.ts' && !/\.(spec|int-spec)\.ts$/.test(f)));
}

/** Every frozen helper file: `libs/<lib>/src/migration-helpers/v<N>.ts` and the listed extras. */
export function helperFiles(root: string): string[] {
  const versioned = subdirs(root, 'libs').flatMap((lib) => filesIn(root, path.join('libs', lib, 'src', 'migration-helpers'), (f) => /^v\d+\.ts$/.test(f)));
  return [...versioned, ...ALSO_FROZEN.map(posix).filter((f) => existsSync(path.join(root, f)))];
}

export function readManifest(root: string): Manifest {
  const file = path.join(root, MANIFEST);
  if (!existsSync(file)) return { helpers: {}, migrations: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Names a file exports (functions, constants, classes, types). */
function exportedNames(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  return new Set([...text.matchAll(/export\s+(?:async\s+)?(?:function|const|let|class|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!));
}

/** Named imports of a migration: `[{ names, from }]`. */
function importsOf(file: string): Array<{ names: string[]; from: string }> {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)].map((m) => ({
    names: m[1]!
      .split(',')
      .map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!)
      .filter(Boolean),
    from: m[2]!,
  }));
}

/** Everything that breaks "landed migrations never change"; empty when all holds. */
export function checkLanded(root: string, manifest: Manifest = readManifest(root)): string[] {
  const problems: string[] = [];
  const helpers = helperFiles(root);
  for (const [file, sum] of Object.entries(manifest.helpers)) {
    if (!existsSync(path.join(root, file))) problems.push(`frozen helper ${file} was removed: landed migrations call it; restore it`);
    else if (sha256(path.join(root, file)) !== sum) problems.push(`frozen helper ${file} was edited: landed migrations call it. Restore it and put the change in a new version (migration-helpers/v<N+1>.ts)`);
  }
  for (const file of helpers) if (!(file in manifest.helpers)) problems.push(`helper file ${file} is not in ${posix(MANIFEST)}: run \`npm run migrations:land\``);

  const migrations = migrationFiles(root);
  for (const [file, sum] of Object.entries(manifest.migrations)) {
    if (!existsSync(path.join(root, file))) problems.push(`landed migration ${file} was removed: restore it (a landed migration is history)`);
    else if (sha256(path.join(root, file)) !== sum) problems.push(`landed migration ${file} was edited: restore it and write a new migration for the change`);
  }
  for (const file of migrations) if (!(file in manifest.migrations)) problems.push(`migration ${file} is not in ${posix(MANIFEST)}: run \`npm run migrations:land\` once it is final`);

  // A migration may call only frozen helpers: anything else it imports from Steward could change under it.
  const frozen = new Set(helpers.flatMap((f) => [...exportedNames(path.join(root, f))]));
  for (const file of migrations) {
    for (const imp of importsOf(path.join(root, file))) {
      if (imp.from.startsWith('.')) problems.push(`${file} imports ${imp.from}: a migration may import only typeorm and frozen helpers`);
      else if (imp.from.startsWith('@steward/')) {
        for (const name of imp.names) if (!frozen.has(name)) problems.push(`${file} imports ${name} from ${imp.from}, which is not a frozen migration helper`);
      }
    }
  }
  return problems;
}

/**
 * Adds new migrations and helper files to the manifest (only the files named in `only`,
 * when given, so a colleague's draft migration stays unlanded); refuses while a landed
 * file differs or a migration being landed imports unfrozen code.
 */
export function landNew(root: string, only: readonly string[] = []): { added: string[]; problems: string[] } {
  const manifest = readManifest(root);
  const named = only.map(posix);
  const wanted = (f: string) => named.length === 0 || named.includes(f);
  // Problems of unlanded files not being landed now are theirs to fix later.
  const concerns = (p: string) => !p.includes('is not in') && (!/ imports /.test(p) || named.length === 0 || named.some((f) => p.startsWith(f)));
  const changed = checkLanded(root, manifest).filter(concerns);
  if (changed.length) return { added: [], problems: changed };
  const added: string[] = [];
  const record = (into: Record<string, string>, files: string[]) => {
    for (const file of files.filter((f) => !(f in into) && wanted(f))) {
      into[file] = sha256(path.join(root, file));
      added.push(file);
    }
  };
  record(manifest.helpers, helperFiles(root));
  record(manifest.migrations, migrationFiles(root));
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  mkdirSync(path.dirname(path.join(root, MANIFEST)), { recursive: true });
  writeFileSync(path.join(root, MANIFEST), `${JSON.stringify({ helpers: sorted(manifest.helpers), migrations: sorted(manifest.migrations) }, null, 2)}\n`);
  return { added, problems: [] };
}
