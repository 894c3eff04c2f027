import { MigrationInterface, QueryRunner } from 'typeorm';
import { enablePartnerScopedRls, enableTenantRls, PARTNER_ID, serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

const { app, partner } = serviceRoles('catalog');

/** The account read model row of the transaction's partner: the accounts it leads (`catalog.accounts`' partner policy). */
const OWN_ACCOUNT = `EXISTS (SELECT 1 FROM catalog.accounts a WHERE a.id = account_id)`;

/**
 * The catalog's own schema (DOMAIN.md §3), replacing the generated sample table.
 *
 * - Read models fed by accounts' events: `accounts` (with their lead partner), `projects`,
 *   `partners` (their kind, for price books by partner kind).
 * - The catalog: `products`, `plans`, `plan_versions` (immutable: the runtime role may only
 *   insert and read them), `price_book_entries`, `bundles` and `bundle_components`.
 * - Contracts: `subscriptions` with their `subscription_history`, `trials`, `usage_records`
 *   (unique per subscription and external id), `kpi_readings`, `settlements` (one per
 *   subscription and period), `settlement_runs`, `entitlement_sets` (the last set published per
 *   account and project) and `support_counts` (tickets and complaints per account and month,
 *   from support's events, for complaint-rate KPIs).
 *
 * Partner API keys run as `steward_catalog_partner`: they see the accounts they lead and, through
 * them, those accounts' subscriptions, trials and entitlements; the published catalog; their own
 * price book entries; nothing of usage, readings, settlements or runs.
 */
export class CatalogSchema1796200000000 implements MigrationInterface {
  name = 'CatalogSchema1796200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE catalog.samples`);

    // ---- read models ----
    await qr.query(`CREATE TABLE catalog.accounts (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      lead_channel text NOT NULL,
      lead_partner_id uuid,
      deleted boolean NOT NULL DEFAULT false,
      source_version int NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await qr.query(`CREATE INDEX accounts_by_partner ON catalog.accounts (tenant_id, lead_partner_id)`);
    await enablePartnerScopedRls(qr, 'catalog.accounts', app, { role: partner, predicate: `lead_partner_id = ${PARTNER_ID}`, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE catalog.projects (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      name text NOT NULL,
      lead text NOT NULL,
      partner_id uuid,
      deleted boolean NOT NULL DEFAULT false,
      source_updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX projects_by_account ON catalog.projects (tenant_id, account_id)`);
    await enablePartnerScopedRls(qr, 'catalog.projects', app, { role: partner, predicate: OWN_ACCOUNT, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE catalog.partners (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL
    )`);
    await enablePartnerScopedRls(qr, 'catalog.partners', app, { role: partner, predicate: `id = ${PARTNER_ID}`, privileges: 'SELECT' });

    // ---- the catalog ----
    await qr.query(`CREATE TABLE catalog.products (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      code text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('solution','service','platform','data')),
      purpose text NOT NULL CHECK (purpose IN ('capture-opportunities','incubate-opportunities','create-business-value','open-profit-space')),
      name jsonb NOT NULL,
      description jsonb NOT NULL,
      deliverables jsonb NOT NULL,
      playbook jsonb NOT NULL,
      required_resources jsonb NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','retired')),
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      published_at timestamptz,
      retired_at timestamptz,
      CONSTRAINT products_code UNIQUE (tenant_id, code)
    )`);
    await enablePartnerScopedRls(qr, 'catalog.products', app, { role: partner, predicate: `status <> 'draft'`, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE catalog.plans (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      product_id uuid NOT NULL REFERENCES catalog.products(id),
      code text NOT NULL,
      name jsonb NOT NULL,
      pricing_kind text NOT NULL CHECK (pricing_kind IN ('one-off','subscription','usage','outcome')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','retired')),
      current_version_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT plans_code UNIQUE (tenant_id, code)
    )`);
    await qr.query(`CREATE INDEX plans_by_product ON catalog.plans (tenant_id, product_id)`);
    await enablePartnerScopedRls(qr, 'catalog.plans', app, { role: partner, predicate: `status <> 'draft'`, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE catalog.plan_versions (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      plan_id uuid NOT NULL REFERENCES catalog.plans(id),
      version int NOT NULL,
      pricing jsonb NOT NULL,
      entitlements jsonb NOT NULL,
      trial_days int,
      note text,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      CONSTRAINT plan_versions_number UNIQUE (plan_id, version)
    )`);
    // Immutable by grant: the runtime role may insert and read versions, never change one.
    await enablePartnerScopedRls(
      qr,
      'catalog.plan_versions',
      app,
      { role: partner, predicate: `EXISTS (SELECT 1 FROM catalog.plans p WHERE p.id = plan_id)`, privileges: 'SELECT' },
      'SELECT, INSERT',
    );
    await qr.query(`ALTER TABLE catalog.plans ADD CONSTRAINT plans_current_version FOREIGN KEY (current_version_id) REFERENCES catalog.plan_versions(id) DEFERRABLE INITIALLY DEFERRED`);

    await qr.query(`CREATE TABLE catalog.price_book_entries (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      plan_id uuid NOT NULL REFERENCES catalog.plans(id),
      plan_version_id uuid NOT NULL REFERENCES catalog.plan_versions(id),
      partner_id uuid,
      partner_kind text,
      pricing jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((partner_id IS NULL) <> (partner_kind IS NULL))
    )`);
    await qr.query(`CREATE UNIQUE INDEX price_book_by_partner ON catalog.price_book_entries (plan_version_id, partner_id) WHERE partner_id IS NOT NULL`);
    await qr.query(`CREATE UNIQUE INDEX price_book_by_kind ON catalog.price_book_entries (plan_version_id, partner_kind) WHERE partner_kind IS NOT NULL`);
    await enablePartnerScopedRls(qr, 'catalog.price_book_entries', app, {
      role: partner,
      predicate: `(partner_id = ${PARTNER_ID} OR partner_kind = (SELECT pa.kind FROM catalog.partners pa WHERE pa.id = ${PARTNER_ID}))`,
      privileges: 'SELECT',
    });

    await qr.query(`CREATE TABLE catalog.bundles (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      code text NOT NULL,
      name jsonb NOT NULL,
      industry text NOT NULL,
      description jsonb,
      currency text NOT NULL,
      discount jsonb NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','retired')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT bundles_code UNIQUE (tenant_id, code)
    )`);
    await enableTenantRls(qr, 'catalog.bundles', app);
    await qr.query(`CREATE TABLE catalog.bundle_components (
      bundle_id uuid NOT NULL REFERENCES catalog.bundles(id),
      position int NOT NULL,
      tenant_id uuid NOT NULL,
      plan_id uuid NOT NULL REFERENCES catalog.plans(id),
      seats int NOT NULL,
      PRIMARY KEY (bundle_id, position)
    )`);
    await enableTenantRls(qr, 'catalog.bundle_components', app, 'SELECT, INSERT');

    // ---- subscriptions, trials, usage, outcomes ----
    await qr.query(`CREATE TABLE catalog.subscriptions (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      project_id uuid,
      product_id uuid NOT NULL REFERENCES catalog.products(id),
      plan_id uuid NOT NULL REFERENCES catalog.plans(id),
      plan_version_id uuid NOT NULL REFERENCES catalog.plan_versions(id),
      pricing jsonb NOT NULL,
      pricing_kind text NOT NULL,
      price_source text NOT NULL,
      seats int NOT NULL,
      channel text NOT NULL,
      partner_id uuid,
      status text NOT NULL CHECK (status IN ('active','cancelled','expired')),
      started_at timestamptz NOT NULL,
      term_unit text,
      term_index int NOT NULL DEFAULT 0,
      current_term_start timestamptz NOT NULL,
      current_term_end timestamptz,
      renewal text NOT NULL CHECK (renewal IN ('auto','manual')),
      renewed_until timestamptz,
      notice_days int NOT NULL,
      cancel_at timestamptz,
      cancellation_reason text,
      ended_at timestamptz,
      trial_id uuid,
      external_ref text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX subscriptions_by_account ON catalog.subscriptions (tenant_id, account_id, status)`);
    await qr.query(`CREATE INDEX subscriptions_outcome ON catalog.subscriptions (tenant_id, id) WHERE pricing_kind = 'outcome'`);
    await qr.query(`CREATE UNIQUE INDEX subscriptions_external_ref ON catalog.subscriptions (tenant_id, external_ref) WHERE external_ref IS NOT NULL`);
    await enablePartnerScopedRls(qr, 'catalog.subscriptions', app, { role: partner, predicate: OWN_ACCOUNT, privileges: 'SELECT, INSERT, UPDATE' }, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.subscription_history (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      subscription_id uuid NOT NULL REFERENCES catalog.subscriptions(id),
      account_id uuid NOT NULL,
      at timestamptz NOT NULL,
      event text NOT NULL,
      from_status text,
      to_status text NOT NULL,
      details jsonb NOT NULL,
      actor text NOT NULL
    )`);
    await qr.query(`CREATE INDEX subscription_history_by_subscription ON catalog.subscription_history (subscription_id, at, id)`);
    // Append-only.
    await enablePartnerScopedRls(qr, 'catalog.subscription_history', app, { role: partner, predicate: OWN_ACCOUNT, privileges: 'SELECT, INSERT' }, 'SELECT, INSERT');

    await qr.query(`CREATE TABLE catalog.trials (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      project_id uuid,
      product_id uuid NOT NULL REFERENCES catalog.products(id),
      plan_id uuid NOT NULL REFERENCES catalog.plans(id),
      plan_version_id uuid NOT NULL REFERENCES catalog.plan_versions(id),
      channel text NOT NULL,
      partner_id uuid,
      status text NOT NULL CHECK (status IN ('active','converted','lapsed')),
      started_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      converted_at timestamptz,
      lapsed_at timestamptz,
      subscription_id uuid,
      CONSTRAINT trials_once UNIQUE (tenant_id, account_id, plan_id)
    )`);
    await qr.query(`CREATE INDEX trials_by_started ON catalog.trials (tenant_id, started_at)`);
    await enablePartnerScopedRls(qr, 'catalog.trials', app, { role: partner, predicate: OWN_ACCOUNT, privileges: 'SELECT, INSERT, UPDATE' }, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.usage_records (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      subscription_id uuid NOT NULL REFERENCES catalog.subscriptions(id),
      external_id text NOT NULL,
      quantity bigint NOT NULL,
      at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      CONSTRAINT usage_records_external UNIQUE (tenant_id, subscription_id, external_id)
    )`);
    await qr.query(`CREATE INDEX usage_records_by_time ON catalog.usage_records (subscription_id, at)`);
    await enableTenantRls(qr, 'catalog.usage_records', app, 'SELECT, INSERT');

    await qr.query(`CREATE TABLE catalog.kpi_readings (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      subscription_id uuid NOT NULL REFERENCES catalog.subscriptions(id),
      at timestamptz NOT NULL,
      value double precision NOT NULL,
      source text NOT NULL CHECK (source IN ('manual','import','support-events')),
      external_id text,
      note text,
      recorded_at timestamptz NOT NULL,
      recorded_by text NOT NULL
    )`);
    await qr.query(`CREATE UNIQUE INDEX kpi_readings_external ON catalog.kpi_readings (tenant_id, subscription_id, external_id) WHERE external_id IS NOT NULL`);
    await qr.query(`CREATE INDEX kpi_readings_by_time ON catalog.kpi_readings (subscription_id, at)`);
    await enableTenantRls(qr, 'catalog.kpi_readings', app, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.settlements (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      subscription_id uuid NOT NULL REFERENCES catalog.subscriptions(id),
      account_id uuid NOT NULL,
      period text NOT NULL,
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      currency text NOT NULL,
      amount bigint NOT NULL,
      base_fee bigint NOT NULL,
      bonus bigint NOT NULL,
      malus bigint NOT NULL,
      adjustment bigint NOT NULL,
      inputs jsonb NOT NULL,
      lines jsonb NOT NULL,
      revision int NOT NULL,
      computed_at timestamptz NOT NULL,
      CONSTRAINT settlements_once UNIQUE (subscription_id, period)
    )`);
    await qr.query(`CREATE INDEX settlements_by_period ON catalog.settlements (tenant_id, period, id)`);
    await enableTenantRls(qr, 'catalog.settlements', app, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.settlement_runs (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      period text NOT NULL,
      unit text NOT NULL,
      status text NOT NULL CHECK (status IN ('running','completed','failed')),
      total int NOT NULL DEFAULT 0,
      settled int NOT NULL DEFAULT 0,
      unchanged int NOT NULL DEFAULT 0,
      skipped int NOT NULL DEFAULT 0,
      problems jsonb NOT NULL DEFAULT '[]',
      after_id uuid,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      failure_reason text
    )`);
    await enableTenantRls(qr, 'catalog.settlement_runs', app, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.entitlement_sets (
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      scope_key text NOT NULL,
      entitlements jsonb NOT NULL,
      as_of timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, account_id, scope_key)
    )`);
    await enablePartnerScopedRls(qr, 'catalog.entitlement_sets', app, { role: partner, predicate: OWN_ACCOUNT, privileges: 'SELECT, INSERT, UPDATE' }, 'SELECT, INSERT, UPDATE');

    await qr.query(`CREATE TABLE catalog.support_counts (
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      month text NOT NULL,
      tickets int NOT NULL DEFAULT 0,
      complaints int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, account_id, month)
    )`);
    await enableTenantRls(qr, 'catalog.support_counts', app, 'SELECT, INSERT, UPDATE');

    // Partner transactions write events (subscriptions, trials) and schedule their term jobs.
    await qr.query(`CREATE POLICY outbox_write_partner ON catalog.outbox FOR INSERT TO ${partner} WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT INSERT ON catalog.outbox TO ${partner}`);
    await qr.query(`GRANT USAGE ON SEQUENCE catalog.outbox_seq_seq TO ${partner}`);
    await qr.query(`CREATE POLICY jobs_partner ON catalog.jobs TO ${partner} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT SELECT, INSERT, UPDATE ON catalog.jobs TO ${partner}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP POLICY IF EXISTS jobs_partner ON catalog.jobs`);
    await qr.query(`REVOKE ALL ON catalog.jobs FROM ${partner}`);
    await qr.query(`DROP POLICY IF EXISTS outbox_write_partner ON catalog.outbox`);
    await qr.query(`REVOKE ALL ON catalog.outbox FROM ${partner}`);
    await qr.query(`REVOKE ALL ON SEQUENCE catalog.outbox_seq_seq FROM ${partner}`);
    for (const t of [
      'support_counts',
      'entitlement_sets',
      'settlement_runs',
      'settlements',
      'kpi_readings',
      'usage_records',
      'trials',
      'subscription_history',
      'subscriptions',
      'bundle_components',
      'bundles',
      'price_book_entries',
    ]) {
      await qr.query(`DROP TABLE IF EXISTS catalog.${t}`);
    }
    await qr.query(`ALTER TABLE catalog.plans DROP CONSTRAINT IF EXISTS plans_current_version`);
    for (const t of ['plan_versions', 'plans', 'products', 'partners', 'projects', 'accounts']) await qr.query(`DROP TABLE IF EXISTS catalog.${t}`);
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
}
