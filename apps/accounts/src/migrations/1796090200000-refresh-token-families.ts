import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token families: every token rotated from one login shares its `family_id`, so the
 * reuse of an already rotated token (a stolen copy) can revoke the whole session at once.
 * Existing tokens each start their own family. Indexes serve revoking a family and all of
 * a user's live tokens (deactivation).
 */
export class RefreshTokenFamilies1796090200000 implements MigrationInterface {
  name = 'RefreshTokenFamilies1796090200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE accounts.refresh_tokens ADD COLUMN family_id uuid`);
    await qr.query(`UPDATE accounts.refresh_tokens SET family_id = id`);
    await qr.query(`ALTER TABLE accounts.refresh_tokens ALTER COLUMN family_id SET NOT NULL`);
    await qr.query(`ALTER TABLE accounts.refresh_tokens ADD COLUMN replaced_by uuid`);
    await qr.query(`CREATE INDEX refresh_tokens_family ON accounts.refresh_tokens (tenant_id, family_id)`);
    await qr.query(`CREATE INDEX refresh_tokens_live_user ON accounts.refresh_tokens (tenant_id, user_id) WHERE revoked_at IS NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX IF EXISTS accounts.refresh_tokens_live_user`);
    await qr.query(`DROP INDEX IF EXISTS accounts.refresh_tokens_family`);
    await qr.query(`ALTER TABLE accounts.refresh_tokens DROP COLUMN IF EXISTS replaced_by`);
    await qr.query(`ALTER TABLE accounts.refresh_tokens DROP COLUMN IF EXISTS family_id`);
  }
}
