/**
 * docker-compose.yml without a Docker engine: interpolated as `docker compose` does with the
 * .env `npm run compose:env` writes, validated against the compose specification's schema
 * and linted (dclint, which ships the schema), and checked for what the stack promises:
 * every service, healthchecks, migrations first, non-superuser logins, every required variable.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DCLinter } from 'dclint';
import { parse, stringify } from 'yaml';
import { findRepoRoot } from '../stack/config';
import { natsPasswordVariable } from '../stack/nats-config';
import { SERVICES } from '../stack/services';
import { composeEnv, parseDotEnv, requiredComposeVariables } from './compose-env';
import { dbPasswordVariable } from './db-login';

const root = findRepoRoot(__dirname);
const source = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (m, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (m === '$$') return '$';
    const v = env[name!];
    const unsetOrEmpty = v === undefined || (op?.startsWith(':') && v === '');
    if (op === ':-' || op === '-') return unsetOrEmpty ? arg! : v!;
    if (op === ':?' || op === '?') {
      if (unsetOrEmpty) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return v!;
    }
    return v ?? '';
  });
}

const walk = (node: unknown, env: Record<string, string | undefined>): unknown => {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => walk(n, env));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, env)]));
  return node;
};

/** The configuration `docker compose config` would print (anchors and merge keys resolved). */
const resolved = (env: Record<string, string | undefined>): Any => walk(parse(source, { merge: true }), env);
const generatedEnv = parseDotEnv(composeEnv(source).text);
const appServices = SERVICES.map((s) => s.name);

function lint(yamlText: string): Array<[string, string]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-compose-'));
  try {
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, yamlText);
    // Style-only rules (key order, quote style) off; the schema and the correctness and security rules on.
    // no-build-and-image off: every app service builds the one image and names it (steward:local) on purpose.
    const linter = new DCLinter({
      rules: { 'no-build-and-image': 0, 'service-keys-order': 0, 'services-alphabetical-order': 0, 'service-dependencies-alphabetical-order': 0, 'require-quotes-in-ports': 0, 'top-level-properties-order': 0 },
      quiet: true,
      debug: false,
      exclude: [],
    });
    const results: Array<{ messages: Array<{ rule: string; message: string }> }> = linter.lintFiles([file], false);
    return results.flatMap((r) => r.messages.map((m) => [m.rule, m.message] as [string, string]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('docker-compose.yml', () => {
  it('refuses to start without its secrets, naming the first missing one (as `docker compose up` does)', () => {
    expect(() => resolved({})).toThrow(/required variable [A-Z_]+ is missing a value: set [A-Z_]+/);
    expect(() => resolved({ ...generatedEnv, POSTGRES_PASSWORD: '' })).toThrow(/required variable POSTGRES_PASSWORD is missing a value/);
  });

  it('has every required variable set by `npm run compose:env`, which keeps values already in .env', () => {
    const required = requiredComposeVariables(source);
    for (const v of ['POSTGRES_PASSWORD', 'STEWARD_JWT_SECRET', 'STEWARD_OPERATOR_TOKEN', 'STEWARD_CONTEXT_KEY', 'STEWARD_CURSOR_KEY', 'GRAFANA_ADMIN_PASSWORD']) expect(required).toContain(v);
    for (const s of appServices) expect(required).toEqual(expect.arrayContaining([natsPasswordVariable(s), dbPasswordVariable(s)]));
    expect(Object.keys(generatedEnv).sort()).toEqual([...required].sort());
    for (const v of Object.values(generatedEnv)) expect(v).toMatch(/^[A-Za-z0-9_-]{48}$/);
    const again = composeEnv(source, 'POSTGRES_PASSWORD=mine\n');
    expect(parseDotEnv(again.text).POSTGRES_PASSWORD).toBe('mine');
    expect(again.added).not.toContain('POSTGRES_PASSWORD');
    expect(() => resolved(generatedEnv)).not.toThrow();
  });

  it('validates against the compose specification schema and passes dclint, as written and interpolated', () => {
    expect(lint(source)).toEqual([]);
    expect(lint(stringify(resolved(generatedEnv)))).toEqual([]);
    // The schema check bites: an unknown key or a wrong restart policy is refused.
    const broken = resolved(generatedEnv);
    broken.services.gateway.restart_policy = 'always';
    expect(lint(stringify(broken)).map(([rule]) => rule)).toContain('invalid-schema');
  });

  it('runs every service with a healthcheck, after the migrations and NATS, logging in to PostgreSQL and NATS as itself (never the superuser)', () => {
    const c = resolved(generatedEnv);
    for (const name of appServices) {
      const s = c.services[name];
      expect({ name, command: s?.command }).toEqual({ name, command: [`dist/apps/${name}/src/main.js`] });
      expect(s.healthcheck.test.join(' ')).toMatch(/\/readyz/);
      expect(s.depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(s.depends_on.nats.condition).toBe('service_healthy');
      const db = new URL(s.environment.DATABASE_URL);
      expect(db.username).toBe(`steward_${name}_login`);
      expect(decodeURIComponent(db.password)).toBe(generatedEnv[dbPasswordVariable(name)]);
      expect(s.environment).toMatchObject({ NATS_USER: name, NATS_PASSWORD: generatedEnv[natsPasswordVariable(name)], STEWARD_CONTEXT_KEY: generatedEnv.STEWARD_CONTEXT_KEY, STEWARD_CURSOR_KEY: generatedEnv.STEWARD_CURSOR_KEY });
    }
    for (const name of appServices.filter((n) => n !== 'gateway')) expect(c.services.gateway.depends_on[name]?.condition).toBe('service_healthy');
    expect(c.services.gateway.environment).toMatchObject({ STEWARD_JWT_SECRET: generatedEnv.STEWARD_JWT_SECRET, STEWARD_OPERATOR_TOKEN: generatedEnv.STEWARD_OPERATOR_TOKEN });
    // Published ports listen on loopback only.
    for (const s of Object.values<Any>(c.services)) for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it("checks and scrapes every service on its ops port (the gateway's too, never its API port)", () => {
    const c = resolved(generatedEnv);
    const prometheus = parse(readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[]; labels: { service: string } }> }> };
    const targets = prometheus.scrape_configs.flatMap((j) => j.static_configs.flatMap((sc) => sc.targets.map((t) => [sc.labels.service, t])));
    for (const name of appServices) {
      const s = c.services[name];
      const ops = s.environment.OPS_PORT as string;
      expect({ name, ops }).toEqual({ name, ops: expect.stringMatching(/^9\d{3}$/) });
      expect(s.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${ops}/readyz`);
      expect(s.expose).toContain(ops);
      expect(targets).toContainEqual([name, `${name}:${ops}`]);
    }
    expect(c.services.gateway.environment).toMatchObject({ PORT: '3000', OPS_PORT: '9100' });
    expect(targets.filter(([service]) => service === 'gateway')).toEqual([['gateway', 'gateway:9100']]);
    expect(targets).toHaveLength(appServices.length);
  });

  it('migrates every service as the owner role, then provisions each service login, before anything starts', () => {
    const migrate = resolved(generatedEnv).services.migrate;
    const steps = migrate.command[0].split(' && ');
    expect(steps).toEqual([...SERVICES.filter((s) => s.migrations).map((s) => `node dist/apps/${s.name}/src/migrate.js`), 'node dist/tools/deploy/db-login.js --all']);
    expect(new URL(migrate.environment.DATABASE_URL).username).toBe('steward');
    for (const s of appServices) expect(migrate.environment[dbPasswordVariable(s)]).toBe(generatedEnv[dbPasswordVariable(s)]);
  });

  it('has an optional observability profile (OTel Collector, Prometheus, Grafana, Jaeger) whose mounted files exist', () => {
    const c = resolved(generatedEnv);
    for (const name of ['otel-collector', 'prometheus', 'grafana', 'jaeger']) expect(c.services[name].profiles).toEqual(['observability']);
    for (const s of Object.values<Any>(c.services)) {
      for (const v of s.volumes ?? []) {
        const [from] = String(v).split(':');
        if (from!.startsWith('./')) expect({ mount: from, exists: existsSync(path.join(root, from!)) }).toEqual({ mount: from, exists: true });
      }
    }
  });
});
