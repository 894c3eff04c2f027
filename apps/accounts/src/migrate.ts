import { runMigrations } from '@steward/persistence';
import { loadAccountsConfig } from './config';
import { accountsMigrations } from './migrations';

/** `node dist/apps/accounts/src/migrate.js`: the pre-upgrade step (Kubernetes Job, local stack). */
async function main(): Promise<void> {
  const config = loadAccountsConfig();
  const { applied } = await runMigrations({ url: config.databaseUrl, service: 'accounts', schema: 'accounts', migrations: accountsMigrations });
  console.log(JSON.stringify({ service: 'accounts', applied }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
