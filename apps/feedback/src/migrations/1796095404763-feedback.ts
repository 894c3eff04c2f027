import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@steward/messaging';
import { createJobsTable, dropJobsTable } from '@steward/service-kit';
import { createIdempotencyKeys, dropIdempotencyKeys, enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('feedback');

/**
 * The feedback schema: outbox and inbox (events out, exactly-once consumption in), the
 * idempotency keys of keyed writes, and the sample table, tenant-scoped by row-level security. The schema and the roles
 * (steward_feedback, _relay, _partner) are created by the migration runner.
 */
export class FeedbackInit1796095404763 implements MigrationInterface {
  name = 'FeedbackInit1796095404763';

  async up(qr: QueryRunner): Promise<void> {
    await createOutboxAndInbox(qr, 'feedback', 'feedback');
    // Durable background work (docs/adr/0014-durable-jobs.md): register kinds with r.job(def, handler).
    await createJobsTable(qr, 'feedback', 'feedback');
    await createIdempotencyKeys(qr, 'feedback', 'feedback');
    await qr.query(`CREATE TABLE feedback.samples (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      label text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX samples_tenant ON feedback.samples (tenant_id, id)`);
    await enableTenantRls(qr, 'feedback.samples', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS feedback.samples`);
    await dropIdempotencyKeys(qr, 'feedback');
    await dropJobsTable(qr, 'feedback');
    await dropOutboxAndInbox(qr, 'feedback');
  }
}
