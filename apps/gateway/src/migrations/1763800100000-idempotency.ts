import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('gateway');

/**
 * Idempotency keys, scoped per tenant (the operator has its own scope id). Kept at least
 * 24 hours; expired rows are deleted by the gateway.
 */
export class Idempotency1763800100000 implements MigrationInterface {
  name = 'Idempotency1763800100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE gateway.idempotency_keys (
      tenant_id uuid NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'done')),
      status_code int,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, key)
    )`);
    await qr.query(`CREATE INDEX idempotency_expires ON gateway.idempotency_keys (expires_at)`);
    await enableTenantRls(qr, 'gateway.idempotency_keys', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS gateway.idempotency_keys`);
  }
}
