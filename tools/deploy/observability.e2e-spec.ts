/**
 * The built platform as production runs it, minus the containers: every service logs in to
 * PostgreSQL as its own non-superuser login role (tools/deploy/db-login.ts, what the chart's
 * migration Jobs and compose create) and to its own authenticated nats-server as its own user.
 * Then: every metric the Grafana dashboards and the alerts query exists in a running
 * service's /metrics, per-tenant series carry the tenant, and the pools report.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { createTestDatabase, makeTenantRequest, TestDatabase, testPrefix } from '@steward/testing';
import { findRepoRoot } from '../stack/config';
import { findNatsServer, NatsHandle, startNatsServer } from '../stack/nats';
import { freePort } from '../stack/net';
import { freePortsContext, RunningPlatform, startPlatform } from '../stack/platform';
import { stopAll } from '../stack/processes';
import { opsUrl, SERVICES, StackContext } from '../stack/services';
import { DASHBOARDS_DIR, metricNames } from './dashboards';
import { provisionLogin } from './db-login';

const root = findRepoRoot(__dirname);

/** Metric families in a Prometheus text exposition, with the series names each yields (histograms: _bucket, _sum, _count). */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}

describe('observability of the running platform', () => {
  const binary = findNatsServer(process.env.PATH ?? '');
  let db: TestDatabase;
  let nats: NatsHandle | undefined;
  let natsDir: string;
  let platform: RunningPlatform | undefined;
  let ctx: StackContext;
  const spawned: Parameters<typeof stopAll>[0][number][] = [];
  const suffix = randomBytes(4).toString('hex');
  const logins = Object.fromEntries(SERVICES.map((s) => [s.name, { role: `steward_${s.name}_login_${suffix}`, password: randomBytes(18).toString('base64url') }]));
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;
  const metrics: Record<string, string> = {};
  let tenantId = '';

  beforeAll(async () => {
    if (!binary) throw new Error('this test starts its own nats-server: install it (apt-get install nats-server)');
    db = await createTestDatabase('observability');
    const prefix = testPrefix('obs');
    natsDir = await mkdtemp(path.join(tmpdir(), 'steward-obs-nats-'));
    nats = await startNatsServer(binary, { host: '127.0.0.1', port: await freePort(), storeDir: path.join(natsDir, 'store'), searchPath: process.env.PATH ?? '', auth: { prefix } });
    // Login roles first (they create the runtime roles if the migrations have not yet): as compose and the chart do, but named per run.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      for (const s of SERVICES) await provisionLogin(admin, s.name, logins[s.name]!.role, logins[s.name]!.password);
    } finally {
      await admin.end();
    }
    const loginUrl = (service: string) => {
      const u = new URL(db.url);
      u.username = logins[service]!.role;
      u.password = logins[service]!.password;
      return u.toString();
    };
    ctx = await freePortsContext({ databaseUrl: db.url, natsUrl: nats.url, natsCredentials: nats.credentials, logLevel: 'warn', jwtSecret: randomBytes(32).toString('hex'), operatorToken, natsPrefix: prefix, userConfiguredOtel: false });
    platform = await startPlatform({
      rootDir: root,
      ctx,
      baseEnv: { PATH: process.env.PATH ?? '' },
      serviceEnv: Object.fromEntries(SERVICES.map((s) => [s.name, { DATABASE_URL: loginUrl(s.name), ...(s.name === 'accounts' ? { PASSWORD_HASH_MEMORY_KIB: '1024' } : {}) }])),
      onSpawn: (p) => spawned.push(p),
    });

    // Traffic: a tenant, its admin's login and a few requests, so request series have samples.
    const base = platform.gatewayUrl;
    const tenant = makeTenantRequest({});
    const created = await fetch(`${base}/v1/tenants`, { method: 'POST', headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify(tenant) });
    expect(created.status).toBe(201);
    tenantId = ((await created.json()) as { tenant: { id: string } }).tenant.id;
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: tenant.admin.email, password: tenant.admin.password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/v1/accounts`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await fetch(`${base}/v1/accounts/not-a-uuid`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(400);
    for (const s of SERVICES) metrics[s.name] = await (await fetch(`${opsUrl(s, ctx)}/metrics`)).text();
  }, 120_000);

  afterAll(async () => {
    if (platform) await platform.stop(5_000);
    else await stopAll(spawned, 2_000);
    await nats?.stop();
    if (natsDir) await rm(natsDir, { recursive: true, force: true });
    await db?.drop();
    const admin = new Client({ connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await admin.connect().then(
      async () => {
        for (const l of Object.values(logins)) await admin.query(`DROP ROLE IF EXISTS "${l.role}"`).catch(() => undefined);
        await admin.end();
      },
      () => undefined,
    );
  });

  it('runs every service logged in to PostgreSQL as its own non-superuser login role (ADR 3)', async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ usename: string; rolsuper: boolean }>(
        'SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()',
      );
      expect(rows.map((r) => r.usename).sort()).toEqual(Object.values(logins).map((l) => l.role).sort());
      expect(rows.every((r) => !r.rolsuper)).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('exposes every metric the Grafana dashboards and the Prometheus alerts query', () => {
    const exposed = new Set(Object.values(metrics).flatMap((text) => [...exposedNames(text)]));
    const dashboards = readdirSync(path.join(root, DASHBOARDS_DIR)).map((f) => JSON.parse(readFileSync(path.join(root, DASHBOARDS_DIR, f), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> });
    const queried = dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr))));
    const alerts = parse(readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    queried.push(...alerts.groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
    expect(queried.length).toBeGreaterThan(20);
    expect([...new Set(queried)].filter((m) => !exposed.has(m))).toEqual([]);
  });

  it('labels every series with its service, per-tenant series with the tenant, and reports each database pool', () => {
    for (const s of SERVICES) {
      expect(metrics[s.name]).toMatch(new RegExp(`^process_cpu_seconds_total\\{service="${s.name}"\\}`, 'm'));
      // Reported for every pool; a pool idle for 10 s has closed its connections (pg's idle timeout), so 0 is a true value here.
      expect(metrics[s.name]).toMatch(new RegExp(`^steward_db_pool_connections\\{pool="app",state="total",service="${s.name}"\\} \\d+$`, 'm'));
    }
    // accounts has just served the requests above: its pool holds the connection they used.
    expect(metrics.accounts).toMatch(/^steward_db_pool_connections\{pool="app",state="total",service="accounts"\} [1-9]/m);
    for (const s of SERVICES.filter((x) => x.opsPort !== undefined)) expect(metrics[s.name]).toMatch(/steward_db_pool_connections\{pool="relay",state="total"/);
    // Three reads and one refused request of the tenant's admin, under the tenant's own label.
    expect(metrics.gateway).toMatch(new RegExp(`^steward_tenant_request_duration_seconds_count\\{service="gateway",tenant="${tenantId}",outcome="ok"\\} 3$`, 'm'));
    expect(metrics.gateway).toMatch(new RegExp(`^steward_tenant_request_duration_seconds_count\\{service="gateway",tenant="${tenantId}",outcome="client_error"\\} 1$`, 'm'));
  });
});
