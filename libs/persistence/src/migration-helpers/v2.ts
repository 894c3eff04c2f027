/**
 * Migration helpers, version 2. FROZEN once landed (tools/migrations/landed.json): a change
 * is a new `v3.ts`. Version 1 stays as it is for the migrations that call it.
 */
import type { QueryRunner } from 'typeorm';
import { ident, serviceRoles } from '../roles';
import { TENANT_PREDICATE } from './v1';

/**
 * The table a service decides keyed writes in (`Idempotency-Key`, exactly once): one row
 * per (tenant, principal, key), claimed and settled with its reply in the transaction of
 * the write itself (libs/persistence/src/keyed-write.ts). Tenant-scoped for the runtime and
 * partner roles; the relay role deletes expired rows and reads nothing else.
 */
export async function createIdempotencyKeys(qr: QueryRunner, schema: string, service: string): Promise<void> {
  const t = `${ident(schema)}.idempotency_keys`;
  const { app, relay, partner } = serviceRoles(service);
  await qr.query(`CREATE TABLE ${t} (
    tenant_id uuid NOT NULL,
    principal text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, principal, key)
  )`);
  await qr.query(`CREATE INDEX idempotency_keys_created ON ${t} (created_at)`);
  await qr.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  for (const role of [app, partner]) {
    await qr.query(`CREATE POLICY ${ident(`tenant_isolation_${role === app ? 'app' : 'partner'}`)} ON ${t} TO ${ident(role)} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT SELECT, INSERT, UPDATE ON ${t} TO ${ident(role)}`);
  }
  await qr.query(`CREATE POLICY retention ON ${t} FOR DELETE TO ${ident(relay)} USING (true)`);
  await qr.query(`CREATE POLICY retention_read ON ${t} FOR SELECT TO ${ident(relay)} USING (true)`);
  // Only the age column is readable: the relay learns nothing about the requests.
  await qr.query(`GRANT SELECT (created_at), DELETE ON ${t} TO ${ident(relay)}`);
}

export async function dropIdempotencyKeys(qr: QueryRunner, schema: string): Promise<void> {
  await qr.query(`DROP TABLE IF EXISTS ${ident(schema)}.idempotency_keys`);
}
