import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('accounts');

/**
 * The history of effective tier changes (re-tiering, overrides set, cleared or expired), written
 * in the transaction that changes the tier, for "tier movement since last month". Append-only:
 * the runtime role may read and insert, never rewrite history. Partners do not see it.
 */
export class TierHistory1796700000000 implements MigrationInterface {
  name = 'TierHistory1796700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE accounts.tier_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id uuid NOT NULL REFERENCES accounts.tenants(id),
      account_id uuid NOT NULL REFERENCES accounts.accounts(id),
      old_tier smallint NOT NULL CHECK (old_tier BETWEEN 1 AND 3),
      new_tier smallint NOT NULL CHECK (new_tier BETWEEN 1 AND 3),
      reason text NOT NULL,
      changed_at timestamptz NOT NULL
    )`);
    await qr.query(`CREATE INDEX tier_changes_by_time ON accounts.tier_changes (tenant_id, changed_at, account_id)`);
    await enableTenantRls(qr, 'accounts.tier_changes', app, 'SELECT, INSERT');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE accounts.tier_changes`);
  }
}
