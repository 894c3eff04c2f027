/** Runs the apps' migrations (their migrate entrypoints, loaded into one process). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeExit, spawnManaged, type ManagedProcess } from './processes';
import { migrateEntrypoint, type ServiceSpec } from './services';

/** The line migrate-all.js prints when a service's migrations fail (the service's name first). */
export const FAILED_LINE = /^migrations of (\S+) failed: /;
export const failedLine = (service: string, message: string) => `migrations of ${service} failed: ${message}`;

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly service = 'migrate',
    readonly lastLines: string[] = [],
  ) {
    super(message);
  }
}

export interface MigrateOptions {
  rootDir: string;
  /** Full environment of the migrate process (DATABASE_URL included). */
  env: Record<string, string>;
  onLine?: (service: string, line: string) => void;
  /** Told about the running migrate process, so a shutdown can stop it. */
  onStart?: (proc: ManagedProcess) => void;
}

export function missingEntrypoints(rootDir: string, files: readonly string[]): string[] {
  return files.filter((f) => !existsSync(f)).map((f) => path.relative(rootDir, f));
}

/**
 * Runs the services' migrations in order, all in one process (`migrate-all.js`); the process is
 * named `stack:migrate`. A failure is a {@link MigrationError} naming the service whose
 * migrations failed, with the process's last lines.
 */
export async function runMigrations(specs: readonly ServiceSpec[], opts: MigrateOptions): Promise<void> {
  const missing = missingEntrypoints(opts.rootDir, [...specs.map((s) => migrateEntrypoint(opts.rootDir, s.name)), migrateAllEntrypoint(opts.rootDir)]);
  if (missing.length > 0) {
    throw new MigrationError(`missing migrate entrypoint(s): ${missing.join(', ')} (run \`npm run build\`; does apps/<svc>/src/migrate.ts exist yet?)`);
  }
  if (specs.length === 0) return;
  const name = 'stack:migrate';
  let failedService: string | undefined;
  const proc = spawnManaged(name, process.execPath, [migrateAllEntrypoint(opts.rootDir), opts.rootDir, ...specs.map((s) => s.name)], {
    cwd: opts.rootDir,
    env: opts.env,
    onLine: (line) => {
      failedService ??= FAILED_LINE.exec(line)?.[1];
      opts.onLine?.(name, line);
    },
  });
  opts.onStart?.(proc);
  await proc.exited;
  const info = proc.exitInfo ?? { code: null, signal: null };
  if (info.code !== 0) {
    throw new MigrationError(`migrations of ${failedService ?? specs.map((s) => s.name).join(', ')} failed (${describeExit(info)})`, name, proc.recent.last(15));
  }
}

const migrateAllEntrypoint = (rootDir: string) => path.join(rootDir, 'dist', 'tools', 'stack', 'migrate-all.js');
