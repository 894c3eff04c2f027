/**
 * deploy/grafana/dashboards/*.json: generated from tools/deploy/dashboards.ts, whose types
 * are Grafana's published dashboard schema (@grafana/schema: the type check is the schema
 * check), and checked here for what Grafana needs to load them: unique uids and panel ids,
 * a grid that fits, every query on the datasource variable, every variable defined.
 * That every metric they query exists: tools/deploy/observability.e2e-spec.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dashboard, Panel } from '@grafana/schema';
import { findRepoRoot } from '../stack/config';
import { DASHBOARDS, DASHBOARDS_DIR, dashboardText, metricNames } from './dashboards';

const dir = path.join(findRepoRoot(__dirname), DASHBOARDS_DIR);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (f: string): Dashboard => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Dashboard;

describe('Grafana dashboards', () => {
  it('are exactly what tools/deploy/dashboards.ts generates (regenerate: node dist/tools/deploy/dashboards.js)', () => {
    expect(files.sort()).toEqual(Object.keys(DASHBOARDS).sort());
    for (const [file, make] of Object.entries(DASHBOARDS)) expect(readFileSync(path.join(dir, file), 'utf8')).toBe(dashboardText(make));
  });

  it.each(files)('%s loads as a Grafana dashboard: uid, title, schema version, unique panel ids, a 24-column grid without overlaps', (file) => {
    const d = load(file);
    expect(d).toMatchObject({ uid: expect.stringMatching(/^[a-z0-9-]{1,40}$/), title: expect.any(String), schemaVersion: expect.any(Number) });
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    const panels = (d.panels ?? []) as Panel[];
    expect(panels.length).toBeGreaterThan(3);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos!;
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        expect(cells.has(`${x},${y}`)).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
  });

  it.each(files)('%s queries Prometheus through its datasource variable, and uses only variables it defines', (file) => {
    const d = load(file);
    const defined = new Set((d.templating?.list ?? []).map((v) => v.name));
    expect(defined.has('datasource')).toBe(true);
    for (const p of d.panels as Panel[]) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets as Array<{ expr: string; refId: string }>) {
        expect(t.expr).toMatch(/steward_|process_|nodejs_/);
        for (const [, name] of t.expr.matchAll(/\$([a-z_]+)/g)) if (!name!.startsWith('__')) expect({ panel: p.title, variable: name, defined: defined.has(name!) }).toEqual({ panel: p.title, variable: name, defined: true });
        // Balanced parentheses and braces: a typo would render "parse error" in every panel.
        for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']]) expect(t.expr.split(open!).length).toBe(t.expr.split(close!).length);
      }
    }
  });

  it('reads the metrics SRE teams asked for: per service rate, errors, latency, outbox lag, redeliveries, DB pool; per tenant rate, errors, latency', () => {
    const exprs = (f: string) => (load(f).panels as Panel[]).flatMap((p) => (p.targets as Array<{ expr: string }>).map((t) => t.expr));
    const services = exprs('steward-services.json').flatMap(metricNames);
    for (const m of ['steward_http_request_duration_seconds_count', 'steward_rpc_server_duration_seconds_bucket', 'steward_outbox_lag_seconds', 'steward_consumer_redeliveries_total', 'steward_db_pool_connections']) expect(services).toContain(m);
    const tenants = exprs('steward-tenants.json').flatMap(metricNames);
    expect(tenants).toEqual(expect.arrayContaining(['steward_tenant_request_duration_seconds_count', 'steward_tenant_request_duration_seconds_bucket']));
    expect(metricNames('histogram_quantile(0.99, sum by (service, le) (rate(steward_x_bucket{service=~"$service"}[$__rate_interval])))')).toEqual(['steward_x_bucket']);
  });
});
