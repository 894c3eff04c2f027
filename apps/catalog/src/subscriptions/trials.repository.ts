import { Injectable } from '@nestjs/common';
import type { ListTrialsRequest, TrialDto } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';

const COLUMNS = `id, account_id AS "accountId", project_id AS "projectId", product_id AS "productId", plan_id AS "planId", plan_version_id AS "planVersionId",
  channel, partner_id AS "partnerId", status, started_at AS "startedAt", ends_at AS "endsAt", converted_at AS "convertedAt", lapsed_at AS "lapsedAt",
  subscription_id AS "subscriptionId"`;
type Row = Omit<TrialDto, 'startedAt' | 'endsAt' | 'convertedAt' | 'lapsedAt'> & { startedAt: Date; endsAt: Date; convertedAt: Date | null; lapsedAt: Date | null };
const toDto = (r: Row): TrialDto => ({
  ...r,
  startedAt: r.startedAt.toISOString(),
  endsAt: r.endsAt.toISOString(),
  convertedAt: r.convertedAt?.toISOString() ?? null,
  lapsedAt: r.lapsedAt?.toISOString() ?? null,
});

/** Named queries on `catalog.trials` (once per account and plan). */
@Injectable()
export class TrialsRepository {
  async insert(
    tx: Tx,
    t: { id: string; accountId: string; projectId: string | null; productId: string; planId: string; planVersionId: string; channel: string; partnerId: string | null; startedAt: Date; endsAt: Date },
  ): Promise<TrialDto> {
    const rows = returnedRows<Row>(
      await tx.query(
        `INSERT INTO catalog.trials (id, tenant_id, account_id, project_id, product_id, plan_id, plan_version_id, channel, partner_id, status, started_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11) RETURNING ${COLUMNS}`,
        [t.id, tx.scope.tenantId, t.accountId, t.projectId, t.productId, t.planId, t.planVersionId, t.channel, t.partnerId, t.startedAt, t.endsAt],
      ),
    );
    return toDto(rows[0]);
  }

  async find(tx: Tx, id: string, lock = false): Promise<TrialDto | null> {
    const [row]: Row[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.trials WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  async convert(tx: Tx, id: string, at: Date, subscriptionId: string): Promise<TrialDto> {
    const rows = returnedRows<Row>(await tx.query(`UPDATE catalog.trials SET status = 'converted', converted_at = $2, subscription_id = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [id, at, subscriptionId]));
    return toDto(rows[0]);
  }

  async lapse(tx: Tx, id: string, at: Date): Promise<TrialDto> {
    const rows = returnedRows<Row>(await tx.query(`UPDATE catalog.trials SET status = 'lapsed', lapsed_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, at]));
    return toDto(rows[0]);
  }

  async list(tx: Tx, q: ListTrialsRequest): Promise<{ items: TrialDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.trials WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR account_id = $3) AND ($4::text IS NULL OR status = $4) ORDER BY id LIMIT $1`,
      [q.limit + 1, after, q.accountId ?? null, q.status ?? null],
    );
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  /** What the funnel needs of every trial started in [from, to) (of one product). */
  async facts(tx: Tx, q: { from: string | null; to: string | null; productId: string | null }): Promise<Array<{ productId: string; channel: string; startedAt: string; status: 'active' | 'converted' | 'lapsed'; convertedAt: string | null }>> {
    const rows: Array<{ productId: string; channel: string; startedAt: Date; status: 'active' | 'converted' | 'lapsed'; convertedAt: Date | null }> = await tx.query(
      `SELECT product_id AS "productId", channel, started_at AS "startedAt", status, converted_at AS "convertedAt" FROM catalog.trials
       WHERE ($1::timestamptz IS NULL OR started_at >= $1) AND ($2::timestamptz IS NULL OR started_at < $2) AND ($3::uuid IS NULL OR product_id = $3)`,
      [q.from, q.to, q.productId],
    );
    return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString(), convertedAt: r.convertedAt?.toISOString() ?? null }));
  }
}
