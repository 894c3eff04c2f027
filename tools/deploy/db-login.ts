/**
 * `node dist/tools/deploy/db-login.js <service>`: creates or updates the service's own
 * PostgreSQL login role, as ADR 3 asks of production: a non-superuser that can do nothing by
 * itself (NOINHERIT) and may only assume the service's runtime, relay and partner roles. Run
 * with the migrator's DATABASE_URL (it needs CREATEROLE) after or before the migrations (the
 * runtime roles are created NOLOGIN when missing, as the migrations would). Idempotent: a
 * second run only sets the password again (rotation). The Helm chart's migration Job and
 * docker-compose's migrate step run it.
 *
 * Environment: DATABASE_URL (migrator), STEWARD_DB_LOGIN_PASSWORD (required, ≥ 16 characters),
 * STEWARD_DB_LOGIN_ROLE (default `steward_<service>_login`). With `--all` (docker-compose): every
 * service with migrations, each password from `<SERVICE>_DB_PASSWORD`.
 */
import { Client } from 'pg';
import { ident, serviceRoles } from '@steward/persistence';
import { SERVICES } from '../stack/services';

export type Env = Readonly<Record<string, string | undefined>>;

export const loginRoleOf = (service: string): string => `${serviceRoles(service).app}_login`;

/** `accounts` → `ACCOUNTS_DB_PASSWORD`. */
export const dbPasswordVariable = (service: string): string => `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_DB_PASSWORD`;

/** What `db-login` provisions: one service with STEWARD_DB_LOGIN_*, or `--all` with `<SERVICE>_DB_PASSWORD` each. */
export function loginsToProvision(arg: string, env: Env): Array<{ service: string; role: string; password: string }> {
  if (arg === '--all') {
    const services = SERVICES.filter((s) => s.migrations).map((s) => s.name);
    const missing = services.map(dbPasswordVariable).filter((v) => !env[v]);
    if (missing.length) throw new Error(`set ${missing.join(', ')}`);
    return services.map((service) => ({ service, role: loginRoleOf(service), password: env[dbPasswordVariable(service)]! }));
  }
  if (!/^[a-z][a-z0-9]{1,19}$/.test(arg)) throw new Error('usage: node dist/tools/deploy/db-login.js <service> | --all');
  if (!env.STEWARD_DB_LOGIN_PASSWORD) throw new Error('set STEWARD_DB_LOGIN_PASSWORD');
  return [{ service: arg, role: env.STEWARD_DB_LOGIN_ROLE || loginRoleOf(arg), password: env.STEWARD_DB_LOGIN_PASSWORD }];
}

/** Creates or updates `role` (LOGIN, NOINHERIT, the password) and grants it the service's three roles. Refuses a login role that is a superuser or bypasses RLS. */
export async function provisionLogin(client: Client, service: string, role: string, password: string): Promise<void> {
  if (password.length < 16) throw new Error('the login password must have at least 16 characters');
  const roles = serviceRoles(service);
  const pw = client.escapeLiteral(password);
  for (const r of [roles.app, roles.relay, roles.partner]) {
    await client.query(`DO $$ BEGIN CREATE ROLE ${ident(r)} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  }
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    await client
      .query(`CREATE ROLE ${ident(role)} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pw}`)
      .catch(async (err: { code?: string }) => {
        // Another Job created it meanwhile: fall through to the update.
        if (err.code !== '42710') throw err;
      });
  }
  await client.query(`ALTER ROLE ${ident(role)} WITH LOGIN NOINHERIT PASSWORD ${pw}`);
  const attrs = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [role]);
  if (attrs.rows[0]?.rolsuper || attrs.rows[0]?.rolbypassrls) throw new Error(`${role} is a superuser or bypasses row-level security: a service must not log in as it (ADR 3)`);
  await client.query(`GRANT ${[roles.app, roles.relay, roles.partner].map(ident).join(', ')} TO ${ident(role)}`);
}

if (require.main === module) {
  const env: Env = process.env;
  void (async () => {
    const logins = loginsToProvision(process.argv[2] ?? '', env);
    if (!env.DATABASE_URL) throw new Error('set DATABASE_URL (the migrator role, with CREATEROLE)');
    const client = new Client({ connectionString: env.DATABASE_URL, application_name: 'steward-db-login' });
    await client.connect();
    try {
      for (const l of logins) {
        await provisionLogin(client, l.service, l.role, l.password);
        console.log(JSON.stringify({ service: l.service, loginRole: l.role, memberOf: Object.values(serviceRoles(l.service)) }));
      }
    } finally {
      await client.end();
    }
  })().catch((err: unknown) => {
    console.error(`db-login: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
