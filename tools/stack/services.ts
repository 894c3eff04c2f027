/**
 * The services the local stack runs, in start order. `npm run generate:service` adds a
 * new NATS service here (before the gateway), with its own ops port.
 */
import path from 'node:path';

export interface StackContext {
  databaseUrl: string;
  natsUrl: string;
  logLevel: string;
  jwtSecret: string;
  operatorToken: string;
  /** The gateway's API listener, and its ops listener (/healthz, /readyz, /metrics; a random one when left out). */
  gateway: { host: string; port: number; opsPort?: number };
  /** The ops port (/healthz, /readyz, /metrics) of each NATS service, by name. */
  opsPorts: Record<string, number>;
  /** '' locally; tests set one so they never share subjects with another stack. */
  natsPrefix: string;
  userConfiguredOtel: boolean;
  /**
   * STEWARD_CONTEXT_KEY of every process (they sign and verify each other's messages with it).
   * Left out, startPlatform generates one for the run.
   */
  contextKey?: string;
  /** STEWARD_CURSOR_KEY of every service (a list cursor from one replica works on another). Left out, startPlatform generates one. */
  cursorKey?: string;
  /** Each process's NATS login, by service name (and `gateway`), when the NATS server requires one. */
  natsCredentials?: Record<string, { user: string; password: string }>;
}

export interface ServiceSpec {
  name: string;
  /** Has `dist/apps/<name>/src/migrate.js`, run before any service starts. */
  migrations: boolean;
  /** A NATS service's default local ops port (each its own); absent for the gateway, whose ops port is `gateway.opsPort` of the context (default 9100). */
  opsPort?: number;
}

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'accounts', migrations: true, opsPort: 9101 },
  { name: 'support', migrations: true, opsPort: 9102 },
  { name: 'catalog', migrations: true, opsPort: 9103 },
  { name: 'feedback', migrations: true, opsPort: 9104 },
  // generate:service adds new services above this line
  // Last: it fronts the others. Its ops port (/readyz, /metrics) is the context's gateway.opsPort.
  { name: 'gateway', migrations: true },
];

/** The services that answer on NATS (everything but the gateway). */
export const natsServices = (services: readonly ServiceSpec[] = SERVICES): ServiceSpec[] => services.filter((s) => s.opsPort !== undefined);

/** `STEWARD_<NAME>_OPS_PORT`: the variable that moves a service's ops port locally. */
export const opsPortVariable = (name: string): string => `STEWARD_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_OPS_PORT`;

/** The gateway's default local ops port (`STEWARD_GATEWAY_OPS_PORT` moves it). */
export const GATEWAY_OPS_PORT = 9100;

/** Where the service answers /readyz and /metrics (a gateway without a known ops port: /readyz on its API port). */
export function opsUrl(spec: ServiceSpec, ctx: StackContext): string {
  if (spec.opsPort === undefined) return ctx.gateway.opsPort ? `http://127.0.0.1:${ctx.gateway.opsPort}` : `http://${ctx.gateway.host}:${ctx.gateway.port}`;
  return `http://127.0.0.1:${ctx.opsPorts[spec.name] ?? spec.opsPort}`;
}

/** Variables every service reads. */
export function commonServiceEnv(ctx: StackContext): Record<string, string> {
  return {
    DATABASE_URL: ctx.databaseUrl,
    NATS_URL: ctx.natsUrl,
    STEWARD_NATS_PREFIX: ctx.natsPrefix,
    LOG_LEVEL: ctx.logLevel,
    ...(ctx.userConfiguredOtel ? {} : { OTEL_TRACES_EXPORTER: 'none' }),
    ...(ctx.contextKey ? { STEWARD_CONTEXT_KEY: ctx.contextKey } : {}),
    ...(ctx.cursorKey ? { STEWARD_CURSOR_KEY: ctx.cursorKey } : {}),
  };
}

/** NATS_USER / NATS_PASSWORD of one process, when the stack's NATS requires logins. */
function natsLogin(name: string, ctx: StackContext): Record<string, string> {
  const c = ctx.natsCredentials?.[name];
  return c ? { NATS_USER: c.user, NATS_PASSWORD: c.password } : {};
}

/** Variables one service needs on top of the common ones. */
export function serviceEnv(spec: ServiceSpec, ctx: StackContext): Record<string, string> {
  if (spec.opsPort === undefined) {
    return {
      PORT: String(ctx.gateway.port),
      HOST: ctx.gateway.host,
      OPS_PORT: String(ctx.gateway.opsPort ?? 0),
      OPS_HOST: '127.0.0.1',
      STEWARD_JWT_SECRET: ctx.jwtSecret,
      STEWARD_OPERATOR_TOKEN: ctx.operatorToken,
      ...natsLogin(spec.name, ctx),
    };
  }
  return { OPS_PORT: String(ctx.opsPorts[spec.name] ?? spec.opsPort), OPS_HOST: '127.0.0.1', ...natsLogin(spec.name, ctx) };
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
