import { runMigrations } from '@steward/persistence';
import { readMigrationUrl } from '@steward/service-kit';
import { gatewayMigrations } from './migrations';

/** `node dist/apps/gateway/src/migrate.js`: the pre-upgrade step (Kubernetes Job, local stack). */
runMigrations({ url: readMigrationUrl(), service: 'gateway', schema: 'gateway', migrations: gatewayMigrations }).then(
  ({ applied }) => console.log(JSON.stringify({ service: 'gateway', applied })),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
