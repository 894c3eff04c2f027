import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

const { app, partner } = serviceRoles('accounts');

/** The partner of a partner API key's transaction (set with the tenant). */
const PARTNER = `nullif(current_setting('app.partner_id', true), '')::uuid`;

/**
 * Tenant users run as the runtime role, whose policies check only the tenant. Partner API
 * keys run as the partner role (`SET LOCAL ROLE`), whose policies add the partner: the
 * accounts it leads, and the rows of those accounts (the sub-select is itself filtered by
 * the partner's accounts policy). One policy with "partner unset OR …" would be simpler,
 * but it wrecks PostgreSQL's row estimates for every tenant query.
 */
async function secure(qr: QueryRunner, table: string, opts: { partner?: { predicate: string; privileges: string } } = {}): Promise<void> {
  await qr.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY tenant_isolation ON ${table} TO ${app} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
  await qr.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${app}`);
  if (opts.partner) {
    const p = `${TENANT_PREDICATE} AND ${opts.partner.predicate}`;
    await qr.query(`CREATE POLICY partner_scope ON ${table} TO ${partner} USING (${p}) WITH CHECK (${p})`);
    await qr.query(`GRANT ${opts.partner.privileges} ON ${table} TO ${partner}`);
  }
}
const OWN_ACCOUNTS = { predicate: `lead_partner_id = ${PARTNER}`, privileges: 'SELECT, INSERT, UPDATE' };
const OF_OWN_ACCOUNTS = { predicate: `EXISTS (SELECT 1 FROM accounts.accounts a WHERE a.id = account_id)`, privileges: 'SELECT, INSERT, UPDATE, DELETE' };

/** Enterprise customers, stakeholders, installed base, revenue, tiering state, CSV imports. */
export class Customers1763900000000 implements MigrationInterface {
  name = 'Customers1763900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE accounts.tenants ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$')`);

    await qr.query(`CREATE TABLE accounts.accounts (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      external_id text,
      name text NOT NULL,
      name_key text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED,
      industry text,
      region text,
      size_band text CHECK (size_band IN ('1-49','50-249','250-999','1000-4999','5000+')),
      owner_id uuid REFERENCES accounts.users(id),
      csm_id uuid REFERENCES accounts.users(id),
      lead_channel text NOT NULL DEFAULT 'direct' CHECK (lead_channel IN ('direct','partner','dealer')),
      lead_partner_id uuid REFERENCES accounts.partners(id),
      strategic boolean NOT NULL DEFAULT false,
      high_potential boolean NOT NULL DEFAULT false,
      lifecycle text NOT NULL DEFAULT 'prospect' CHECK (lifecycle IN ('prospect','onboarding','active','at-risk','churned')),
      custom_attributes jsonb NOT NULL DEFAULT '{}',
      tier smallint NOT NULL DEFAULT 3 CHECK (tier BETWEEN 1 AND 3),
      computed_tier smallint NOT NULL DEFAULT 3 CHECK (computed_tier BETWEEN 1 AND 3),
      tier_reason text NOT NULL DEFAULT 'not-yet-tiered',
      computed_reason text NOT NULL DEFAULT 'not-yet-tiered',
      tier_override jsonb,
      revenue_12m bigint NOT NULL DEFAULT 0,
      tiered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      version int NOT NULL DEFAULT 1
    )`);
    await qr.query(`CREATE UNIQUE INDEX accounts_external_id ON accounts.accounts (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await qr.query(`CREATE INDEX accounts_by_name ON accounts.accounts (tenant_id, name_key, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_revenue ON accounts.accounts (tenant_id, revenue_12m DESC, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_tier ON accounts.accounts (tenant_id, tier, name_key, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_owner ON accounts.accounts (tenant_id, owner_id, name_key, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_csm ON accounts.accounts (tenant_id, csm_id, name_key, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_partner ON accounts.accounts (tenant_id, lead_partner_id, name_key, id)`);
    await qr.query(`CREATE INDEX accounts_by_industry ON accounts.accounts (tenant_id, industry, name_key, id) WHERE deleted_at IS NULL`);
    await qr.query(`CREATE INDEX accounts_by_region ON accounts.accounts (tenant_id, region, name_key, id) WHERE deleted_at IS NULL`);
    await secure(qr, 'accounts.accounts', { partner: OWN_ACCOUNTS });

    await qr.query(`CREATE TABLE accounts.contacts (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      account_id uuid NOT NULL REFERENCES accounts.accounts(id),
      name text NOT NULL,
      title text,
      department text,
      email text,
      phone text,
      buying_role text NOT NULL CHECK (buying_role IN ('decision-maker','economic-buyer','influencer','champion','end-user','blocker')),
      influence text NOT NULL DEFAULT 'medium' CHECK (influence IN ('low','medium','high')),
      reports_to_id uuid REFERENCES accounts.contacts(id),
      engaged boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (reports_to_id IS DISTINCT FROM id)
    )`);
    await qr.query(`CREATE INDEX contacts_account ON accounts.contacts (tenant_id, account_id, id)`);
    await secure(qr, 'accounts.contacts', { partner: OF_OWN_ACCOUNTS });

    await qr.query(`CREATE TABLE accounts.projects (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      account_id uuid NOT NULL REFERENCES accounts.accounts(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('project','purchase')),
      size text NOT NULL CHECK (size IN ('large','mid','small')),
      lead text NOT NULL CHECK (lead IN ('vendor','partner','dealer','direct')),
      partner_id uuid REFERENCES accounts.partners(id),
      region text,
      go_live_date date,
      status text NOT NULL DEFAULT 'delivering' CHECK (status IN ('delivering','live','retired')),
      delivered text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX projects_account ON accounts.projects (tenant_id, account_id, id)`);
    await secure(qr, 'accounts.projects', { partner: OF_OWN_ACCOUNTS });

    await qr.query(`CREATE TABLE accounts.revenue_records (
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      account_id uuid NOT NULL REFERENCES accounts.accounts(id),
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      product_revenue bigint NOT NULL,
      service_revenue bigint NOT NULL,
      gross_margin bigint NOT NULL,
      currency text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, account_id, month)
    )`);
    await qr.query(`CREATE INDEX revenue_by_month ON accounts.revenue_records (tenant_id, month) INCLUDE (account_id, product_revenue, service_revenue)`);
    await secure(qr, 'accounts.revenue_records');

    await qr.query(`CREATE TABLE accounts.tiering_state (
      tenant_id uuid PRIMARY KEY REFERENCES accounts.tenants(id),
      window_from date NOT NULL,
      window_to date NOT NULL,
      summary jsonb NOT NULL,
      computed_at timestamptz NOT NULL
    )`);
    await secure(qr, 'accounts.tiering_state');

    await qr.query(`CREATE TABLE accounts.import_jobs (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      status text NOT NULL CHECK (status IN ('running','completed','failed')),
      filename text,
      total_rows int NOT NULL,
      processed_rows int NOT NULL DEFAULT 0,
      created int NOT NULL DEFAULT 0,
      updated int NOT NULL DEFAULT 0,
      unchanged int NOT NULL DEFAULT 0,
      failed int NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]',
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      created_by text NOT NULL
    )`);
    await secure(qr, 'accounts.import_jobs');

    // What partner transactions may touch outside the tables above: their own partner row,
    // no user rows (reference checks then find nothing), and writing events.
    await qr.query(`GRANT SELECT ON accounts.users, accounts.partners TO ${partner}`);
    await qr.query(`CREATE POLICY partner_self ON accounts.partners FOR SELECT TO ${partner} USING (${TENANT_PREDICATE} AND id = ${PARTNER})`);
    await qr.query(`CREATE POLICY outbox_write_partner ON accounts.outbox FOR INSERT TO ${partner} WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT INSERT ON accounts.outbox TO ${partner}`);
    await qr.query(`GRANT USAGE ON SEQUENCE accounts.outbox_seq_seq TO ${partner}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP POLICY IF EXISTS outbox_write_partner ON accounts.outbox`);
    await qr.query(`DROP POLICY IF EXISTS partner_self ON accounts.partners`);
    await qr.query(`REVOKE ALL ON accounts.users, accounts.partners, accounts.outbox FROM ${partner}`);
    await qr.query(`REVOKE ALL ON SEQUENCE accounts.outbox_seq_seq FROM ${partner}`);
    for (const t of ['import_jobs', 'tiering_state', 'revenue_records', 'projects', 'contacts', 'accounts']) await qr.query(`DROP TABLE IF EXISTS accounts.${t}`);
    await qr.query(`ALTER TABLE accounts.tenants DROP COLUMN IF EXISTS currency`);
  }
}
