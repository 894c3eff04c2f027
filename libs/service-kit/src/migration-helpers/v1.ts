/**
 * Durable jobs table, version 1. FROZEN: landed migrations call these. Never edit this file
 * (tools/migrations/landed.json holds its checksum and a test fails on any change); a
 * change is a new `v2.ts` that new migrations import.
 */
import type { QueryRunner } from 'typeorm';
import { ident, serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

/**
 * Creates `<schema>.jobs`, the service's durable job queue (docs/adr/0014-durable-jobs.md).
 *
 * - The runtime role enqueues and runs jobs inside tenant transactions: row-level security
 *   limits it to the tenant set in the transaction, like every tenant table.
 * - The relay role (the service's background role) claims due jobs of every tenant and
 *   renews their leases. It may read and write only the scheduling columns: never a
 *   job's payload, progress or error.
 * - At most one job per (tenant, kind, dedupe key) waits un-started: enqueueing it again
 *   moves its start (debounce) instead of adding a second one.
 */
export async function createJobsTable(qr: QueryRunner, schema: string, service: string): Promise<void> {
  const s = ident(schema);
  const { app, relay } = serviceRoles(service);
  await qr.query(`CREATE TABLE ${s}.jobs (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    dedupe_key text,
    run_at timestamptz NOT NULL DEFAULT now(),
    attempts int NOT NULL DEFAULT 0,
    max_attempts int NOT NULL CHECK (max_attempts >= 1),
    lease_owner text,
    lease_token uuid,
    lease_until timestamptz,
    progress jsonb,
    last_error text,
    actor text NOT NULL,
    correlation_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
  )`);
  await qr.query(`CREATE INDEX jobs_due ON ${s}.jobs (run_at) WHERE status = 'queued'`);
  await qr.query(`CREATE INDEX jobs_leased ON ${s}.jobs (lease_until) WHERE status = 'running'`);
  await qr.query(`CREATE INDEX jobs_finished ON ${s}.jobs (finished_at) WHERE finished_at IS NOT NULL`);
  await qr.query(`CREATE UNIQUE INDEX jobs_debounce ON ${s}.jobs (tenant_id, kind, dedupe_key) WHERE status = 'queued' AND attempts = 0 AND dedupe_key IS NOT NULL`);
  await qr.query(`CREATE INDEX jobs_by_key ON ${s}.jobs (tenant_id, kind, dedupe_key) WHERE status = 'running' AND dedupe_key IS NOT NULL`);

  await qr.query(`ALTER TABLE ${s}.jobs ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${s}.jobs FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY tenant_isolation ON ${s}.jobs TO ${ident(app)} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
  await qr.query(`GRANT SELECT, INSERT, UPDATE ON ${s}.jobs TO ${ident(app)}`);

  await qr.query(`CREATE POLICY jobs_scheduler ON ${s}.jobs TO ${ident(relay)} USING (true) WITH CHECK (true)`);
  const scheduling = 'id, tenant_id, kind, status, dedupe_key, run_at, attempts, max_attempts, lease_owner, lease_token, lease_until, updated_at, started_at, finished_at';
  await qr.query(`GRANT SELECT (${scheduling}) ON ${s}.jobs TO ${ident(relay)}`);
  await qr.query(`GRANT UPDATE (status, run_at, attempts, lease_owner, lease_token, lease_until, updated_at, started_at, finished_at) ON ${s}.jobs TO ${ident(relay)}`);
  // Finished jobs are pruned after their retention by the runner.
  await qr.query(`GRANT DELETE ON ${s}.jobs TO ${ident(relay)}`);
}

export async function dropJobsTable(qr: QueryRunner, schema: string): Promise<void> {
  await qr.query(`DROP TABLE IF EXISTS ${ident(schema)}.jobs`);
}
