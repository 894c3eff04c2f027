import { readTelemetryConfig } from './config';
import { logger } from './logger';
import { shutdownTelemetry, startTelemetry } from './otel';

/**
 * The life of a service process. OpenTelemetry starts first, so its instrumentations patch
 * http, pg and Nest as `start` loads them: pass a `start` that imports the service lazily
 * (`async () => (await import('./service')).x.start()`). On SIGTERM/SIGINT the service
 * finishes in-flight work (`close`), telemetry is flushed and the process exits 0. A
 * failed start exits 1 with the error.
 */
export function runServiceProcess(name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  const telemetry = readTelemetryConfig(name);
  startTelemetry({ serviceName: telemetry.serviceName, tracesExporter: telemetry.tracesExporter });
  start().then(
    (runtime) => {
      const stop = async (signal: string) => {
        logger().info({ signal }, 'shutting down: finishing in-flight requests');
        await runtime.close();
        await shutdownTelemetry();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    },
    (err: unknown) => {
      logger().fatal({ err }, `${name} failed to start`);
      console.error(err);
      process.exit(1);
    },
  );
}
