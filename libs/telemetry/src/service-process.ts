import { logger } from './logger';
import { shutdownTelemetry } from './otel';

/**
 * The life of a service process: start it, and on SIGTERM/SIGINT let it finish in-flight
 * work (`close`), flush telemetry and exit 0. A failed start exits 1 with the error.
 */
export function runServiceProcess(name: string, start: () => Promise<{ close(): Promise<void> }>): void {
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
