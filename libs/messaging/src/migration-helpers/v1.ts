/**
 * Outbox and inbox tables, version 1. FROZEN: landed migrations call these. Never edit this
 * file (tools/migrations/landed.json holds its checksum and a test fails on any change); a
 * change is a new `v2.ts` that new migrations import.
 */
import type { QueryRunner } from 'typeorm';
import { ident, serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

/**
 * Creates the outbox and inbox tables of a service schema. Call it from the service's
 * first migration. The runtime role may only insert into the outbox (it never reads other
 * tenants' events); the relay role reads and marks it; the inbox is tenant-scoped.
 */
export async function createOutboxAndInbox(qr: QueryRunner, schema: string, service: string): Promise<void> {
  const s = ident(schema);
  const { app, relay } = serviceRoles(service);
  await qr.query(`CREATE TABLE ${s}.outbox (
    id uuid PRIMARY KEY,
    seq bigserial NOT NULL,
    tenant_id uuid NOT NULL,
    subject text NOT NULL,
    payload jsonb NOT NULL,
    headers jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
  )`);
  await qr.query(`CREATE INDEX outbox_unsent ON ${s}.outbox (seq) WHERE sent_at IS NULL`);
  await qr.query(`CREATE INDEX outbox_sent_at ON ${s}.outbox (sent_at) WHERE sent_at IS NOT NULL`);
  await qr.query(`ALTER TABLE ${s}.outbox ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${s}.outbox FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY outbox_write ON ${s}.outbox FOR INSERT TO ${ident(app)} WITH CHECK (${TENANT_PREDICATE})`);
  await qr.query(`CREATE POLICY outbox_relay ON ${s}.outbox TO ${ident(relay)} USING (true) WITH CHECK (true)`);
  await qr.query(`GRANT INSERT ON ${s}.outbox TO ${ident(app)}`);
  await qr.query(`GRANT USAGE ON SEQUENCE ${s}.outbox_seq_seq TO ${ident(app)}`);
  await qr.query(`GRANT SELECT, UPDATE, DELETE ON ${s}.outbox TO ${ident(relay)}`);

  await qr.query(`CREATE TABLE ${s}.inbox (
    consumer text NOT NULL,
    message_id text NOT NULL,
    tenant_id uuid NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
  )`);
  await qr.query(`ALTER TABLE ${s}.inbox ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${s}.inbox FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY tenant_isolation ON ${s}.inbox TO ${ident(app)} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
  await qr.query(`GRANT SELECT, INSERT, DELETE ON ${s}.inbox TO ${ident(app)}`);
  // The relay prunes handled ids once JetStream can no longer redeliver them (all tenants).
  await qr.query(`CREATE POLICY inbox_prune ON ${s}.inbox FOR DELETE TO ${ident(relay)} USING (true)`);
  await qr.query(`CREATE POLICY inbox_prune_read ON ${s}.inbox FOR SELECT TO ${ident(relay)} USING (true)`);
  // Only the age column is readable: the relay learns nothing about handled messages.
  await qr.query(`GRANT SELECT (handled_at), DELETE ON ${s}.inbox TO ${ident(relay)}`);
}

export async function dropOutboxAndInbox(qr: QueryRunner, schema: string): Promise<void> {
  await qr.query(`DROP TABLE IF EXISTS ${ident(schema)}.inbox`);
  await qr.query(`DROP TABLE IF EXISTS ${ident(schema)}.outbox`);
}
