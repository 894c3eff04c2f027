/**
 * `node dist/tools/stack/migrate-all.js <root> <service>...`: runs the named services'
 * migrations one after the other in this one process (the local stack and the tests start
 * platforms often: one Node process instead of one per service took a fresh database's
 * migrations from 5-6 s to 2 s). Each service's built `migrate.js` is loaded and declares its
 * migrations (`runMigrationProcess`); the Kubernetes Jobs still run those files on their own.
 * Prints `{"service","applied"}` per service; on a failure, `migrations of <service> failed: …`
 * and exit 1.
 */
import { loadMigrations } from '@steward/service-kit';
import { failedLine } from './migrations';
import { migrateEntrypoint } from './services';

async function main(rootDir: string, services: string[]): Promise<number> {
  const declared = loadMigrations(services.map((s) => migrateEntrypoint(rootDir, s)));
  for (const def of declared) {
    try {
      const { applied } = await def.migrate();
      console.log(JSON.stringify({ service: def.name, applied }));
    } catch (err) {
      console.error(err);
      console.error(failedLine(def.name, err instanceof Error ? err.message : String(err)));
      return 1;
    }
  }
  return 0;
}

if (require.main === module) {
  const [rootDir, ...services] = process.argv.slice(2);
  main(rootDir!, services).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
