import { MigrationInterface, QueryRunner } from 'typeorm';
import { enablePartnerScopedRls, enableTenantRls, ident, PARTNER_ID, serviceRoles, TENANT_PREDICATE } from '@steward/persistence';

const { app, partner } = serviceRoles('support');
const P = ident(partner);

/**
 * Partner keys reach a row only through an account they lead: the sub-select is itself
 * filtered by the accounts read model's partner policy (tenant and lead partner).
 */
const OF_OWN_ACCOUNT = `EXISTS (SELECT 1 FROM support.accounts a WHERE a.id = account_id)`;
/** Through a ticket the partner may see (whose policy goes through the account). */
const OF_OWN_TICKET = `EXISTS (SELECT 1 FROM support.tickets t WHERE t.id = ticket_id)`;

/** Counters every rollup row carries (both kinds: a ticket's facts and a step's). */
const MEASURES = [
  'tickets',
  'fr_met',
  'fr_breached',
  'res_met',
  'res_breached',
  'resolved',
  'fcr',
  'complaints',
  'escalated',
  'reopened',
  'open',
  'open_breached',
  'steps',
  'handed_off',
  'resolved_in_step',
  'ho_met',
  'ho_breached',
  'exited',
  'held_ms',
];
const measureColumns = MEASURES.map((m) => `${m} bigint NOT NULL DEFAULT 0`).join(',\n      ');

/**
 * The support desk (issue 8): read models of other services' facts, the versioned support
 * policy, teams and members, tickets with their comments, status history and SLA metric
 * events, rollups for reports, after-sales orders, complaints and vouchers. Every table is
 * tenant-scoped by row-level security; partner API keys reach tickets (and what hangs off
 * them) only through accounts they lead. The sample table of the generated first migration goes.
 */
export class SupportDesk1796500000000 implements MigrationInterface {
  name = 'SupportDesk1796500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS support.samples`);

    // ---- read models (fed by accounts' and the catalog's events) ----
    await qr.query(`CREATE TABLE support.accounts (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      region text,
      tier smallint NOT NULL DEFAULT 3,
      lead_channel text NOT NULL,
      lead_partner_id uuid,
      csm_id uuid,
      strategic boolean NOT NULL DEFAULT false,
      deleted boolean NOT NULL DEFAULT false,
      source_version int NOT NULL DEFAULT 0,
      source_updated_at timestamptz NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await qr.query(`CREATE INDEX accounts_partner ON support.accounts (tenant_id, lead_partner_id)`);
    await enablePartnerScopedRls(qr, 'support.accounts', app, { role: partner, predicate: `lead_partner_id = ${PARTNER_ID}`, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE support.projects (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      account_id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL,
      size text NOT NULL,
      lead text NOT NULL,
      partner_id uuid,
      region text,
      status text NOT NULL,
      go_live_date date,
      deleted boolean NOT NULL DEFAULT false,
      source_updated_at timestamptz NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await qr.query(`CREATE INDEX projects_account ON support.projects (tenant_id, account_id)`);
    await enablePartnerScopedRls(qr, 'support.projects', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE support.users (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      email text NOT NULL,
      role text NOT NULL,
      active boolean NOT NULL,
      source_updated_at timestamptz NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await enableTenantRls(qr, 'support.users', app);

    await qr.query(`CREATE TABLE support.partners (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL,
      region text,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await enableTenantRls(qr, 'support.partners', app);

    // One row per (account, project) scope; the nil uuid is the account-wide set.
    await qr.query(`CREATE TABLE support.entitlements (
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      scope_id uuid NOT NULL,
      support_level text,
      sla_targets jsonb NOT NULL DEFAULT '{}',
      valid_until timestamptz,
      as_of timestamptz NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, account_id, scope_id)
    )`);
    await enablePartnerScopedRls(qr, 'support.entitlements', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT' });

    // ---- policy, teams ----
    await qr.query(`CREATE TABLE support.policies (
      tenant_id uuid NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      document jsonb NOT NULL,
      comment text,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      PRIMARY KEY (tenant_id, version)
    )`);
    await enablePartnerScopedRls(qr, 'support.policies', app, { role: partner, predicate: 'true', privileges: 'SELECT' }, 'SELECT, INSERT');

    await qr.query(`CREATE TABLE support.teams (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL,
      queue text NOT NULL,
      region text,
      calendar text,
      assignment text NOT NULL CHECK (assignment IN ('round-robin', 'least-loaded', 'manual')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE UNIQUE INDEX teams_queue ON support.teams (tenant_id, queue)`);
    await qr.query(`CREATE INDEX teams_list ON support.teams (tenant_id, id)`);
    await enablePartnerScopedRls(qr, 'support.teams', app, { role: partner, predicate: 'true', privileges: 'SELECT' });

    await qr.query(`CREATE TABLE support.team_members (
      tenant_id uuid NOT NULL,
      team_id uuid NOT NULL REFERENCES support.teams(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      skills text[] NOT NULL DEFAULT '{}',
      capacity int NOT NULL CHECK (capacity >= 1),
      active boolean NOT NULL DEFAULT true,
      last_assigned_at timestamptz,
      added_at timestamptz NOT NULL,
      PRIMARY KEY (team_id, user_id)
    )`);
    await enablePartnerScopedRls(qr, 'support.team_members', app, { role: partner, predicate: 'true', privileges: 'SELECT, UPDATE' });

    // Open tickets per assignee, kept by every ticket change (least-loaded assignment reads it
    // whatever the caller may see: a partner's transaction counts every account's tickets).
    await qr.query(`CREATE TABLE support.agent_load (
      tenant_id uuid NOT NULL,
      user_id uuid NOT NULL,
      open int NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, user_id)
    )`);
    await enablePartnerScopedRls(qr, 'support.agent_load', app, { role: partner, predicate: 'true', privileges: 'SELECT, INSERT, UPDATE' });

    // ---- tickets ----
    await qr.query(`CREATE TABLE support.tickets (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      external_id text,
      account_id uuid NOT NULL,
      project_id uuid,
      contact jsonb,
      category text NOT NULL,
      priority text NOT NULL,
      channel text NOT NULL,
      subject text NOT NULL,
      description text NOT NULL,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      required_skills text[] NOT NULL DEFAULT '{}',
      status text NOT NULL,
      status_class text NOT NULL,
      is_open boolean NOT NULL,
      level text NOT NULL,
      step int NOT NULL DEFAULT 0,
      queue text NOT NULL,
      team_id uuid,
      assignee_id uuid,
      routing jsonb NOT NULL,
      steps jsonb NOT NULL,
      origin_kind text,
      origin_ref text,
      follow_up boolean NOT NULL DEFAULT false,
      complaint boolean NOT NULL DEFAULT false,
      merged_into_id uuid,
      reopen_count int NOT NULL DEFAULT 0,
      escalations int NOT NULL DEFAULT 0,
      agent_responses int NOT NULL DEFAULT 0,
      imported boolean NOT NULL DEFAULT false,
      policy_version int NOT NULL,
      calendar text NOT NULL,
      timeline jsonb NOT NULL,
      sla jsonb NOT NULL,
      sla_marks jsonb NOT NULL DEFAULT '{}',
      sla_breached boolean NOT NULL DEFAULT false,
      next_check_at timestamptz,
      timer_job_id uuid,
      rollup jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      first_responded_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      version int NOT NULL DEFAULT 1
    )`);
    await qr.query(`CREATE INDEX tickets_recent ON support.tickets (tenant_id, created_at DESC, id DESC)`);
    await qr.query(`CREATE INDEX tickets_account ON support.tickets (tenant_id, account_id, created_at DESC)`);
    await qr.query(`CREATE INDEX tickets_open_queue ON support.tickets (tenant_id, queue, created_at DESC) WHERE is_open`);
    await qr.query(`CREATE INDEX tickets_open_id ON support.tickets (tenant_id, id) WHERE is_open`);
    await qr.query(`CREATE INDEX tickets_open_assignee ON support.tickets (tenant_id, assignee_id) WHERE is_open AND assignee_id IS NOT NULL`);
    await qr.query(`CREATE UNIQUE INDEX tickets_external_id ON support.tickets (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await qr.query(`CREATE UNIQUE INDEX tickets_origin ON support.tickets (tenant_id, origin_kind, origin_ref) WHERE origin_kind IS NOT NULL`);
    await enablePartnerScopedRls(qr, 'support.tickets', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT, INSERT, UPDATE' });

    await qr.query(`CREATE TABLE support.ticket_comments (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      at timestamptz NOT NULL,
      by text NOT NULL CHECK (by IN ('agent', 'customer')),
      visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
      body text NOT NULL,
      author text NOT NULL,
      attachments jsonb NOT NULL DEFAULT '[]'
    )`);
    await qr.query(`CREATE INDEX ticket_comments_ticket ON support.ticket_comments (ticket_id, at, id)`);
    // Partners never see internal notes.
    await enablePartnerScopedRls(qr, 'support.ticket_comments', app, { role: partner, predicate: `visibility = 'public' AND ${OF_OWN_TICKET}`, privileges: 'SELECT, INSERT' });

    await qr.query(`CREATE TABLE support.ticket_history (
      seq bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      at timestamptz NOT NULL,
      status text NOT NULL,
      status_class text NOT NULL,
      by text NOT NULL,
      reason text
    )`);
    await qr.query(`CREATE INDEX ticket_history_ticket ON support.ticket_history (ticket_id, seq)`);
    await enablePartnerScopedRls(qr, 'support.ticket_history', app, { role: partner, predicate: OF_OWN_TICKET, privileges: 'SELECT, INSERT' });

    await qr.query(`CREATE TABLE support.sla_events (
      seq bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      kind text NOT NULL,
      clock text,
      details jsonb NOT NULL DEFAULT '{}'
    )`);
    await qr.query(`CREATE INDEX sla_events_ticket ON support.sla_events (ticket_id, seq)`);
    await enablePartnerScopedRls(qr, 'support.sla_events', app, { role: partner, predicate: OF_OWN_TICKET, privileges: 'SELECT, INSERT' });

    // ---- rollups: every ticket change appends its difference; a job folds them per tenant ----
    await qr.query(`CREATE TABLE support.rollup_deltas (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('ticket', 'step')),
      day date NOT NULL,
      level text NOT NULL,
      step int NOT NULL,
      queue text NOT NULL,
      team_id uuid,
      priority text NOT NULL,
      ${measureColumns}
    )`);
    await qr.query(`CREATE INDEX rollup_deltas_tenant ON support.rollup_deltas (tenant_id, id)`);
    await enablePartnerScopedRls(qr, 'support.rollup_deltas', app, { role: partner, predicate: 'true', privileges: 'INSERT' });

    await qr.query(`CREATE TABLE support.rollups (
      tenant_id uuid NOT NULL,
      kind text NOT NULL,
      day date NOT NULL,
      level text NOT NULL,
      step int NOT NULL,
      queue text NOT NULL,
      team_key uuid NOT NULL,
      priority text NOT NULL,
      ${measureColumns},
      PRIMARY KEY (tenant_id, kind, day, level, step, queue, team_key, priority)
    )`);
    await enableTenantRls(qr, 'support.rollups', app);

    // ---- after-sales orders, complaints, vouchers ----
    await qr.query(`CREATE TABLE support.rma_orders (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      account_id uuid NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      notes text,
      parts jsonb NOT NULL DEFAULT '[]',
      visits jsonb NOT NULL DEFAULT '[]',
      history jsonb NOT NULL DEFAULT '[]',
      target_minutes double precision NOT NULL,
      calendar text NOT NULL,
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      completed_at timestamptz,
      version int NOT NULL DEFAULT 1
    )`);
    await qr.query(`CREATE INDEX rma_orders_recent ON support.rma_orders (tenant_id, id DESC)`);
    await qr.query(`CREATE INDEX rma_orders_ticket ON support.rma_orders (ticket_id)`);
    await enablePartnerScopedRls(qr, 'support.rma_orders', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT' });

    await qr.query(`CREATE TABLE support.complaints (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      account_id uuid NOT NULL,
      source text NOT NULL,
      reason text NOT NULL,
      level text NOT NULL,
      tier smallint,
      status text NOT NULL CHECK (status IN ('open', 'resolved')),
      outcome text,
      registered_at timestamptz NOT NULL,
      registered_by text NOT NULL,
      resolved_at timestamptz
    )`);
    await qr.query(`CREATE UNIQUE INDEX complaints_ticket ON support.complaints (tenant_id, ticket_id)`);
    await qr.query(`CREATE INDEX complaints_recent ON support.complaints (tenant_id, id DESC)`);
    await enablePartnerScopedRls(qr, 'support.complaints', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT, INSERT' });

    await qr.query(`CREATE TABLE support.vouchers (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      ticket_id uuid,
      complaint_id uuid,
      kind text NOT NULL,
      face_value bigint NOT NULL CHECK (face_value > 0),
      currency text NOT NULL,
      status text NOT NULL CHECK (status IN ('issued', 'redeemed', 'expired')),
      reason text NOT NULL,
      rule_id text,
      issued_at timestamptz NOT NULL,
      issued_by text NOT NULL,
      expires_at timestamptz NOT NULL,
      redeemed_at timestamptz,
      order_ref text,
      order_amount bigint,
      order_currency text
    )`);
    await qr.query(`CREATE UNIQUE INDEX vouchers_rule_once ON support.vouchers (tenant_id, ticket_id, rule_id) WHERE rule_id IS NOT NULL`);
    await qr.query(`CREATE INDEX vouchers_recent ON support.vouchers (tenant_id, id DESC)`);
    await enablePartnerScopedRls(qr, 'support.vouchers', app, { role: partner, predicate: OF_OWN_ACCOUNT, privileges: 'SELECT, INSERT' });

    // ---- what partner transactions need besides the tables above ----
    // Events, keyed writes' rows (createIdempotencyKeys already grants the partner role), timers.
    await qr.query(`CREATE POLICY outbox_write_partner ON support.outbox FOR INSERT TO ${P} WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT INSERT ON support.outbox TO ${P}`);
    await qr.query(`CREATE POLICY jobs_partner ON support.jobs TO ${P} USING (${TENANT_PREDICATE}) WITH CHECK (${TENANT_PREDICATE})`);
    await qr.query(`GRANT SELECT, INSERT, UPDATE ON support.jobs TO ${P}`);
    for (const seq of ['outbox_seq_seq', 'ticket_history_seq_seq', 'sla_events_seq_seq', 'rollup_deltas_id_seq']) {
      await qr.query(`GRANT USAGE ON SEQUENCE support.${seq} TO ${ident(app)}, ${P}`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP POLICY IF EXISTS jobs_partner ON support.jobs`);
    await qr.query(`DROP POLICY IF EXISTS outbox_write_partner ON support.outbox`);
    await qr.query(`REVOKE ALL ON support.outbox, support.jobs FROM ${P}`);
    await qr.query(`REVOKE ALL ON SEQUENCE support.outbox_seq_seq FROM ${P}`);
    for (const t of ['vouchers', 'complaints', 'rma_orders', 'rollups', 'rollup_deltas', 'sla_events', 'ticket_history', 'ticket_comments', 'tickets', 'agent_load', 'team_members', 'teams', 'policies', 'entitlements', 'partners', 'users', 'projects', 'accounts']) {
      await qr.query(`DROP TABLE IF EXISTS support.${t}`);
    }
    await qr.query(`CREATE TABLE support.samples (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, label text NOT NULL, created_by text NOT NULL, created_at timestamptz NOT NULL)`);
    await qr.query(`CREATE INDEX samples_tenant ON support.samples (tenant_id, id)`);
    await enableTenantRls(qr, 'support.samples', app);
  }
}
