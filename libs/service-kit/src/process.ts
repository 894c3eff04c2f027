import type { ServiceDefinition } from './service';

/** What a migrate entrypoint declares: the service's name and how to run its pending migrations. */
export type MigratingService = Pick<ServiceDefinition<unknown>, 'name' | 'migrate'>;

/** Set while {@link loadMigrations} loads entrypoints: they declare into it instead of running. */
let declared: MigratingService[] | undefined;

/**
 * `node dist/apps/<service>/src/migrate.js`: runs the service's pending migrations and
 * prints what was applied (the pre-upgrade step: Kubernetes Job, compose). Loaded by
 * {@link loadMigrations} instead, it only declares them (the local stack runs every
 * service's migrations in one process).
 */
export function runMigrationProcess(def: MigratingService): void {
  if (declared) {
    declared.push(def);
    return;
  }
  def.migrate().then(
    ({ applied }) => console.log(JSON.stringify({ service: def.name, applied })),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/**
 * Loads migrate entrypoints (built `migrate.js` files) into this process and returns what each
 * declares, in order, without running anything. An entrypoint that declares nothing (or not
 * through {@link runMigrationProcess}) is an error naming it.
 */
export function loadMigrations(entrypoints: readonly string[]): MigratingService[] {
  const out: MigratingService[] = [];
  for (const file of entrypoints) {
    declared = [];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
      if (declared.length !== 1) throw new Error(`${file} declared ${declared.length} migration set(s) through runMigrationProcess; expected one`);
      out.push(declared[0]!);
    } finally {
      declared = undefined;
    }
  }
  return out;
}
