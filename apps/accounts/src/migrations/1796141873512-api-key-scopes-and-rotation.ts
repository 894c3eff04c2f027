import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key scopes and rotation (issue 13, part 5). `scopes`: what a key may do (`read`,
 * `write`; the list may grow); keys issued before keep full access. `rotated_from` /
 * `replaced_by`: a rotation issues a new key and gives the old one an expiry at the end of
 * the overlap, so both work meanwhile and the list shows both.
 */
export class ApiKeyScopesAndRotation1796141873512 implements MigrationInterface {
  name = 'ApiKeyScopesAndRotation1796141873512';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE accounts.api_keys ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,write}' CHECK (cardinality(scopes) > 0)`);
    await qr.query(`ALTER TABLE accounts.api_keys ADD COLUMN rotated_from uuid REFERENCES accounts.api_keys(id)`);
    await qr.query(`ALTER TABLE accounts.api_keys ADD COLUMN replaced_by uuid REFERENCES accounts.api_keys(id)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE accounts.api_keys DROP COLUMN IF EXISTS replaced_by`);
    await qr.query(`ALTER TABLE accounts.api_keys DROP COLUMN IF EXISTS rotated_from`);
    await qr.query(`ALTER TABLE accounts.api_keys DROP COLUMN IF EXISTS scopes`);
  }
}
