/**
 * The services the local stack runs, in start order. Adding support, catalog,
 * feedback or value later is one entry here (give each its own OPS_PORT).
 */
import path from 'node:path';

export interface StackContext {
  databaseUrl: string;
  natsUrl: string;
  logLevel: string;
  jwtSecret: string;
  operatorToken: string;
  gateway: { host: string; port: number };
  accountsOpsPort: number;
  /** '' locally; tests set one so they never share subjects with another stack. */
  natsPrefix: string;
  userConfiguredOtel: boolean;
}

export interface ServiceSpec {
  name: string;
  /** Has `dist/apps/<name>/src/migrate.js`, run before any service starts. */
  migrations: boolean;
  /** Where the service answers /readyz and /metrics. */
  opsUrl: (ctx: StackContext) => string;
  /** Variables this service needs on top of the common ones. */
  env: (ctx: StackContext) => Record<string, string>;
}

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'accounts',
    migrations: true,
    opsUrl: (ctx) => `http://127.0.0.1:${ctx.accountsOpsPort}`,
    env: (ctx) => ({ OPS_PORT: String(ctx.accountsOpsPort) }),
  },
  // { name: 'support', migrations: true, opsUrl: () => 'http://127.0.0.1:9102', env: () => ({ OPS_PORT: '9102' }) },
  // { name: 'catalog', migrations: true, opsUrl: () => 'http://127.0.0.1:9103', env: () => ({ OPS_PORT: '9103' }) },
  // { name: 'feedback', migrations: true, opsUrl: () => 'http://127.0.0.1:9104', env: () => ({ OPS_PORT: '9104' }) },
  // { name: 'value', migrations: true, opsUrl: () => 'http://127.0.0.1:9105', env: () => ({ OPS_PORT: '9105' }) },
  {
    // Last: it fronts the others. It serves /readyz and /metrics on its own HTTP port.
    name: 'gateway',
    migrations: true,
    opsUrl: (ctx) => `http://${ctx.gateway.host}:${ctx.gateway.port}`,
    env: (ctx) => ({
      PORT: String(ctx.gateway.port),
      HOST: ctx.gateway.host,
      STEWARD_JWT_SECRET: ctx.jwtSecret,
      STEWARD_OPERATOR_TOKEN: ctx.operatorToken,
    }),
  },
];

/** Variables every service reads. */
export function commonServiceEnv(ctx: StackContext): Record<string, string> {
  return {
    DATABASE_URL: ctx.databaseUrl,
    NATS_URL: ctx.natsUrl,
    STEWARD_NATS_PREFIX: ctx.natsPrefix,
    LOG_LEVEL: ctx.logLevel,
    ...(ctx.userConfiguredOtel ? {} : { OTEL_TRACES_EXPORTER: 'none' }),
  };
}

export const mainEntrypoint = (rootDir: string, svc: string): string => path.join(rootDir, 'dist', 'apps', svc, 'src', 'main.js');
export const migrateEntrypoint = (rootDir: string, svc: string): string => path.join(rootDir, 'dist', 'apps', svc, 'src', 'migrate.js');

/** Picks the services to migrate: all with migrations, or the named ones (in SERVICES order). */
export function selectMigrations(names: readonly string[], services: readonly ServiceSpec[] = SERVICES): ServiceSpec[] {
  const withMigrations = services.filter((s) => s.migrations);
  if (names.length === 0) return withMigrations;
  const unknown = names.filter((n) => !withMigrations.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(`no migrations for: ${unknown.join(', ')} (known: ${withMigrations.map((s) => s.name).join(', ')})`);
  }
  return withMigrations.filter((s) => names.includes(s.name));
}
