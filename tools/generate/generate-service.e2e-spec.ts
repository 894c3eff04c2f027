/**
 * The service generator, end to end: a throwaway copy of this workspace gets a generated
 * service, which must type-check, lint, build, pass its own generated tests, run in
 * `npm start` (the launcher, with nothing edited by hand) and answer through the gateway.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, deleteTestStreams, expectEventually, freePort, testPrefix, TestDatabase } from '@steward/testing';
import { renderChart } from '../deploy/chart';
import { copyWorkspace } from './service-generator';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');
const NAME = 'probe';

describe('npm run generate:service', () => {
  let copy: string;
  let db: TestDatabase;
  let stack: ChildProcess | undefined;
  let output = '';
  const prefix = testPrefix('gensvc');
  let port: number;

  // Generous limits: the suite runs beside browser and platform tests (a whole-repo tsc passed 120 s at load 12).
  // A failure says whether it was the limit and shows the command's output (tsc prints its errors on stdout).
  const inCopy = async (cmd: string, args: string[], timeout = 300_000) => {
    try {
      return await run(cmd, args, { cwd: copy, timeout, env: { ...process.env, NX_DAEMON: 'false', CI: 'true' }, maxBuffer: 32 * 1024 * 1024 });
    } catch (err) {
      const e = err as Error & { stdout?: string; killed?: boolean; signal?: string };
      e.message += `${e.killed ? ` (stopped by ${e.signal ?? 'a signal'} after ${timeout} ms)` : ''}\n${(e.stdout ?? '').slice(-4_000)}`;
      throw e;
    }
  };
  const node = (args: string[], timeout?: number) => inCopy(process.execPath, args, timeout);
  const bin = (name: string) => path.join(copy, 'node_modules', '.bin', name);

  beforeAll(async () => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'steward-generate-'));
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repo }).toString().split('\0').filter(Boolean);
    copyWorkspace(files, repo, copy);
    symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    db = await createTestDatabase('gensvc');
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    if (stack && stack.exitCode === null) stack.kill('SIGKILL');
    await db?.drop();
    await deleteTestStreams(prefix);
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('generates a service that type-checks, lints, builds and passes its own tests', async () => {
    await node(['tools/build.mjs']);
    const { stdout } = await node(['dist/tools/generate/service.js', NAME]);
    expect(stdout).toContain(`Generated the ${NAME} service`);
    // The second run of the same name refuses to overwrite.
    await expect(node(['dist/tools/generate/service.js', NAME])).rejects.toMatchObject({ stderr: expect.stringContaining(`apps/${NAME} already exists`) });

    await inCopy(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    await inCopy(bin('nx'), ['show', 'projects']);
    await inCopy(bin('eslint'), [`apps/${NAME}`, 'apps/gateway/src/routes', `libs/contracts/src/${NAME}`, 'libs/contracts/src/registry.ts', 'tools/stack/services.ts', '--max-warnings', '0']);
    await node(['tools/build.mjs']);
    const tests = await inCopy(bin('jest'), ['--selectProjects', 'unit', 'integration', '--testPathPatterns', `apps/${NAME}/`, '--json']);
    const report = JSON.parse(tests.stdout) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
    expect(report).toMatchObject({ numFailedTests: 0, numTotalTestSuites: 2 });
    expect(report.numPassedTests).toBeGreaterThanOrEqual(8);
    // Its migration is landed, and the stack, compose and lint know it.
    expect(readFileSync(path.join(copy, 'tools/migrations/landed.json'), 'utf8')).toContain(`apps/${NAME}/src/migrations/`);
    expect(readFileSync(path.join(copy, 'docker-compose.yml'), 'utf8')).toContain(`dist/apps/${NAME}/src/main.js`);
    expect(readFileSync(path.join(copy, 'tools/stack/services.ts'), 'utf8')).toContain(`name: '${NAME}'`);

    // The Helm chart deploys it with the others (its template folder, values block, NATS user,
    // values table), compose's Prometheus scrapes it; and the chart and compose suites pass in
    // the copy: lint, schemas, NATS permissions in sync with the rebuilt contracts.
    const objects = renderChart({
      chartDir: path.join(copy, 'helm/steward'),
      set: { 'postgresql.external.host': 'pg', 'postgresql.external.migratorSecret.name': 'migrator', 'nats.external.url': 'nats://nats:4222', 'nats.authConfig.enabled': true },
    });
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
      expect(objects.filter((x) => x.kind === kind).map((x) => x.metadata.name)).toContain(`steward-${NAME}`);
    }
    expect(objects.filter((x) => x.kind === 'Job').map((x) => x.metadata.name)).toContain(`steward-${NAME}-migrate`);
    expect(objects.find((x) => x.kind === 'ConfigMap')!.data!['auth.conf']).toContain(`user: "${NAME}"`);
    expect(readFileSync(path.join(copy, 'deploy/prometheus/prometheus.yml'), 'utf8')).toMatch(new RegExp(`targets: \\["${NAME}:\\d+"\\]`));
    const deploySuites = await inCopy(bin('jest'), ['--selectProjects', 'unit', '--testPathPatterns', 'tools/deploy/(chart|compose)\\.spec', '--json']);
    expect(JSON.parse(deploySuites.stdout)).toMatchObject({ numFailedTests: 0, numTotalTestSuites: 2 });
  }, 600_000);

  it('runs in npm start with the other services and answers through the gateway', async () => {
    stack = spawn(process.execPath, ['dist/tools/stack/start.js'], {
      cwd: copy,
      env: { ...process.env, CI: 'true', DATABASE_URL: db.url, STEWARD_PORT: String(port), STEWARD_OPS_PORTS: 'free', STEWARD_NATS_PREFIX: prefix, STEWARD_STATE_DIR: path.join(copy, '.steward'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (d) => (output += d));
    stack.stderr!.on('data', (d) => (output += d));
    await expectEventually(
      () => {
        if (stack!.exitCode !== null) throw new Error(`the stack exited early (${stack!.exitCode}):\n${output}`);
        expect(output).toContain('Steward is up.');
      },
      // Up after the demo seed (a year of tickets and answers through the gateway): minutes on a busy 2-core machine.
      { timeoutMs: 300_000, intervalMs: 250 },
    );
    expect(output).toMatch(new RegExp(`starting Steward locally \\(accounts, [a-z, ]*${NAME}, gateway\\)`));
    expect(output).toMatch(new RegExp(`${NAME} http://127\\.0\\.0\\.1:\\d+/metrics`));

    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'steward-demo' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/v1/${NAME}/samples`, { method: 'POST', headers: auth, body: JSON.stringify({ label: ' First   sample ' }) });
    expect(created.status).toBe(201);
    const sample = (await created.json()) as { id: string; label: string };
    expect(sample.label).toBe('First sample');
    const list = (await (await fetch(`${base}/v1/${NAME}/samples`, { headers: auth })).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((s) => s.id)).toEqual([sample.id]);
    // A domain rule broken by the input: a 400 problem naming the field and the rule, not a 500.
    const refused = await fetch(`${base}/v1/${NAME}/samples`, { method: 'POST', headers: auth, body: JSON.stringify({ label: '12345' }) });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'label', rule: 'label-not-descriptive', message: 'must contain at least one letter' }] });
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(spec.paths[`/v1/${NAME}/samples`]).toBeDefined();

    const exited = new Promise<number | null>((resolve) => stack!.once('exit', (code) => resolve(code)));
    stack.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 420_000);
});
