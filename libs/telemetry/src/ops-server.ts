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

/**
 * The operations endpoint of a NATS-only service: `/healthz` (the process is alive),
 * `/readyz` (every dependency answers) and `/metrics` (Prometheus text format).
 */
export function startOpsServer(port: number, checks: Record<string, ReadinessCheck>, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/healthz')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (url.startsWith('/readyz')) {
      void checkReadiness(checks).then((failures) => {
        const ok = Object.keys(failures).length === 0;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'not-ready', failures }));
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
