/**
 * FROZEN (landed migrations call `serviceRoles` and `ident`; tools/migrations/landed.json
 * holds this file's checksum): a change is a new helper in migration-helpers/v2.ts.
 *
 * Database roles per service. The migrator (the login role of the migration URL) owns
 * the tables; the runtime role only gets DML grants and is bound by row-level security;
 * the relay role can read and mark the outbox and nothing else; the partner role is the
 * runtime role of a partner API key's transactions, whose policies narrow every row to
 * what that partner leads.
 *
 * WARNING: role names are shared by every database of a PostgreSQL cluster.
 */
export interface ServiceRoles {
  app: string;
  relay: string;
  partner: string;
}

export function serviceRoles(service: string): ServiceRoles {
  if (!/^[a-z][a-z0-9_]*$/.test(service)) throw new Error(`invalid service name for a role: ${service}`);
  return { app: `steward_${service}`, relay: `steward_${service}_relay`, partner: `steward_${service}_partner` };
}

/** Quotes an SQL identifier (schema, table, role). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
