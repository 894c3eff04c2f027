import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles, tenantPredicate } from '@steward/persistence';
import { createOutboxAndInbox, dropOutboxAndInbox } from '@steward/messaging';

const { app } = serviceRoles('accounts');

/** Identity: tenants, users, partners, API keys, refresh tokens, audit log, outbox/inbox. */
export class Identity1763800000000 implements MigrationInterface {
  name = 'Identity1763800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE accounts.tenants (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await enableTenantRls(qr, 'accounts.tenants', app, 'SELECT, INSERT, UPDATE', 'id');

    await qr.query(`CREATE TABLE accounts.users (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      email text NOT NULL,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin','manager','csm','agent','viewer')),
      password_hash text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, email)
    )`);
    await qr.query(`CREATE INDEX users_tenant_created ON accounts.users (tenant_id, created_at, id)`);
    await enableTenantRls(qr, 'accounts.users', app);

    // Login arrives with an e-mail and no tenant. This directory maps a login e-mail to its
    // tenant; the runtime role can add to it but never read it: it resolves one exact e-mail
    // at a time through a SECURITY DEFINER function, so it cannot list other tenants' users.
    await qr.query(`CREATE TABLE accounts.login_directory (
      email text PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id)
    )`);
    await qr.query(`ALTER TABLE accounts.login_directory ENABLE ROW LEVEL SECURITY`);
    await qr.query(`CREATE POLICY directory_insert ON accounts.login_directory FOR INSERT TO ${app} WITH CHECK (${tenantPredicate('tenant_id')})`);
    await qr.query(`GRANT INSERT ON accounts.login_directory TO ${app}`);
    await qr.query(`CREATE FUNCTION accounts.tenant_for_login(p_email text) RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, accounts
      AS $$ SELECT tenant_id FROM accounts.login_directory WHERE email = lower(p_email) $$`);
    await qr.query(`REVOKE ALL ON FUNCTION accounts.tenant_for_login(text) FROM PUBLIC`);
    await qr.query(`GRANT EXECUTE ON FUNCTION accounts.tenant_for_login(text) TO ${app}`);

    await qr.query(`CREATE TABLE accounts.partners (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('reseller','system-integrator','dealer')),
      region text,
      contact_email text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX partners_tenant_created ON accounts.partners (tenant_id, created_at, id)`);
    await enableTenantRls(qr, 'accounts.partners', app);

    await qr.query(`CREATE TABLE accounts.api_keys (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      partner_id uuid NOT NULL REFERENCES accounts.partners(id),
      name text NOT NULL,
      prefix text NOT NULL,
      secret_hash bytea NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    await qr.query(`CREATE INDEX api_keys_partner ON accounts.api_keys (tenant_id, partner_id, created_at, id)`);
    await enableTenantRls(qr, 'accounts.api_keys', app);

    await qr.query(`CREATE TABLE accounts.refresh_tokens (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      user_id uuid NOT NULL REFERENCES accounts.users(id),
      secret_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`);
    await enableTenantRls(qr, 'accounts.refresh_tokens', app);

    // Append-only: the runtime role may insert and read, never change or delete.
    await qr.query(`CREATE TABLE accounts.audit_log (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id uuid NOT NULL,
      before jsonb,
      after jsonb,
      correlation_id text NOT NULL
    )`);
    await qr.query(`CREATE INDEX audit_tenant_at ON accounts.audit_log (tenant_id, at DESC, id DESC)`);
    await enableTenantRls(qr, 'accounts.audit_log', app, 'SELECT, INSERT');

    await createOutboxAndInbox(qr, 'accounts', 'accounts');
  }

  async down(qr: QueryRunner): Promise<void> {
    await dropOutboxAndInbox(qr, 'accounts');
    for (const t of ['audit_log', 'refresh_tokens', 'api_keys', 'partners']) await qr.query(`DROP TABLE IF EXISTS accounts.${t}`);
    await qr.query(`DROP FUNCTION IF EXISTS accounts.tenant_for_login(text)`);
    await qr.query(`DROP TABLE IF EXISTS accounts.login_directory`);
    await qr.query(`DROP TABLE IF EXISTS accounts.users`);
    await qr.query(`DROP TABLE IF EXISTS accounts.tenants`);
  }
}
