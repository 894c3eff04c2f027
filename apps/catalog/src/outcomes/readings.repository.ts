import { Injectable } from '@nestjs/common';
import type { KpiReadingDto } from '@steward/contracts';
import type { Tx } from '@steward/persistence';

const cols = (r = '') => `${r}id, ${r}subscription_id AS "subscriptionId", ${r}at, ${r}value, ${r}source, ${r}external_id AS "externalId", ${r}note, ${r}recorded_at AS "recordedAt", ${r}recorded_by AS "recordedBy"`;
const COLUMNS = cols();
type Row = Omit<KpiReadingDto, 'at' | 'recordedAt'> & { at: Date; recordedAt: Date };
const toDto = (r: Row): KpiReadingDto => ({ ...r, at: r.at.toISOString(), recordedAt: r.recordedAt.toISOString() });

/** A reading as a settlement uses and records it. */
export type SettlementReading = Pick<KpiReadingDto, 'id' | 'at' | 'value' | 'source'>;

export interface NewReading {
  id: string;
  subscriptionId: string;
  at: string;
  value: number;
  source: 'manual' | 'import' | 'support-events';
  externalId: string | null;
  note: string | null;
  recordedAt: Date;
  recordedBy: string;
}

/** Named queries on `catalog.kpi_readings` and the support counters the complaint rate is derived from. */
@Injectable()
export class ReadingsRepository {
  /** Inserts the readings whose external id is new; returns the ids inserted. */
  async insertMany(tx: Tx, rs: NewReading[]): Promise<KpiReadingDto[]> {
    if (rs.length === 0) return [];
    const rows: Row[] = await tx.query(
      `INSERT INTO catalog.kpi_readings (id, tenant_id, subscription_id, at, value, source, external_id, note, recorded_at, recorded_by)
       SELECT u.id, $1, u.subscription_id, u.at, u.value, u.source, u.external_id, u.note, $2, $3
       FROM unnest($4::uuid[], $5::uuid[], $6::timestamptz[], $7::float8[], $8::text[], $9::text[], $10::text[]) AS u(id, subscription_id, at, value, source, external_id, note)
       ON CONFLICT (tenant_id, subscription_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        tx.scope.tenantId,
        rs[0].recordedAt,
        rs[0].recordedBy,
        rs.map((r) => r.id),
        rs.map((r) => r.subscriptionId),
        rs.map((r) => r.at),
        rs.map((r) => r.value),
        rs.map((r) => r.source),
        rs.map((r) => r.externalId),
        rs.map((r) => r.note),
      ],
    );
    return rows.map(toDto);
  }

  /** The readings with these (subscription, external id) pairs. */
  async byExternalIds(tx: Tx, pairs: Array<{ subscriptionId: string; externalId: string }>): Promise<KpiReadingDto[]> {
    if (pairs.length === 0) return [];
    const rows: Row[] = await tx.query(
      `SELECT ${cols('r.')} FROM catalog.kpi_readings r JOIN unnest($1::uuid[], $2::text[]) AS u(subscription_id, external_id)
         ON r.subscription_id = u.subscription_id AND r.external_id = u.external_id`,
      [pairs.map((p) => p.subscriptionId), pairs.map((p) => p.externalId)],
    );
    return rows.map(toDto);
  }

  /** A derived reading (one per subscription and source key), replaced when its inputs change. */
  async upsertDerived(tx: Tx, r: NewReading & { externalId: string }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.kpi_readings (id, tenant_id, subscription_id, at, value, source, external_id, note, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, subscription_id, external_id) WHERE external_id IS NOT NULL
       DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note, recorded_at = EXCLUDED.recorded_at`,
      [r.id, tx.scope.tenantId, r.subscriptionId, r.at, r.value, r.source, r.externalId, r.note, r.recordedAt, r.recordedBy],
    );
  }

  async list(tx: Tx, subscriptionId: string, from: Date | null, to: Date | null): Promise<KpiReadingDto[]> {
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.kpi_readings WHERE subscription_id = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3) ORDER BY at, id`,
      [subscriptionId, from, to],
    );
    return rows.map(toDto);
  }

  /** The readings of many subscriptions in [from, to), grouped by subscription. */
  async forSubscriptions(tx: Tx, ids: string[], from: Date, to: Date): Promise<Map<string, SettlementReading[]>> {
    const out = new Map<string, SettlementReading[]>();
    if (ids.length === 0) return out;
    // Only what a settlement reads and records (a run reads thousands at a time).
    const rows: Array<{ id: string; subscriptionId: string; at: Date; value: number; source: KpiReadingDto['source'] }> = await tx.query(
      `SELECT id, subscription_id AS "subscriptionId", at, value, source FROM catalog.kpi_readings WHERE subscription_id = ANY($1::uuid[]) AND at >= $2 AND at < $3 ORDER BY at, id`,
      [ids, from, to],
    );
    for (const r of rows) {
      const list = out.get(r.subscriptionId);
      const reading = { id: r.id, at: r.at.toISOString(), value: r.value, source: r.source };
      if (list) list.push(reading);
      else out.set(r.subscriptionId, [reading]);
    }
    return out;
  }

  /** Counts one more ticket or complaint of the account in the month; returns the month's counts. */
  async count(tx: Tx, accountId: string, month: string, what: 'tickets' | 'complaints'): Promise<{ tickets: number; complaints: number }> {
    const [row]: Array<{ tickets: number; complaints: number }> = await tx.query(
      `INSERT INTO catalog.support_counts (tenant_id, account_id, month, ${what}) VALUES ($1, $2, $3, 1)
       ON CONFLICT (tenant_id, account_id, month) DO UPDATE SET ${what} = catalog.support_counts.${what} + 1
       RETURNING tickets, complaints`,
      [tx.scope.tenantId, accountId, month],
    );
    return row;
  }
}
