import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIdempotencyKeys, dropIdempotencyKeys } from '@steward/persistence';

/** Keyed writes decided in accounts itself: the Idempotency-Key's outcome commits with the write. */
export class IdempotencyKeys1796090000000 implements MigrationInterface {
  name = 'IdempotencyKeys1796090000000';

  async up(qr: QueryRunner): Promise<void> {
    await createIdempotencyKeys(qr, 'accounts', 'accounts');
  }

  async down(qr: QueryRunner): Promise<void> {
    await dropIdempotencyKeys(qr, 'accounts');
  }
}
