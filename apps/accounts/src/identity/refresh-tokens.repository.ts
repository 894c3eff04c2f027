import { Injectable } from '@nestjs/common';
import { returnedRows, Tx } from '@steward/persistence';

export interface RefreshTokenRow {
  id: string;
  userId: string;
  /** Every token rotated from one login shares it. */
  familyId: string;
  secretHash: Buffer;
  expiresAt: Date;
  revokedAt: Date | null;
  /** The token that replaced this one when it was rotated (null: never rotated). */
  replacedBy: string | null;
}

/** Named queries on `accounts.refresh_tokens` (opaque, single-use, rotated on every refresh, grouped in families). */
@Injectable()
export class RefreshTokensRepository {
  async insert(tx: Tx, t: { id: string; userId: string; familyId: string; secretHash: Buffer; expiresAt: Date }): Promise<void> {
    await tx.query(`INSERT INTO accounts.refresh_tokens (id, tenant_id, user_id, family_id, secret_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      t.id,
      tx.scope.tenantId,
      t.userId,
      t.familyId,
      t.secretHash,
      t.expiresAt,
    ]);
  }

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<RefreshTokenRow | null> {
    const [row]: RefreshTokenRow[] = await tx.query(
      `SELECT id, user_id AS "userId", family_id AS "familyId", secret_hash AS "secretHash", expires_at AS "expiresAt", revoked_at AS "revokedAt", replaced_by AS "replacedBy"
       FROM accounts.refresh_tokens WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** Marks a token used: revoked, with the token that replaced it. */
  async rotate(tx: Tx, id: string, at: Date, replacedBy: string): Promise<void> {
    await tx.query(`UPDATE accounts.refresh_tokens SET revoked_at = $2, replaced_by = $3 WHERE id = $1`, [id, at, replacedBy]);
  }

  /** Revokes every live token of a family (a session); returns how many were live. */
  async revokeFamily(tx: Tx, familyId: string, at: Date): Promise<number> {
    return returnedRows(await tx.query(`UPDATE accounts.refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL RETURNING id`, [familyId, at])).length;
  }

  /** Revokes every live token of a user (all their sessions); returns how many were live. */
  async revokeForUser(tx: Tx, userId: string, at: Date): Promise<number> {
    return returnedRows(await tx.query(`UPDATE accounts.refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`, [userId, at])).length;
  }
}
