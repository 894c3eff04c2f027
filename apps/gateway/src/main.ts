import './instrument';
import { logger, runServiceProcess } from '@steward/telemetry';
import { createGateway } from './bootstrap';
import { loadGatewayConfig } from './config';

runServiceProcess('gateway', async () => {
  const config = loadGatewayConfig();
  const runtime = await createGateway(config);
  await runtime.app.listen(config.port, config.host);
  logger().info({ port: config.port, host: config.host }, 'gateway listening');
  return runtime;
});
