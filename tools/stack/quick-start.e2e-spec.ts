import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, deleteTestStreams, expectEventually, freePort, testPrefix, TestDatabase } from '@steward/testing';

// The README's run command, end to end: `npm start` (here its built entrypoint) on a fresh
// database, then the demo admin logs in and /docs shows the API; Ctrl-C stops it cleanly.
const entry = path.resolve(__dirname, '../../dist/tools/stack/start.js');

describe('npm start (local stack)', () => {
  let db: TestDatabase;
  let stack: ChildProcess;
  let output = '';
  let port: number;
  const prefix = testPrefix('stack');
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'steward-stack-'));

  beforeAll(async () => {
    db = await createTestDatabase('stack');
    port = await freePort();
    stack = spawn(process.execPath, [entry], {
      env: {
        ...process.env,
        CI: 'true',
        DATABASE_URL: db.url,
        STEWARD_PORT: String(port),
        STEWARD_ACCOUNTS_OPS_PORT: String(await freePort()),
        STEWARD_NATS_PREFIX: prefix,
        STEWARD_STATE_DIR: stateDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (d) => (output += d));
    stack.stderr!.on('data', (d) => (output += d));
    await expectEventually(
      () => {
        if (stack.exitCode !== null) throw new Error(`the stack exited early (${stack.exitCode}):\n${output}`);
        expect(output).toMatch(/demo tenant (created|already there)/);
      },
      // The demo seed imports a year of tickets and answers through the gateway: minutes on a busy 2-core machine.
      { timeoutMs: 300_000, intervalMs: 250 },
    );
  }, 360_000);

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      stack.kill('SIGKILL');
    }
    await db?.drop();
    await deleteTestStreams(prefix);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('lets the demo admin log in and serves the API docs', async () => {
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'steward-demo' }) });
    expect(login.status).toBe(200);
    const body = (await login.json()) as { accessToken: string; tenant: { slug: string } };
    expect(body.tenant.slug).toBe('demo');
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.status).toBe(200);
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(spec.paths['/v1/auth/login']).toBeDefined();
  });

  it('stops every service on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
    stack.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 30_000);
});
