/** Migrations need only the database URL (not the JWT secret the full config demands). */
export function readMigrationUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/steward';
}
