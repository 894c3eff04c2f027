import './instrument';
import { logger, shutdownTelemetry } from '@steward/telemetry';
import { createGateway } from './bootstrap';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const runtime = await createGateway(config);
  await runtime.app.listen(config.port, config.host);
  logger().info({ port: config.port, host: config.host }, 'gateway listening');
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
  logger().fatal({ err }, 'gateway failed to start');
  console.error(err);
  process.exit(1);
});
