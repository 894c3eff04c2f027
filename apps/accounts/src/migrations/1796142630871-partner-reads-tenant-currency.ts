import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRoles, tenantPredicate } from '@steward/persistence';

const { partner } = serviceRoles('accounts');

/**
 * Money always with its currency (issue 13, part 6): an account's `revenue12m` is answered with
 * the tenant's revenue currency, also to partner keys, whose transactions run as the partner
 * role. That role may read its own tenant's id and currency, nothing else of the row.
 */
export class PartnerReadsTenantCurrency1796142630871 implements MigrationInterface {
  name = 'PartnerReadsTenantCurrency1796142630871';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`GRANT SELECT (id, currency) ON accounts.tenants TO ${partner}`);
    await qr.query(`CREATE POLICY partner_tenant_currency ON accounts.tenants FOR SELECT TO ${partner} USING (${tenantPredicate('id')})`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP POLICY IF EXISTS partner_tenant_currency ON accounts.tenants`);
    await qr.query(`REVOKE SELECT (id, currency) ON accounts.tenants FROM ${partner}`);
  }
}
