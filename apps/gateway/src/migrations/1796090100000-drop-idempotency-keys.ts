import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, serviceRoles } from '@steward/persistence';

const { app } = serviceRoles('gateway');

/**
 * Idempotency-Key outcomes are now decided and stored by the service that does the write,
 * in the write's own transaction (ADR 8); the gateway's table of claims goes.
 */
export class DropIdempotencyKeys1796090100000 implements MigrationInterface {
  name = 'DropIdempotencyKeys1796090100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE IF EXISTS gateway.idempotency_keys`);
  }

  async down(qr: QueryRunner): Promise<void> {
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
}
