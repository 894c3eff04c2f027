import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { PreparingClient } from './preparing-client';
import { ident } from './roles';

export interface DataSourceOptions {
  url: string;
  /** The service's own schema: first on the search path. */
  schema: string;
  /** Role assumed for every connection (SET ROLE at start-up); null keeps the login role. */
  role: string | null;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolMax?: number;
  applicationName?: string;
  /**
   * Run repeated parameterized statements as prepared statements (default on; off behind a
   * pooler in transaction mode that cannot keep them: `DB_PREPARED_STATEMENTS=off`).
   */
  preparedStatements?: boolean;
}

/**
 * A TypeORM DataSource for one service. `synchronize` is off everywhere: the schema
 * changes only through migrations. The role is assumed through the startup
 * `options` parameter, so even the first pooled connection runs as the runtime role.
 */
export function createDataSource(o: DataSourceOptions): DataSource {
  const startup = [`-c search_path=${ident(o.schema)},public`];
  if (o.role) startup.push(`-c role=${o.role}`);
  return new DataSource({
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: o.entities ?? [],
    migrations: o.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: o.poolMax ?? 10,
      options: startup.join(' '),
      application_name: o.applicationName ?? `steward-${o.schema}`,
      connectionTimeoutMillis: 5000,
      ...((o.preparedStatements ?? true) ? { Client: PreparingClient } : {}),
    },
  });
}

/** The connection pool counters of an initialized DataSource (pg.Pool: total, idle, waiting), for metrics. */
export function poolStats(ds: DataSource): { total: number; idle: number; waiting: number } | undefined {
  const pool = (ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}
