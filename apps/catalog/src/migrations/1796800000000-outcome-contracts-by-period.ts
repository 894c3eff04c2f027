import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics on the settlement period of a contract's terms (`pricing->>'settlementPeriod'`),
 * which a settlement run filters on as it pages through the outcome contracts by id. PostgreSQL
 * keeps no statistics on a jsonb field: it guessed that 0.5 % of the outcome contracts match,
 * so for every page it scanned every contract of the tenant and sorted them (spilling to disk)
 * instead of walking the outcome index in id order. With these statistics (collected by ANALYZE,
 * PostgreSQL 14 or later) it walks the index (docs/benchmarks.md, catalog).
 */
export class OutcomeContractsByPeriod1796800000000 implements MigrationInterface {
  name = 'OutcomeContractsByPeriod1796800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE STATISTICS catalog.subscriptions_settlement_period ON (pricing->>'settlementPeriod') FROM catalog.subscriptions`);
    await qr.query(`ANALYZE catalog.subscriptions`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP STATISTICS catalog.subscriptions_settlement_period`);
  }
}
