import { runMigrations } from '@steward/persistence';
import { gatewayMigrations } from './migrations';
import { readMigrationUrl } from './config';

/** `node dist/apps/gateway/src/migrate.js`: the pre-upgrade step (Kubernetes Job, local stack). */
async function main(): Promise<void> {
  const { applied } = await runMigrations({ url: readMigrationUrl(), service: 'gateway', schema: 'gateway', migrations: gatewayMigrations });
  console.log(JSON.stringify({ service: 'gateway', applied }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
