/**
 * `npm run migrate [-- svc...]`: finds PostgreSQL exactly like `npm start`
 * (DATABASE_URL, local 5432, else embedded) and runs the apps' migrate
 * entrypoints, all of them or the named ones. An embedded PostgreSQL started
 * here is stopped again afterwards.
 */
import path from 'node:path';
import { loadStackConfig } from './config';
import { formatLogLine, stackLine } from './log-format';
import { MigrationError, runMigrations } from './migrations';
import { resolvePostgres, type PostgresHandle } from './postgres';
import { SERVICES, selectMigrations } from './services';

async function main(argv: readonly string[]): Promise<number> {
  const config = loadStackConfig(process.env, { isTTY: process.stdout.isTTY });
  const nameWidth = Math.max('stack'.length, ...SERVICES.map((s) => `${s.name}:migrate`.length));
  const say = (msg: string, error = false) => (error ? console.error : console.log)(stackLine(msg, { color: config.color, nameWidth, error }));

  let postgres: PostgresHandle | undefined;
  try {
    const specs = selectMigrations(argv);
    postgres = await resolvePostgres({
      databaseUrl: config.databaseUrl,
      localUrl: config.localPostgresUrl,
      databaseName: config.databaseName,
      embedded: { dataDir: path.join(config.stateDir, 'postgres'), port: config.embeddedPostgresPort },
      log: (m) => say(m),
    });
    say(`PostgreSQL: ${postgres.description}`);
    say(`running migrations: ${specs.map((s) => s.name).join(', ')}`);
    await runMigrations(specs, {
      rootDir: config.rootDir,
      env: { ...config.inheritedEnv, DATABASE_URL: postgres.url, LOG_LEVEL: config.logLevel },
      onLine: (svc, line) => console.log(formatLogLine(svc, line, { color: config.color, nameWidth })),
    });
    say('migrations done');
    return 0;
  } catch (err) {
    if (err instanceof MigrationError && err.lastLines.length > 0) {
      say(`${err.message}. Last output:\n${err.lastLines.map((l) => `  ${l}`).join('\n')}`, true);
    } else {
      say(err instanceof Error ? err.message : String(err), true);
    }
    return 1;
  } finally {
    await postgres?.stop().catch((err: unknown) => say(`stopping PostgreSQL: ${String(err)}`, true));
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
