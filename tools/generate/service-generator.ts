/**
 * `npm run generate:service -- <name>`: a new NATS service that boots, answers through the
 * gateway and runs in `npm start`, with no hand edits. It renders the templates under
 * templates/service and adds the service to the lists that name every service, each at a
 * `generate:service adds … above this line` marker.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHART_NATS_PERMISSIONS } from '../deploy/chart-nats';
import { landNew } from '../migrations/landed';

export interface GenerateOptions {
  root: string;
  name: string;
  /** Migration timestamp (tests pin it); default now. */
  now?: number;
}

export interface Generated {
  created: string[];
  edited: string[];
  opsPort: number;
}

const RESERVED = new Set(['gateway', 'e2e', 'tools', 'portal', 'contracts', 'messaging', 'persistence', 'telemetry', 'testing', 'kit', 'steward']);

/** A service name: lower-case letters and digits, starting with a letter (it names a schema, roles, subjects and env variables). */
export function checkName(name: string, root: string): string | null {
  if (!/^[a-z][a-z0-9]{1,19}$/.test(name)) return `"${name}" is not a service name: 2–20 lower-case letters and digits, starting with a letter (e.g. support)`;
  if (RESERVED.has(name)) return `"${name}" is reserved`;
  if (existsSync(path.join(root, 'apps', name))) return `apps/${name} already exists`;
  if (existsSync(path.join(root, 'libs', 'contracts', 'src', name))) return `libs/contracts/src/${name} already exists`;
  return null;
}

export function tokens(name: string, opsPort: number, ts: number): Record<string, string> {
  const camel = name;
  return { name, camel, Name: name[0]!.toUpperCase() + name.slice(1), NAME: name.toUpperCase(), opsPort: String(opsPort), ts: String(ts) };
}

const render = (text: string, t: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => t[k] ?? m);
const renderPath = (p: string, t: Record<string, string>) => p.replace(/__name__/g, t.name!).replace(/__ts__/g, t.ts!).replace(/\.tpl$/, '');

function templateFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? templateFiles(full, base) : [path.relative(base, full)];
  });
}

/** Inserts `text` just above the marker line of `file` (the marker names the list). */
export function insertAtMarker(root: string, file: string, text: string): void {
  const full = path.join(root, file);
  const source = readFileSync(full, 'utf8');
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.includes('generate:service adds'));
  if (at < 0) throw new Error(`${file} has no "generate:service adds … above this line" marker`);
  lines.splice(at, 0, ...text.replace(/\n$/, '').split('\n'));
  writeFileSync(full, lines.join('\n'));
}

/** Adds a line after the last line matching `after` (imports). */
function insertAfterLast(root: string, file: string, after: RegExp, text: string): void {
  const full = path.join(root, file);
  const lines = readFileSync(full, 'utf8').split('\n');
  const at = lines.reduce((last, l, i) => (after.test(l) ? i : last), -1);
  if (at < 0) throw new Error(`${file}: nothing matches ${after}`);
  lines.splice(at + 1, 0, text);
  writeFileSync(full, lines.join('\n'));
}

function replaceOnce(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const source = readFileSync(full, 'utf8');
  if (!source.includes(from)) throw new Error(`${file}: cannot find ${JSON.stringify(from)}`);
  writeFileSync(full, source.replace(from, to));
}

/** The next free local ops port after the existing services' (9101 accounts, 9102 …). */
export function nextOpsPort(root: string): number {
  const services = readFileSync(path.join(root, 'tools', 'stack', 'services.ts'), 'utf8');
  const ports = [...services.matchAll(/opsPort:\s*(\d+)/g)].map((m) => Number(m[1]));
  return Math.max(9100, ...ports) + 1;
}

export function generateService(o: GenerateOptions): Generated {
  const problem = checkName(o.name, o.root);
  if (problem) throw new Error(problem);
  const opsPort = nextOpsPort(o.root);
  const t = tokens(o.name, opsPort, o.now ?? Date.now());
  const templates = path.join(o.root, 'tools', 'generate', 'templates', 'service');
  const created: string[] = [];
  for (const rel of templateFiles(templates)) {
    const out = renderPath(rel, t);
    const full = path.join(o.root, out);
    if (existsSync(full)) throw new Error(`${out} already exists`);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, render(readFileSync(path.join(templates, rel), 'utf8'), t));
    created.push(out.split(path.sep).join('/'));
  }

  const edited: string[] = [];
  const edit = (file: string, fn: () => void) => {
    fn();
    edited.push(file);
  };
  edit('libs/contracts/src/registry.ts', () => {
    insertAfterLast(o.root, 'libs/contracts/src/registry.ts', /from '\.\/\w+\/contract';$/, `import { ${t.camel}Contract } from './${t.name}/contract';`);
    insertAtMarker(o.root, 'libs/contracts/src/registry.ts', `  ${t.camel}Contract,`);
  });
  edit('libs/contracts/src/index.ts', () => insertAtMarker(o.root, 'libs/contracts/src/index.ts', `export * from './${t.name}/contract';`));
  edit('apps/gateway/src/openapi/document.ts', () => {
    insertAtMarker(o.root, 'apps/gateway/src/openapi/document.ts', `  ${/^[a-z]\w*$/.test(t.name) ? t.name : `'${t.name}'`}: 'The ${t.name} service (generated: say what its routes are for).',`);
  });
  edit('apps/gateway/src/routes/index.ts', () => {
    insertAfterLast(o.root, 'apps/gateway/src/routes/index.ts', /^import .* from '\.\/[\w.-]+';$/, `import { ${t.Name}Controller } from './${t.name}.controller';`);
    insertAtMarker(o.root, 'apps/gateway/src/routes/index.ts', `  ${t.Name}Controller,`);
  });
  edit('tools/stack/services.ts', () => insertAtMarker(o.root, 'tools/stack/services.ts', `  { name: '${t.name}', migrations: true, opsPort: ${opsPort} },`));
  edit('eslint.config.mjs', () => insertAtMarker(o.root, 'eslint.config.mjs', `            { sourceTag: 'scope:${t.name}', onlyDependOnLibsWithTags: ['scope:shared', 'scope:${t.name}'] },`));
  edit('docker-compose.yml', () => {
    replaceOnce(o.root, 'docker-compose.yml', '&& node dist/apps/gateway/src/migrate.js', `&& node dist/apps/${t.name}/src/migrate.js && node dist/apps/gateway/src/migrate.js`);
    // Its own NATS user: nats-config writes it into the server configuration with this password.
    const password = `${t.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NATS_PASSWORD`;
    const passwordEnv = `\${${password}:?set ${password} (at least 16 characters)}`;
    replaceOnce(o.root, 'docker-compose.yml', '      GATEWAY_NATS_PASSWORD: ${GATEWAY_NATS_PASSWORD:?', `      ${password}: ${passwordEnv}\n      GATEWAY_NATS_PASSWORD: \${GATEWAY_NATS_PASSWORD:?`);
    // Its own PostgreSQL login role (migrate's db-login --all creates it with this password).
    const dbPassword = `${t.NAME}_DB_PASSWORD`;
    const dbPasswordEnv = `\${${dbPassword}:?set ${dbPassword} (at least 16 characters)}`;
    replaceOnce(o.root, 'docker-compose.yml', '      GATEWAY_DB_PASSWORD: ${GATEWAY_DB_PASSWORD:?', `      ${dbPassword}: ${dbPasswordEnv}\n      GATEWAY_DB_PASSWORD: \${GATEWAY_DB_PASSWORD:?`);
    insertAtMarker(
      o.root,
      'docker-compose.yml',
      `  ${t.name}:
    <<: *app
    command: ["dist/apps/${t.name}/src/main.js"]
    environment:
      <<: *common-env
      DATABASE_URL: postgres://steward_${t.name}_login:${dbPasswordEnv}@postgres:5432/steward
      OPS_PORT: "${opsPort}"
      NATS_USER: ${t.name}
      NATS_PASSWORD: ${passwordEnv}
    expose:
      - "${opsPort}"
    depends_on:
      migrate:
        condition: service_completed_successfully
      nats:
        condition: service_healthy
    healthcheck:
      <<: *ready-check
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${opsPort}/readyz',{signal:AbortSignal.timeout(2000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
`,
    );
    // The gateway waits for the new service too: the marker after its depends_on comes second.
    const full = path.join(o.root, 'docker-compose.yml');
    const lines = readFileSync(full, 'utf8').split('\n');
    const markers = lines.map((l, i) => (l.includes('generate:service adds') ? i : -1)).filter((i) => i >= 0);
    lines.splice(markers[1]!, 0, `      ${t.name}:`, '        condition: service_healthy');
    writeFileSync(full, lines.join('\n'));
  });
  // The Helm chart: its template folder came with the templates above; its values block, its
  // NATS user's permissions, the values table, and the Prometheus target of compose's profile.
  edit('helm/steward/values.yaml', () => {
    const full = path.join(o.root, 'helm/steward/values.yaml');
    const lines = readFileSync(full, 'utf8').split('\n');
    const markers = lines.map((l, i) => (l.includes('generate:service adds') ? i : -1)).filter((i) => i >= 0);
    if (markers.length !== 2) throw new Error('helm/steward/values.yaml needs its two "generate:service adds … above this line" markers');
    lines.splice(markers[1]!, 0, `  ${t.name}:`, `    opsPort: ${opsPort}`);
    lines.splice(markers[0]!, 0, `## @param services.${t.name}.opsPort Ops port of ${t.name}`);
    writeFileSync(full, lines.join('\n'));
  });
  edit(CHART_NATS_PERMISSIONS, () => {
    // Computed from the contracts, which know the new service only once built: build, then run the chart's generator.
    execFileSync(process.execPath, ['tools/build.mjs'], { cwd: o.root, stdio: 'pipe' });
    execFileSync(process.execPath, ['dist/tools/deploy/chart-nats.js'], { cwd: o.root, stdio: 'pipe' });
  });
  edit('helm/steward/README.md', () => {
    const generator = require.resolve('@bitnami/readme-generator-for-helm/bin/index.js', { paths: [o.root] });
    execFileSync(process.execPath, [generator, '-v', path.join(o.root, 'helm/steward/values.yaml'), '-r', path.join(o.root, 'helm/steward/README.md')], { stdio: 'pipe' });
  });
  edit('deploy/prometheus/prometheus.yml', () =>
    insertAtMarker(o.root, 'deploy/prometheus/prometheus.yml', `      - targets: ["${t.name}:${opsPort}"]\n        labels: { service: ${t.name} }`),
  );
  if (existsSync(path.join(o.root, 'README.md')) && readFileSync(path.join(o.root, 'README.md'), 'utf8').includes('generate:service adds')) {
    edit('README.md', () => insertAtMarker(o.root, 'README.md', `| \`apps/${t.name}\` | (generated: describe what it owns) | [apps/${t.name}](apps/${t.name}/README.md) |`));
  }
  // The new service's first migration joins the landed ones (tools/migrations/landed.json).
  const landed = landNew(o.root);
  if (landed.problems.length) throw new Error(`the service was generated, but landing its migration failed:\n  ${landed.problems.join('\n  ')}`);
  edited.push('tools/migrations/landed.json');
  return { created, edited, opsPort };
}

/** Copies a workspace (the files git knows, plus new ones it does not ignore) for a throwaway generation. */
export function copyWorkspace(files: readonly string[], from: string, to: string): void {
  for (const f of files) {
    const src = path.join(from, f);
    if (!existsSync(src)) continue;
    mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    cpSync(src, path.join(to, f));
  }
}
