import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('gateway');

/**
 * Rate-limit and failed-authentication counters shared by every gateway replica: hits per
 * bucket (`tenant:<id>`, `partner:<tenant>:<id>`, `ip:<address>`, `auth-ip:<address>`, …)
 * per fixed window. UNLOGGED: no WAL per hit; a PostgreSQL crash (or a failover) empties
 * it and the limits start over, which is acceptable for counters. Platform data: no tenant
 * rows, no row-level security; the runtime role may read and write it.
 */
export class RateLimitCounters1796090300000 implements MigrationInterface {
  name = 'RateLimitCounters1796090300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE UNLOGGED TABLE gateway.rate_limit_counters (
      bucket text NOT NULL,
      window_start bigint NOT NULL,
      hits integer NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (bucket, window_start)
    )`);
    await qr.query(`CREATE INDEX rate_limit_counters_expires ON gateway.rate_limit_counters (expires_at)`);
    await qr.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON gateway.rate_limit_counters TO ${app}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS gateway.rate_limit_counters`);
  }
}
