import './instrument';
import { logger, shutdownTelemetry } from '@steward/telemetry';
import { startAccounts } from './bootstrap';
import { loadAccountsConfig } from './config';

async function main(): Promise<void> {
  const runtime = await startAccounts(loadAccountsConfig());
  const stop = async (signal: string) => {
    logger().info({ signal }, 'shutting down: finishing in-flight requests');
    await runtime.close();
    await shutdownTelemetry();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  logger().fatal({ err }, 'accounts failed to start');
  console.error(err);
  process.exit(1);
});
