import { ReadinessCheck, startOpsServer } from '@steward/telemetry';
import type { GatewayConfig } from '../config';

/**
 * The gateway's operations listener on `OPS_PORT` (9100), apart from the API port:
 * `/healthz`, `/readyz` (and `/readyz/<report>`) and `/metrics`. Prometheus and probes reach it;
 * API clients never see /metrics (the API port keeps /healthz and /readyz for load balancers).
 */
export async function serveOps(config: Pick<GatewayConfig, 'opsPort' | 'opsHost'>, readiness: Record<string, ReadinessCheck>): Promise<{ port: number; close(): Promise<void> }> {
  const server = await startOpsServer(config.opsPort, readiness, config.opsHost);
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : config.opsPort,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
