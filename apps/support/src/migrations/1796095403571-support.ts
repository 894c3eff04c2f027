import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@steward/messaging';
import { createJobsTable, dropJobsTable } from '@steward/service-kit';
import { createIdempotencyKeys, dropIdempotencyKeys, enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('support');

/**
 * The support schema: outbox and inbox (events out, exactly-once consumption in), the
 * idempotency keys of keyed writes, and the sample table, tenant-scoped by row-level security. The schema and the roles
 * (steward_support, _relay, _partner) are created by the migration runner.
 */
export class SupportInit1796095403571 implements MigrationInterface {
  name = 'SupportInit1796095403571';

  async up(qr: QueryRunner): Promise<void> {
    await createOutboxAndInbox(qr, 'support', 'support');
    // Durable background work (docs/adr/0014-durable-jobs.md): register kinds with r.job(def, handler).
    await createJobsTable(qr, 'support', 'support');
    await createIdempotencyKeys(qr, 'support', 'support');
    await qr.query(`CREATE TABLE support.samples (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      label text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX samples_tenant ON support.samples (tenant_id, id)`);
    await enableTenantRls(qr, 'support.samples', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS support.samples`);
    await dropIdempotencyKeys(qr, 'support');
    await dropJobsTable(qr, 'support');
    await dropOutboxAndInbox(qr, 'support');
  }
}
