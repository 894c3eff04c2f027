/** Runs the apps' migrate entrypoints one after the other. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeExit, spawnManaged, type ManagedProcess } from './processes';
import { migrateEntrypoint, type ServiceSpec } from './services';

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

export async function runMigrations(specs: readonly ServiceSpec[], opts: MigrateOptions): Promise<void> {
  const missing = missingEntrypoints(
    opts.rootDir,
    specs.map((s) => migrateEntrypoint(opts.rootDir, s.name)),
  );
  if (missing.length > 0) {
    throw new MigrationError(`missing migrate entrypoint(s): ${missing.join(', ')} (run \`npm run build\`; does apps/<svc>/src/migrate.ts exist yet?)`);
  }
  for (const spec of specs) {
    const name = `${spec.name}:migrate`;
    const proc = spawnManaged(name, process.execPath, [migrateEntrypoint(opts.rootDir, spec.name)], {
      cwd: opts.rootDir,
      env: opts.env,
      onLine: (line) => opts.onLine?.(name, line),
    });
    opts.onStart?.(proc);
    await proc.exited;
    const info = proc.exitInfo ?? { code: null, signal: null };
    if (info.code !== 0) {
      throw new MigrationError(`migrations of ${spec.name} failed (${describeExit(info)})`, name, proc.recent.last(15));
    }
  }
}
