import { Injectable } from '@nestjs/common';
import { Tx } from '@steward/persistence';

export interface RefreshTokenRow {
  id: string;
  userId: string;
  secretHash: Buffer;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Named queries on `accounts.refresh_tokens` (opaque, single-use, rotated on every refresh). */
@Injectable()
export class RefreshTokensRepository {
  async insert(tx: Tx, t: { id: string; userId: string; secretHash: Buffer; expiresAt: Date }): Promise<void> {
    await tx.query(`INSERT INTO accounts.refresh_tokens (id, tenant_id, user_id, secret_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`, [t.id, tx.scope.tenantId, t.userId, t.secretHash, t.expiresAt]);
  }

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<RefreshTokenRow | null> {
    const [row]: RefreshTokenRow[] = await tx.query(
      `SELECT id, user_id AS "userId", secret_hash AS "secretHash", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM accounts.refresh_tokens WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  }

  async revoke(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.query(`UPDATE accounts.refresh_tokens SET revoked_at = $2 WHERE id = $1`, [id, at]);
  }
}
