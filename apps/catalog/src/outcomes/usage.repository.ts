import { Injectable } from '@nestjs/common';
import type { UsageRecordDto } from '@steward/contracts';
import type { Tx } from '@steward/persistence';

const COLUMNS = `id, subscription_id AS "subscriptionId", external_id AS "externalId", quantity::float8 AS quantity, at, recorded_at AS "recordedAt"`;
type Row = Omit<UsageRecordDto, 'at' | 'recordedAt'> & { at: Date; recordedAt: Date };
const toDto = (r: Row): UsageRecordDto => ({ ...r, at: r.at.toISOString(), recordedAt: r.recordedAt.toISOString() });

/** Named queries on `catalog.usage_records`: unique per (subscription, external id), never changed. */
@Injectable()
export class UsageRepository {
  /** Inserts unless the external id is taken; returns the new record, or null when it existed. */
  async insert(tx: Tx, r: { id: string; subscriptionId: string; externalId: string; quantity: number; at: string; recordedAt: Date }): Promise<UsageRecordDto | null> {
    const rows: Row[] = await tx.query(
      `INSERT INTO catalog.usage_records (id, tenant_id, subscription_id, external_id, quantity, at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, subscription_id, external_id) DO NOTHING RETURNING ${COLUMNS}`,
      [r.id, tx.scope.tenantId, r.subscriptionId, r.externalId, r.quantity, r.at, r.recordedAt],
    );
    return rows[0] ? toDto(rows[0]) : null;
  }

  async byExternalId(tx: Tx, subscriptionId: string, externalId: string): Promise<UsageRecordDto | null> {
    const [row]: Row[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.usage_records WHERE subscription_id = $1 AND external_id = $2`, [subscriptionId, externalId]);
    return row ? toDto(row) : null;
  }

  /** Records and units metered in [from, to). */
  async total(tx: Tx, subscriptionId: string, from: Date, to: Date): Promise<{ records: number; quantity: number }> {
    const [row]: Array<{ records: number; quantity: number }> = await tx.query(
      `SELECT count(*)::int AS records, coalesce(sum(quantity), 0)::float8 AS quantity FROM catalog.usage_records WHERE subscription_id = $1 AND at >= $2 AND at < $3`,
      [subscriptionId, from, to],
    );
    return row;
  }
}
