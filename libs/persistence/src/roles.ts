/**
 * Database roles per service. The migrator (the login role of the migration URL) owns
 * the tables; the runtime role only gets DML grants and is bound by row-level security;
 * the relay role can read and mark the outbox and nothing else.
 *
 * WARNING: role names are shared by every database of a PostgreSQL cluster.
 */
export interface ServiceRoles {
  app: string;
  relay: string;
}

export function serviceRoles(service: string): ServiceRoles {
  if (!/^[a-z][a-z0-9_]*$/.test(service)) throw new Error(`invalid service name for a role: ${service}`);
  return { app: `steward_${service}`, relay: `steward_${service}_relay` };
}

/** Quotes an SQL identifier (schema, table, role). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
