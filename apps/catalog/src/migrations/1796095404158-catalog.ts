import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@steward/messaging';
import { createJobsTable, dropJobsTable } from '@steward/service-kit';
import { createIdempotencyKeys, dropIdempotencyKeys, enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('catalog');

/**
 * The catalog schema: outbox and inbox (events out, exactly-once consumption in), the
 * idempotency keys of keyed writes, and the sample table, tenant-scoped by row-level security. The schema and the roles
 * (steward_catalog, _relay, _partner) are created by the migration runner.
 */
export class CatalogInit1796095404158 implements MigrationInterface {
  name = 'CatalogInit1796095404158';

  async up(qr: QueryRunner): Promise<void> {
    await createOutboxAndInbox(qr, 'catalog', 'catalog');
    // Durable background work (docs/adr/0014-durable-jobs.md): register kinds with r.job(def, handler).
    await createJobsTable(qr, 'catalog', 'catalog');
    await createIdempotencyKeys(qr, 'catalog', 'catalog');
    await qr.query(`CREATE TABLE catalog.samples (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      label text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX samples_tenant ON catalog.samples (tenant_id, id)`);
    await enableTenantRls(qr, 'catalog.samples', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS catalog.samples`);
    await dropIdempotencyKeys(qr, 'catalog');
    await dropJobsTable(qr, 'catalog');
    await dropOutboxAndInbox(qr, 'catalog');
  }
}
