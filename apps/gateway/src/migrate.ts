import { runMigrations } from '@steward/persistence';
import { readMigrationUrl, runMigrationProcess } from '@steward/service-kit';
import { gatewayMigrations } from './migrations';

/** `node dist/apps/gateway/src/migrate.js`: the pre-upgrade step (Kubernetes Job, compose); the local stack loads it with the others'. */
runMigrationProcess({ name: 'gateway', migrate: (url) => runMigrations({ url: url ?? readMigrationUrl(), service: 'gateway', schema: 'gateway', migrations: gatewayMigrations }) });
