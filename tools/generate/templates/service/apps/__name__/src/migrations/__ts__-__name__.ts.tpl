import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@steward/messaging';
import { createJobsTable, dropJobsTable } from '@steward/service-kit';
import { createIdempotencyKeys, dropIdempotencyKeys, enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('{{name}}');

/**
 * The {{name}} schema: outbox and inbox (events out, exactly-once consumption in), the
 * idempotency keys of keyed writes, and the sample table, tenant-scoped by row-level security. The schema and the roles
 * (steward_{{name}}, _relay, _partner) are created by the migration runner.
 */
export class {{Name}}Init{{ts}} implements MigrationInterface {
  name = '{{Name}}Init{{ts}}';

  async up(qr: QueryRunner): Promise<void> {
    await createOutboxAndInbox(qr, '{{name}}', '{{name}}');
    // Durable background work (docs/adr/0014-durable-jobs.md): register kinds with r.job(def, handler).
    await createJobsTable(qr, '{{name}}', '{{name}}');
    await createIdempotencyKeys(qr, '{{name}}', '{{name}}');
    await qr.query(`CREATE TABLE {{name}}.samples (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      label text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX samples_tenant ON {{name}}.samples (tenant_id, id)`);
    await enableTenantRls(qr, '{{name}}.samples', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS {{name}}.samples`);
    await dropIdempotencyKeys(qr, '{{name}}');
    await dropJobsTable(qr, '{{name}}');
    await dropOutboxAndInbox(qr, '{{name}}');
  }
}
