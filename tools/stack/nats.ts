/**
 * Finds a NATS for the stack, in this order: NATS_URL; one listening on
 * 127.0.0.1:4222; a `nats-server` binary (PATH or /usr/sbin) started with JetStream
 * into .steward/nats. NATS has no npm-shipped binary, so with none of these the
 * launcher stops with {@link NATS_MISSING_HELP}.
 *
 * A server the launcher starts runs with authentication: a generated configuration with
 * one user per service (and the gateway), each with least-privilege permissions
 * (libs/messaging nats-permissions.ts), and fresh passwords per run handed to each process.
 * A server it finds (NATS_URL, localhost:4222) is used as it is: the launcher says so.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { platformNatsUsers, renderNatsServerConfig } from '@steward/messaging';
import { waitForPort, tcpProbe } from './net';
import { describeExit, spawnManaged, stopAll, type ManagedProcess } from './processes';

export type NatsSource = 'env' | 'local' | 'started';

/** One client's NATS login (NATS_USER / NATS_PASSWORD of that process). */
export interface NatsCredentials {
  user: string;
  password: string;
}

export interface NatsHandle {
  source: NatsSource;
  url: string;
  description: string;
  /** Stops the nats-server the launcher started; a no-op otherwise. */
  stop(): Promise<void>;
  /** The nats-server child, when the launcher started one. */
  process?: ManagedProcess;
  /** Each client's credentials (by service name, and `gateway`) when the server requires them. */
  credentials?: Record<string, NatsCredentials>;
}

export interface ResolveNatsOptions {
  natsUrl?: string;
  host: string;
  port: number;
  /** JetStream store directory for a started server. */
  storeDir: string;
  /** PATH to search for nats-server. */
  searchPath: string;
  log?: (msg: string) => void;
  /**
   * Start nats-server with generated users and least-privilege permissions for the stack's
   * subject prefix (the launcher and the end-to-end tests do); omitted: no authentication.
   */
  auth?: { prefix: string };
  /** Where the generated configuration goes (default: nats.conf next to the store directory). */
  configFile?: string;
}

export interface NatsDeps {
  probe(host: string, port: number): Promise<boolean>;
  findBinary(searchPath: string): string | undefined;
  startServer(binary: string, opts: ResolveNatsOptions): Promise<NatsHandle>;
}

export const NATS_MISSING_HELP = [
  'No NATS server found: NATS_URL is not set, nothing listens on 127.0.0.1:4222, and no `nats-server` binary is on PATH.',
  'Get one of these, then run `npm start` again:',
  '  Debian/Ubuntu:  sudo apt-get install nats-server',
  '  macOS:          brew install nats-server',
  '  Docker:         docker run -p 4222:4222 nats -js',
  '  or point the stack at an existing server: NATS_URL=nats://host:4222 npm start',
].join('\n');

export class NatsNotFoundError extends Error {
  constructor() {
    super(NATS_MISSING_HELP);
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `nats-server` from the given PATH, else /usr/sbin/nats-server (Debian installs it there, often off a user's PATH). */
export function findNatsServer(searchPath: string): string | undefined {
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/sbin', '/usr/local/sbin']) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The nats-server configuration for an authenticated stack: JetStream into `storeDir` and one
 * user per client with a fresh random password (written mode 0600: it holds the passwords).
 */
export async function writeAuthenticatedNatsConfig(file: string, o: { host: string; port: number; storeDir: string; prefix: string }): Promise<Record<string, NatsCredentials>> {
  const credentials: Record<string, NatsCredentials> = {};
  const users = platformNatsUsers(o.prefix, (client) => {
    credentials[client] = { user: client, password: randomBytes(24).toString('base64url') };
    return credentials[client].password;
  });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderNatsServerConfig({ host: o.host, port: o.port, storeDir: o.storeDir, users }), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

export async function startNatsServer(binary: string, opts: ResolveNatsOptions): Promise<NatsHandle> {
  await mkdir(opts.storeDir, { recursive: true });
  let args = ['-a', opts.host, '-p', String(opts.port), '-js', '-sd', opts.storeDir];
  let credentials: Record<string, NatsCredentials> | undefined;
  if (opts.auth) {
    const configFile = opts.configFile ?? path.join(path.dirname(opts.storeDir), 'nats.conf');
    credentials = await writeAuthenticatedNatsConfig(configFile, { host: opts.host, port: opts.port, storeDir: opts.storeDir, prefix: opts.auth.prefix });
    args = ['-c', configFile];
  }
  const proc = spawnManaged('nats', binary, args, {
    cwd: path.dirname(opts.storeDir),
    env: { PATH: opts.searchPath },
  });
  const up = await waitForPort(opts.host, opts.port, 15_000, () => proc.exitInfo !== undefined);
  if (!up) {
    await stopAll([proc], 3_000);
    const why = proc.exitInfo ? `it exited (${describeExit(proc.exitInfo)})` : 'it did not listen within 15 s';
    const tail = proc.recent.last(10).map((l) => `    ${l}`).join('\n');
    throw new Error(`started ${binary} but ${why}${tail ? `:\n${tail}` : ''}`);
  }
  const url = `nats://${opts.host}:${opts.port}`;
  return {
    source: 'started',
    url,
    description: `started ${binary} (pid ${proc.pid}) on ${url}, JetStream store in ${opts.storeDir}${credentials ? `, authentication on: one user per service with least-privilege permissions (${Object.keys(credentials).join(', ')})` : ''}`,
    process: proc,
    credentials,
    stop: async () => {
      await stopAll([proc], 5_000);
    },
  };
}

/** What the launcher says about a NATS it did not start (it cannot give that server users). */
export const UNMANAGED_AUTH = ': the launcher did not start it, so it sets up no NATS users and the services connect without credentials (give each its own NATS_USER/NATS_PASSWORD for an authenticated server)';

export const defaultNatsDeps: NatsDeps = { probe: (h, p) => tcpProbe(h, p), findBinary: findNatsServer, startServer: startNatsServer };

export async function resolveNats(opts: ResolveNatsOptions, deps: NatsDeps = defaultNatsDeps): Promise<NatsHandle> {
  const noop = async () => undefined;
  if (opts.natsUrl) return { source: 'env', url: opts.natsUrl, description: `NATS_URL from the environment (${opts.natsUrl}), used as it is${UNMANAGED_AUTH}`, stop: noop };
  const url = `nats://${opts.host}:${opts.port}`;
  if (await deps.probe(opts.host, opts.port)) return { source: 'local', url, description: `NATS already listening on ${url}, used as it is${UNMANAGED_AUTH}`, stop: noop };
  const binary = deps.findBinary(opts.searchPath);
  if (!binary) throw new NatsNotFoundError();
  opts.log?.(`nothing listens on ${opts.host}:${opts.port}: starting ${binary}`);
  return deps.startServer(binary, opts);
}
