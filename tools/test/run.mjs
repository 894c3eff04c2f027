// `npm test`: type-check, lint, then every Jest project (unit, integration, e2e) in one
// run. Ends with one line `N passed, N failed` taken from Jest's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args, env = {}) => {
  console.log(`\n== ${label}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', ...env } });
  console.log(`== ${label}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
};

const extra = process.argv.slice(2);
const checks = [];
if (!extra.length) {
  checks.push(['typecheck', run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])]);
  // The portal against the generated API client: an API change that breaks a page fails here.
  checks.push(['typecheck portal', run('typecheck portal', bin('tsc'), ['-p', 'apps/portal/tsconfig.json', '--noEmit'])]);
  checks.push(['lint', run('lint', 'npm', ['run', '--silent', 'lint'])]);
}

mkdirSync(path.join(root, 'tmp'), { recursive: true });
const report = path.join(root, 'tmp', 'jest-results.json');
rmSync(report, { force: true });
const jestOk = run('jest', bin('jest'), ['--maxWorkers=2', '--json', `--outputFile=${report}`, ...extra]);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
}
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
if (failedChecks.length) console.log(`\nfailed checks: ${failedChecks.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(jestOk && failedChecks.length === 0 && failed === 0 ? 0 : 1);
