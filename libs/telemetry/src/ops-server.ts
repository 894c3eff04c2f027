import { createServer, Server } from 'node:http';
import { registry } from './metrics';

export type ReadinessCheck = () => Promise<void>;

/** Runs every readiness check; returns the failures by name. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const failures: Record<string, string> = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
      } catch (err) {
        failures[name] = err instanceof Error ? err.message : String(err);
      }
    }),
  );
  return failures;
}

/** Health reported beside request readiness, e.g. whether the outbox relay can publish. */
export type HealthReport = () => { ok: boolean } & Record<string, unknown>;

/**
 * The operations endpoint of a NATS-only service: `/healthz` (the process is alive),
 * `/readyz` (every dependency a request needs answers; the body also reports `reports`,
 * such as event publishing, without failing on them), `/readyz/<report>` (503 while that
 * report is not ok: alert or gate on it separately) and `/metrics` (Prometheus text format).
 */
export function startOpsServer(port: number, checks: Record<string, ReadinessCheck>, host = '0.0.0.0', reports: Record<string, HealthReport> = {}): Promise<Server> {
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (url.startsWith('/healthz')) {
      json(res, 200, { status: 'ok' });
    } else if (url.startsWith('/readyz/')) {
      const report = reports[url.slice('/readyz/'.length)];
      if (!report) return void res.writeHead(404).end();
      const r = report();
      json(res, r.ok ? 200 : 503, r);
    } else if (url.startsWith('/readyz')) {
      void checkReadiness(checks).then((failures) => {
        const ok = Object.keys(failures).length === 0;
        const extra = Object.fromEntries(Object.entries(reports).map(([name, report]) => [name, report()]));
        json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not-ready', failures, ...extra });
      });
    } else if (url.startsWith('/metrics')) {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
