import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIdempotencyKeys, enablePartnerScopedRls, enableTenantRls, PARTNER_ID, serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

const { app, relay, partner } = serviceRoles('gateway');

/**
 * Webhooks (docs/adr/0020-webhooks.md): endpoints, the events they were sent, one delivery
 * per (endpoint, event) with its attempts, and the account → lead partner read model that
 * scopes partners' endpoints. Tenant data under row-level security: users' transactions see
 * their tenant's rows; partners' (the partner role) only their own endpoints and what hangs
 * off them. The relay role schedules deliveries across tenants and may touch only their
 * scheduling columns, and prunes old events (their deliveries and attempts go with them).
 *
 * Also the gateway's `idempotency_keys` again (ADR 8): webhook writes happen in the gateway,
 * so it decides their Idempotency-Key in their own transaction like any service.
 */
export class Webhooks1796461538207 implements MigrationInterface {
  name = 'Webhooks1796461538207';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE gateway.webhook_endpoints (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      partner_id uuid,
      url text NOT NULL,
      description text,
      event_types text[] NOT NULL,
      enabled boolean NOT NULL,
      secret text NOT NULL,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      disabled jsonb,
      last_disabled jsonb,
      consecutive_failures integer NOT NULL DEFAULT 0,
      failing_since timestamptz,
      last_success_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX webhook_endpoints_tenant ON gateway.webhook_endpoints (tenant_id, id)`);
    await enablePartnerScopedRls(qr, 'gateway.webhook_endpoints', app, { role: partner, predicate: `partner_id = ${PARTNER_ID}`, privileges: 'SELECT, INSERT, UPDATE, DELETE' });

    await qr.query(`CREATE TABLE gateway.webhook_events (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      type text NOT NULL,
      occurred_at timestamptz NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await qr.query(`CREATE INDEX webhook_events_created ON gateway.webhook_events (created_at)`);
    await enableTenantRls(qr, 'gateway.webhook_events', app, 'SELECT, INSERT');

    await qr.query(`CREATE TABLE gateway.webhook_deliveries (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      endpoint_id uuid NOT NULL REFERENCES gateway.webhook_endpoints (id) ON DELETE CASCADE,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped')),
      attempt_count integer NOT NULL DEFAULT 0,
      round_attempts integer NOT NULL DEFAULT 0,
      round_started_at timestamptz,
      next_attempt_at timestamptz,
      lease_owner text,
      lease_token uuid,
      lease_until timestamptz,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (endpoint_id, event_id),
      FOREIGN KEY (tenant_id, event_id) REFERENCES gateway.webhook_events (tenant_id, id) ON DELETE CASCADE
    )`);
    await qr.query(`CREATE INDEX webhook_deliveries_due ON gateway.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await qr.query(`CREATE INDEX webhook_deliveries_endpoint ON gateway.webhook_deliveries (endpoint_id, id DESC)`);
    await qr.query(`CREATE INDEX webhook_deliveries_event ON gateway.webhook_deliveries (tenant_id, event_id)`);
    await enablePartnerScopedRls(qr, 'gateway.webhook_deliveries', app, {
      role: partner,
      predicate: `EXISTS (SELECT 1 FROM gateway.webhook_endpoints e WHERE e.id = endpoint_id)`,
      privileges: 'SELECT, INSERT, UPDATE',
    });

    await qr.query(`CREATE TABLE gateway.webhook_attempts (
      tenant_id uuid NOT NULL,
      delivery_id uuid NOT NULL REFERENCES gateway.webhook_deliveries (id) ON DELETE CASCADE,
      number integer NOT NULL,
      at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      outcome text NOT NULL,
      status_code integer,
      error text,
      response_excerpt text,
      PRIMARY KEY (delivery_id, number)
    )`);
    await enablePartnerScopedRls(
      qr,
      'gateway.webhook_attempts',
      app,
      { role: partner, predicate: `EXISTS (SELECT 1 FROM gateway.webhook_deliveries d WHERE d.id = delivery_id)`, privileges: 'SELECT' },
      'SELECT, INSERT',
    );

    // Partners read the events of their own deliveries, and insert only test events of their own.
    await qr.query(`CREATE POLICY partner_scope ON gateway.webhook_events FOR SELECT TO ${partner} USING (${TENANT_PREDICATE} AND EXISTS (
      SELECT 1 FROM gateway.webhook_deliveries d WHERE d.tenant_id = webhook_events.tenant_id AND d.event_id = webhook_events.id))`);
    await qr.query(`CREATE POLICY partner_test_events ON gateway.webhook_events FOR INSERT TO ${partner} WITH CHECK (${TENANT_PREDICATE} AND type = 'webhooks.test.v1')`);
    await qr.query(`GRANT SELECT, INSERT ON gateway.webhook_events TO ${partner}`);

    // Which partner leads each account (from accounts' events): decides partners' deliveries.
    await qr.query(`CREATE TABLE gateway.webhook_account_leads (
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      lead_partner_id uuid,
      as_of timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, account_id)
    )`);
    await enableTenantRls(qr, 'gateway.webhook_account_leads', app, 'SELECT, INSERT, UPDATE');

    // The scheduler (relay role): every tenant's deliveries, scheduling columns only; pruning.
    await qr.query(`CREATE POLICY scheduler_read ON gateway.webhook_deliveries FOR SELECT TO ${relay} USING (true)`);
    await qr.query(`CREATE POLICY scheduler_lease ON gateway.webhook_deliveries FOR UPDATE TO ${relay} USING (true) WITH CHECK (true)`);
    await qr.query(`GRANT SELECT (id, tenant_id, status, next_attempt_at, lease_token, lease_until), UPDATE (lease_owner, lease_token, lease_until) ON gateway.webhook_deliveries TO ${relay}`);
    await qr.query(`CREATE POLICY retention_read ON gateway.webhook_events FOR SELECT TO ${relay} USING (true)`);
    await qr.query(`CREATE POLICY retention ON gateway.webhook_events FOR DELETE TO ${relay} USING (true)`);
    await qr.query(`GRANT SELECT (created_at), DELETE ON gateway.webhook_events TO ${relay}`);

    await createIdempotencyKeys(qr, 'gateway', 'gateway');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS gateway.idempotency_keys`);
    await qr.query(`DROP TABLE IF EXISTS gateway.webhook_account_leads`);
    await qr.query(`DROP TABLE IF EXISTS gateway.webhook_attempts`);
    await qr.query(`DROP TABLE IF EXISTS gateway.webhook_deliveries`);
    await qr.query(`DROP TABLE IF EXISTS gateway.webhook_events`);
    await qr.query(`DROP TABLE IF EXISTS gateway.webhook_endpoints`);
  }
}
