import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { ident, serviceRoles } from './roles';

export interface MigrateOptions {
  url: string;
  service: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

export interface MigrateResult {
  applied: string[];
}

/**
 * Brings one service's schema up to date: creates the schema and the service's roles
 * when missing, then runs pending migrations, one transaction each, under an advisory
 * lock so two replicas starting together never run the same migration twice.
 */
export async function runMigrations(o: MigrateOptions): Promise<MigrateResult> {
  const ds = createDataSource({ url: o.url, schema: o.schema, role: null, migrations: o.migrations, poolMax: 2, applicationName: `steward-migrate-${o.service}`, preparedStatements: false });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`steward-migrate:${o.schema}`]);
    await bootstrapRoles(ds, o.service, o.schema);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name) };
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`steward-migrate:${o.schema}`]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

/** Reverts the last `steps` migrations of a service. */
export async function revertMigrations(o: MigrateOptions, steps = 1): Promise<void> {
  const ds = createDataSource({ url: o.url, schema: o.schema, role: null, migrations: o.migrations, poolMax: 2, preparedStatements: false });
  await ds.initialize();
  try {
    for (let i = 0; i < steps; i++) await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

async function bootstrapRoles(ds: DataSource, service: string, schema: string): Promise<void> {
  const roles = serviceRoles(service);
  await ds.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  for (const role of [roles.app, roles.relay, roles.partner]) {
    // Roles are cluster-wide: parallel migrators in other databases may race to create them.
    await retry(() =>
      ds.query(`DO $$ BEGIN CREATE ROLE ${ident(role)} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`),
    );
    // The login role must be able to assume the runtime roles (SET ROLE).
    await retry(() => ds.query(`DO $$ BEGIN EXECUTE format('GRANT %I TO %I', '${role}', current_user); EXCEPTION WHEN OTHERS THEN NULL; END $$`));
    await ds.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)}`);
  }
}

async function retry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}
