import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('feedback');

/**
 * The feedback schema proper (replaces the generated sample table):
 * - read models of accounts' facts (accounts, contacts, users, projects), fed by its events;
 * - surveys and their versions, invitations with single-use token hashes, the contact
 *   touches behind the frequency rule, recorded deliveries;
 * - responses, built for volume: a BRIN index on `answered_at` (rows arrive roughly in time
 *   order, so a few hundred bytes of BRIN cover millions of rows), no per-response rollup
 *   row locks (a queue the rollup job drains), idempotent imports by external id;
 * - rollups: mergeable counts (libs/feedback-domain) per tenant, kind, dimension, value
 *   and month, added to by `feedback.add_counts` in one upsert per batch;
 * - the closed loop.
 */
export class FeedbackSurveys1796300000000 implements MigrationInterface {
  name = 'FeedbackSurveys1796300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS feedback.samples`);
    // Element-wise sum of two count arrays (a rollup merge, as mergeRollups does).
    await qr.query(`CREATE FUNCTION feedback.add_counts(a bigint[], b bigint[]) RETURNS bigint[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$`);

    // ---- read models (accounts' events) ----
    await qr.query(`CREATE TABLE feedback.accounts (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      tier smallint NOT NULL DEFAULT 3,
      industry text,
      region text,
      csm_id uuid,
      owner_id uuid,
      lifecycle text,
      deleted boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE TABLE feedback.contacts (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      name text NOT NULL,
      email text,
      phone text,
      buying_role text,
      influence text,
      deleted boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX contacts_account ON feedback.contacts (account_id)`);
    await qr.query(`CREATE TABLE feedback.users (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      email text,
      role text NOT NULL,
      active boolean NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE TABLE feedback.projects (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      account_id uuid NOT NULL,
      name text NOT NULL,
      lead text,
      size text,
      status text,
      deleted boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL
    )`);

    // ---- surveys ----
    await qr.query(`CREATE TABLE feedback.surveys (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      name text NOT NULL,
      kind text NOT NULL,
      nature text NOT NULL,
      audience text NOT NULL,
      trigger text NOT NULL,
      status text NOT NULL,
      version int NOT NULL,
      published_version int,
      rules jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      closed_at timestamptz
    )`);
    await qr.query(`CREATE INDEX surveys_tenant ON feedback.surveys (tenant_id, id)`);
    await qr.query(`CREATE TABLE feedback.survey_versions (
      survey_id uuid NOT NULL REFERENCES feedback.surveys(id) ON DELETE CASCADE,
      version int NOT NULL,
      tenant_id uuid NOT NULL,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (survey_id, version)
    )`);

    // ---- invitations ----
    await qr.query(`CREATE TABLE feedback.invitations (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      survey_id uuid NOT NULL REFERENCES feedback.surveys(id),
      version int NOT NULL,
      channel text NOT NULL,
      language text NOT NULL,
      contact_id uuid,
      user_id uuid,
      account_id uuid,
      team text,
      ticket_id text,
      token_hash bytea NOT NULL,
      status text NOT NULL,
      answers jsonb NOT NULL DEFAULT '{}',
      comment text,
      expires_at timestamptz NOT NULL,
      reminders_sent int NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      responded_at timestamptz,
      response_id uuid
    )`);
    await qr.query(`CREATE INDEX invitations_survey ON feedback.invitations (survey_id, id)`);
    // One CSAT invitation per ticket: a redelivered ticket event invites nobody twice.
    await qr.query(`CREATE UNIQUE INDEX invitations_ticket ON feedback.invitations (tenant_id, survey_id, ticket_id) WHERE ticket_id IS NOT NULL`);
    // The frequency rule: when each respondent (contact or employee) was last invited, to any survey.
    await qr.query(`CREATE TABLE feedback.touches (
      tenant_id uuid NOT NULL,
      respondent text NOT NULL,
      last_invited_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, respondent)
    )`);
    await qr.query(`CREATE TABLE feedback.deliveries (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      invitation_id uuid NOT NULL,
      channel text NOT NULL,
      kind text NOT NULL,
      recipient text,
      subject text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX deliveries_invitation ON feedback.deliveries (invitation_id, id)`);

    // ---- responses ----
    await qr.query(`CREATE TABLE feedback.responses (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      survey_id uuid NOT NULL,
      kind text NOT NULL,
      version int NOT NULL,
      invitation_id uuid,
      external_id text,
      channel text NOT NULL,
      language text,
      answered_at timestamptz NOT NULL,
      account_id uuid,
      contact_id uuid,
      user_id uuid,
      tier smallint,
      role text,
      segment text,
      team text,
      csm_id uuid,
      weight double precision NOT NULL DEFAULT 1,
      score smallint,
      answers jsonb NOT NULL,
      comment text,
      tags text[] NOT NULL DEFAULT '{}',
      sentiment text,
      outcomes jsonb,
      recorded_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX responses_answered_brin ON feedback.responses USING brin (answered_at)`);
    await qr.query(`CREATE INDEX responses_survey ON feedback.responses (survey_id, answered_at)`);
    await qr.query(`CREATE INDEX responses_account ON feedback.responses (account_id, answered_at) WHERE account_id IS NOT NULL`);
    await qr.query(`CREATE UNIQUE INDEX responses_external_id ON feedback.responses (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    // Responses not yet added to the rollups (drained by the rollup job, one step per batch).
    // What each response adds (its month, dimension values and scored items), so the job reads nothing else.
    await qr.query(`CREATE TABLE feedback.rollup_queue (
      response_id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      month date NOT NULL,
      dims jsonb NOT NULL,
      contributions jsonb NOT NULL
    )`);
    await qr.query(`CREATE TABLE feedback.rollups (
      tenant_id uuid NOT NULL,
      kind text NOT NULL,
      dim text NOT NULL,
      value text NOT NULL,
      month date NOT NULL,
      n bigint NOT NULL,
      counts bigint[] NOT NULL,
      PRIMARY KEY (tenant_id, kind, dim, value, month)
    )`);
    await qr.query(`CREATE TABLE feedback.survey_stats (
      tenant_id uuid NOT NULL,
      survey_id uuid NOT NULL,
      month date NOT NULL,
      invited bigint NOT NULL DEFAULT 0,
      responded bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, survey_id, month)
    )`);

    // ---- the closed loop ----
    await qr.query(`CREATE TABLE feedback.loops (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      response_id uuid NOT NULL,
      survey_id uuid NOT NULL,
      account_id uuid,
      contact_id uuid,
      csm_id uuid,
      team text,
      reasons text[] NOT NULL,
      status text NOT NULL,
      outcome text,
      support_ticket_id text,
      note text,
      opened_at timestamptz NOT NULL,
      contacted_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz
    )`);
    await qr.query(`CREATE UNIQUE INDEX loops_response ON feedback.loops (response_id)`);
    await qr.query(`CREATE INDEX loops_ticket ON feedback.loops (tenant_id, support_ticket_id) WHERE support_ticket_id IS NOT NULL`);
    await qr.query(`CREATE INDEX loops_status ON feedback.loops (tenant_id, status, id)`);

    for (const t of ['accounts', 'contacts', 'users', 'projects', 'surveys', 'survey_versions', 'invitations', 'touches', 'deliveries', 'responses', 'rollup_queue', 'rollups', 'survey_stats', 'loops']) {
      await enableTenantRls(qr, `feedback.${t}`, app);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['loops', 'survey_stats', 'rollups', 'rollup_queue', 'responses', 'deliveries', 'touches', 'invitations', 'survey_versions', 'surveys', 'projects', 'users', 'contacts', 'accounts']) {
      await qr.query(`DROP TABLE IF EXISTS feedback.${t}`);
    }
    await qr.query(`DROP FUNCTION IF EXISTS feedback.add_counts(bigint[], bigint[])`);
    await qr.query(`CREATE TABLE feedback.samples (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, label text NOT NULL, created_by text NOT NULL, created_at timestamptz NOT NULL)`);
    await qr.query(`CREATE INDEX samples_tenant ON feedback.samples (tenant_id, id)`);
    await enableTenantRls(qr, 'feedback.samples', app);
  }
}
