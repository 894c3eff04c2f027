/**
 * Finds a NATS for the stack, in this order: NATS_URL; one listening on
 * 127.0.0.1:4222; a `nats-server` binary (PATH or /usr/sbin) started with JetStream
 * into .steward/nats. NATS has no npm-shipped binary, so with none of these the
 * launcher stops with {@link NATS_MISSING_HELP}.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { waitForPort, tcpProbe } from './net';
import { describeExit, spawnManaged, stopAll, type ManagedProcess } from './processes';

export type NatsSource = 'env' | 'local' | 'started';

export interface NatsHandle {
  source: NatsSource;
  url: string;
  description: string;
  /** Stops the nats-server the launcher started; a no-op otherwise. */
  stop(): Promise<void>;
  /** The nats-server child, when the launcher started one. */
  process?: ManagedProcess;
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

export async function startNatsServer(binary: string, opts: ResolveNatsOptions): Promise<NatsHandle> {
  await mkdir(opts.storeDir, { recursive: true });
  const proc = spawnManaged('nats', binary, ['-a', opts.host, '-p', String(opts.port), '-js', '-sd', opts.storeDir], {
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
    description: `started ${binary} (pid ${proc.pid}) on ${url}, JetStream store in ${opts.storeDir}`,
    process: proc,
    stop: async () => {
      await stopAll([proc], 5_000);
    },
  };
}

export const defaultNatsDeps: NatsDeps = { probe: (h, p) => tcpProbe(h, p), findBinary: findNatsServer, startServer: startNatsServer };

export async function resolveNats(opts: ResolveNatsOptions, deps: NatsDeps = defaultNatsDeps): Promise<NatsHandle> {
  const noop = async () => undefined;
  if (opts.natsUrl) return { source: 'env', url: opts.natsUrl, description: `NATS_URL from the environment (${opts.natsUrl})`, stop: noop };
  const url = `nats://${opts.host}:${opts.port}`;
  if (await deps.probe(opts.host, opts.port)) return { source: 'local', url, description: `NATS already listening on ${url}`, stop: noop };
  const binary = deps.findBinary(opts.searchPath);
  if (!binary) throw new NatsNotFoundError();
  opts.log?.(`nothing listens on ${opts.host}:${opts.port}: starting ${binary}`);
  return deps.startServer(binary, opts);
}
