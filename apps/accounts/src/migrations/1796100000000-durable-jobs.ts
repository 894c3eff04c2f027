import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles } from '@steward/persistence';
import { createJobsTable, dropJobsTable } from '@steward/service-kit';

const { app } = serviceRoles('accounts');

/**
 * Durable jobs for accounts (docs/adr/0014-durable-jobs.md): the kit's jobs table; CSV
 * import rows staged before the import job runs (deleted chunk by chunk as it processes
 * them, so an interrupted job resumes with what is left); when the upload completed and
 * why an import failed.
 */
export class DurableJobs1796100000000 implements MigrationInterface {
  name = 'DurableJobs1796100000000';

  async up(qr: QueryRunner): Promise<void> {
    await createJobsTable(qr, 'accounts', 'accounts');
    await qr.query(`CREATE TABLE accounts.import_rows (
      import_id uuid NOT NULL REFERENCES accounts.import_jobs(id) ON DELETE CASCADE,
      seq int NOT NULL,
      tenant_id uuid NOT NULL,
      line int NOT NULL,
      data jsonb NOT NULL,
      PRIMARY KEY (import_id, seq)
    )`);
    await enableTenantRls(qr, 'accounts.import_rows', app);
    await qr.query(`ALTER TABLE accounts.import_jobs ADD COLUMN submitted_at timestamptz, ADD COLUMN failure_reason text`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE accounts.import_jobs DROP COLUMN IF EXISTS failure_reason, DROP COLUMN IF EXISTS submitted_at`);
    await qr.query(`DROP TABLE IF EXISTS accounts.import_rows`);
    await dropJobsTable(qr, 'accounts');
  }
}
