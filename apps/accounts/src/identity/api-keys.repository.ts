import { Injectable } from '@nestjs/common';
import type { ApiKeyDto, ApiKeyScope, ListApiKeysRequest, Page } from '@steward/contracts';
import { idCursor, insertRow, returnedRows, toPage, Tx } from '@steward/persistence';

const COLUMNS = `id, partner_id AS "partnerId", name, prefix, scopes, created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt",
  rotated_from AS "rotatedFromId", replaced_by AS "replacedById"`;
interface ApiKeyRow {
  id: string;
  partnerId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  rotatedFromId: string | null;
  replacedById: string | null;
}
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDto = (r: ApiKeyRow): ApiKeyDto => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: iso(r.expiresAt), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) });

export interface NewApiKey {
  id: string;
  partnerId: string;
  name: string;
  prefix: string;
  secretHash: Buffer;
  createdBy: string;
  expiresAt: Date | null;
  scopes: readonly ApiKeyScope[];
  rotatedFromId?: string;
}

/** Named queries on `accounts.api_keys`. Only a SHA-256 of each key's secret is stored. */
@Injectable()
export class ApiKeysRepository {
  async insert(tx: Tx, k: NewApiKey): Promise<ApiKeyDto> {
    const [row] = await insertRow<ApiKeyRow>(
      tx,
      'accounts.api_keys',
      {
        id: k.id,
        tenant_id: tx.scope.tenantId,
        partner_id: k.partnerId,
        name: k.name,
        prefix: k.prefix,
        secret_hash: k.secretHash,
        created_by: k.createdBy,
        expires_at: k.expiresAt,
        scopes: k.scopes,
        rotated_from: k.rotatedFromId ?? null,
      },
      COLUMNS,
    );
    return toDto(row);
  }

  async find(tx: Tx, id: string, { lock = false } = {}): Promise<ApiKeyDto | null> {
    const [row]: ApiKeyRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.api_keys WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  /** What verifying a presented key needs: its secret's hash, revocation and expiry. */
  async findForVerify(tx: Tx, id: string): Promise<{ key: ApiKeyDto; secretHash: Buffer } | null> {
    const [row]: Array<ApiKeyRow & { secretHash: Buffer }> = await tx.query(`SELECT ${COLUMNS}, secret_hash AS "secretHash" FROM accounts.api_keys WHERE id = $1`, [id]);
    if (!row) return null;
    const { secretHash, ...key } = row;
    return { key: toDto(key), secretHash };
  }

  async list(tx: Tx, q: ListApiKeysRequest): Promise<Page<ApiKeyDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: ApiKeyRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.api_keys WHERE partner_id = $2 AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $1`, [q.limit + 1, q.partnerId, cursor]);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  async revoke(tx: Tx, id: string, at: Date): Promise<ApiKeyDto> {
    const [row] = returnedRows<ApiKeyRow>(await tx.query(`UPDATE accounts.api_keys SET revoked_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, at]));
    return toDto(row);
  }

  /** Marks a key as replaced by a rotation: it works until `expiresAt`, the end of the overlap. */
  async replace(tx: Tx, id: string, replacedBy: string, expiresAt: Date): Promise<ApiKeyDto> {
    const [row] = returnedRows<ApiKeyRow>(await tx.query(`UPDATE accounts.api_keys SET replaced_by = $2, expires_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [id, replacedBy, expiresAt]));
    return toDto(row);
  }

  /** Records a use at most once a minute, so verifying stays a read. */
  async touch(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.query(`UPDATE accounts.api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`, [id, at]);
  }
}
