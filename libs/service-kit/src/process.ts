import type { ServiceDefinition } from './service';

/**
 * `node dist/apps/<service>/src/migrate.js`: runs the service's pending migrations and
 * prints what was applied (the pre-upgrade step: Kubernetes Job, compose, local stack).
 */
export function runMigrationProcess(def: ServiceDefinition<unknown>): void {
  def.migrate().then(
    ({ applied }) => console.log(JSON.stringify({ service: def.name, applied })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
