import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { connectNats, ensureStream, normalisePrefix, Outbox, OutboxRelay, RpcServer } from '@steward/messaging';
import { createDataSource, UnitOfWork } from '@steward/persistence';
import { createLogger, enableDefaultMetrics, logger, NestPinoLogger, startOpsServer } from '@steward/telemetry';
import type { DataSource } from 'typeorm';
import { AccountsModule } from './app.module';
import type { AccountsConfig } from './config';
import { identityEntities } from './identity/identity.entities';
import { IdentityHandlers } from './identity/identity.handlers';
import { CustomersHandlers } from './customers/customers.handlers';

export const SERVICE = 'accounts';

export interface AccountsRuntime {
  app: INestApplicationContext;
  dataSource: DataSource;
  nats: NatsConnection;
  relay: OutboxRelay;
  ops?: Server;
  close(): Promise<void>;
}

/** Builds and starts the accounts service; used by main.ts and by tests in-process. */
export async function startAccounts(config: AccountsConfig, options: { ops?: boolean; relay?: boolean } = {}): Promise<AccountsRuntime> {
  createLogger(SERVICE, config.logLevel);
  enableDefaultMetrics(SERVICE);
  const prefix = normalisePrefix(config.natsPrefix);
  const dataSource = createDataSource({ url: config.databaseUrl, schema: SERVICE, role: config.dbRole, entities: identityEntities, poolMax: config.dbPoolMax });
  const relaySource = createDataSource({ url: config.databaseUrl, schema: SERVICE, role: config.dbRelayRole, poolMax: 2, applicationName: 'steward-accounts-relay' });
  await Promise.all([dataSource.initialize(), relaySource.initialize()]);

  const nats = await connectNats({ url: config.natsUrl, name: `steward-${SERVICE}` });
  const jsm = await nats.jetstreamManager();
  await ensureStream(jsm, prefix, SERVICE);

  const outbox = new Outbox(SERVICE);
  const relay = new OutboxRelay(relaySource, nats.jetstream(), { schema: SERVICE, prefix });
  outbox.onWrite(relay.nudge);
  if (options.relay !== false) relay.start();

  const app = await NestFactory.createApplicationContext(AccountsModule.with({ config, uow: new UnitOfWork(dataSource, config.dbPartnerRole), outbox }), { logger: new NestPinoLogger() });
  const rpc = new RpcServer(nats, prefix, SERVICE);
  app.get(IdentityHandlers).register(rpc);
  app.get(CustomersHandlers).register(rpc);

  const ops =
    options.ops === false
      ? undefined
      : await startOpsServer(
          config.opsPort,
          {
            database: async () => void (await dataSource.query('SELECT 1')),
            nats: async () => {
              if (nats.isClosed()) throw new Error('NATS connection closed');
              await nats.flush();
            },
          },
          config.opsHost,
        );
  logger().info({ prefix, opsPort: config.opsPort }, 'accounts service started');

  let closing: Promise<void> | undefined;
  return {
    app,
    dataSource,
    nats,
    relay,
    ops,
    close: () =>
      (closing ??= (async () => {
        await rpc.close();
        await app.close(); // finishes scheduled re-tiering before the relay drains its events
        await relay.stop();
        await relay.drain().catch(() => 0);
        await nats.drain().catch(() => undefined);
        await Promise.all([dataSource.destroy(), relaySource.destroy()]);
        await new Promise<void>((r) => (ops ? ops.close(() => r()) : r()));
      })()),
  };
}
