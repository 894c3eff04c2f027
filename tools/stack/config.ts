/**
 * The only place in tools/stack that reads `process.env`. Everything else receives
 * a typed {@link StackConfig}. `loadStackConfig` is pure over the env it is given,
 * so tests pass a plain object.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_OPS_PORT, natsServices, opsPortVariable } from './services';

export type Env = Readonly<Record<string, string | undefined>>;

export interface StackConfig {
  /** Repository root (the folder holding package.json and dist/). */
  rootDir: string;
  /** Local state: embedded PostgreSQL data, NATS store, secrets. Git-ignored. */
  stateDir: string;
  /** `DATABASE_URL` when the user set one: used as-is. */
  databaseUrl?: string;
  /** A PostgreSQL already running locally, tried second (trust auth, like the dev machines). */
  localPostgresUrl: string;
  /** Database the stack uses on the local or embedded PostgreSQL. */
  databaseName: string;
  /** Port of the embedded PostgreSQL (third choice). */
  embeddedPostgresPort: number;
  /** `NATS_URL` when the user set one. */
  natsUrl?: string;
  /** Where to look for (and start) a local NATS. */
  localNats: { host: string; port: number };
  /** PATH, searched for nats-server. */
  searchPath: string;
  logLevel: string;
  /** `STEWARD_JWT_SECRET` when set (else generated once into stateDir/secrets.json). */
  jwtSecret?: string;
  /** `STEWARD_OPERATOR_TOKEN` when set (else generated per run). */
  operatorToken?: string;
  /** `STEWARD_CONTEXT_KEY` when set (else generated once into stateDir/secrets.json). */
  contextKey?: string;
  /** `STEWARD_CURSOR_KEY` when set (else generated once into stateDir/secrets.json). */
  cursorKey?: string;
  demoPassword: string;
  /** The gateway's API port (`STEWARD_PORT`) and ops port (`STEWARD_GATEWAY_OPS_PORT`, or a free one with `STEWARD_OPS_PORTS=free`). */
  gateway: { host: string; port: number; opsPort: number };
  /** Each NATS service's ops port: its default, `STEWARD_<NAME>_OPS_PORT`, or a free port when `STEWARD_OPS_PORTS=free`. */
  opsPorts: Record<string, number>;
  /** `STEWARD_OPS_PORTS=free`: the launcher picks free ops ports (tests run stacks side by side). */
  freeOpsPorts: boolean;
  natsPrefix: string;
  /** True when the user set any OTEL_* variable: then the launcher leaves tracing alone. */
  userConfiguredOtel: boolean;
  /** Colour the log prefixes (TTY and no NO_COLOR). */
  color: boolean;
  /** Environment handed down to child processes before the stack's own variables. */
  inheritedEnv: Record<string, string>;
}

export const DEFAULT_LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;
export const DEFAULT_DEMO_PASSWORD = 'steward-demo';

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

function port(value: string | undefined, fallback: number, name: string): number {
  const v = nonEmpty(value);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a TCP port (1-65535), got "${v}"`);
  return n;
}

/** Walks up from `start` to the folder holding the workspace package.json (works from src and from dist). */
export function findRepoRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tools', 'build.mjs'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
}

export function loadStackConfig(env: Env = process.env, opts: { rootDir?: string; isTTY?: boolean } = {}): StackConfig {
  const rootDir = opts.rootDir ?? findRepoRoot(__dirname);
  const stateDir = path.resolve(rootDir, nonEmpty(env.STEWARD_STATE_DIR) ?? '.steward');
  const inheritedEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) inheritedEnv[k] = v;
  return {
    rootDir,
    stateDir,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    localPostgresUrl: nonEmpty(env.STEWARD_LOCAL_PG_URL) ?? DEFAULT_LOCAL_POSTGRES_URL,
    databaseName: 'steward',
    embeddedPostgresPort: port(env.STEWARD_EMBEDDED_PG_PORT, DEFAULT_EMBEDDED_POSTGRES_PORT, 'STEWARD_EMBEDDED_PG_PORT'),
    natsUrl: nonEmpty(env.NATS_URL),
    localNats: { host: '127.0.0.1', port: 4222 },
    searchPath: env.PATH ?? '',
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    jwtSecret: nonEmpty(env.STEWARD_JWT_SECRET),
    operatorToken: nonEmpty(env.STEWARD_OPERATOR_TOKEN),
    contextKey: nonEmpty(env.STEWARD_CONTEXT_KEY),
    cursorKey: nonEmpty(env.STEWARD_CURSOR_KEY),
    demoPassword: nonEmpty(env.STEWARD_DEMO_PASSWORD) ?? DEFAULT_DEMO_PASSWORD,
    gateway: { host: '127.0.0.1', port: port(env.STEWARD_PORT, 3000, 'STEWARD_PORT'), opsPort: port(env[opsPortVariable('gateway')], GATEWAY_OPS_PORT, opsPortVariable('gateway')) },
    opsPorts: Object.fromEntries(natsServices().map((s) => [s.name, port(env[opsPortVariable(s.name)], s.opsPort!, opsPortVariable(s.name))])),
    freeOpsPorts: nonEmpty(env.STEWARD_OPS_PORTS) === 'free',
    natsPrefix: nonEmpty(env.STEWARD_NATS_PREFIX) ?? '',
    userConfiguredOtel: Object.keys(env).some((k) => k.startsWith('OTEL_') && nonEmpty(env[k]) !== undefined),
    color: (opts.isTTY ?? false) && env.NO_COLOR === undefined && env.CI !== 'true',
    inheritedEnv,
  };
}
