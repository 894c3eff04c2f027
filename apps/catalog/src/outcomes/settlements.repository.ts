import { Injectable } from '@nestjs/common';
import type { ListSettlementsRequest, SettlementDto, SettlementRunDto } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';

const COLUMNS = `id, subscription_id AS "subscriptionId", account_id AS "accountId", period, period_start AS "periodStart", period_end AS "periodEnd", currency,
  amount::float8 AS amount, base_fee::float8 AS "baseFee", bonus::float8 AS bonus, malus::float8 AS malus, adjustment::float8 AS adjustment, inputs, lines, revision,
  computed_at AS "computedAt"`;
type Row = Omit<SettlementDto, 'periodStart' | 'periodEnd' | 'computedAt'> & { periodStart: Date; periodEnd: Date; computedAt: Date };
const toDto = (r: Row): SettlementDto => ({ ...r, periodStart: r.periodStart.toISOString(), periodEnd: r.periodEnd.toISOString(), computedAt: r.computedAt.toISOString() });

const RUN_COLUMNS = `id, period, unit, status, total, settled, unchanged, skipped, problems, after_id AS "afterId", started_at AS "startedAt", finished_at AS "finishedAt", failure_reason AS "failureReason"`;
type RunRow = Omit<SettlementRunDto, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null; afterId: string | null };
export type SettlementRun = SettlementRunDto & { afterId: string | null };
const toRun = (r: RunRow): SettlementRun => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/** A computed settlement to store (id and revision decided by the upsert). */
export type NewSettlement = Omit<SettlementDto, 'id' | 'revision'> & { id: string };

/** Named queries on `catalog.settlements` (one per subscription and period) and `catalog.settlement_runs`. */
@Injectable()
export class SettlementsRepository {
  /** The stored settlements of these subscriptions for the period, by subscription. */
  async existing(tx: Tx, subscriptionIds: string[], period: string): Promise<Map<string, SettlementDto>> {
    if (subscriptionIds.length === 0) return new Map();
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.settlements WHERE subscription_id = ANY($1::uuid[]) AND period = $2`, [subscriptionIds, period]);
    return new Map(rows.map((r) => [r.subscriptionId, toDto(r)]));
  }

  /** Inserts new settlements and replaces changed ones (revision + 1), in one statement. */
  async upsertMany(tx: Tx, rows: NewSettlement[]): Promise<SettlementDto[]> {
    if (rows.length === 0) return [];
    const col = <K extends keyof NewSettlement>(k: K) => rows.map((r) => r[k]);
    const stored: Row[] = returnedRows(
      await tx.query(
        `INSERT INTO catalog.settlements (id, tenant_id, subscription_id, account_id, period, period_start, period_end, currency, amount, base_fee, bonus, malus, adjustment, inputs, lines, revision, computed_at)
         SELECT u.id, $1, u.subscription_id, u.account_id, u.period, u.period_start, u.period_end, u.currency, u.amount, u.base_fee, u.bonus, u.malus, u.adjustment, d.doc->0, d.doc->1, 1, u.computed_at
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $15::timestamptz[])
           WITH ORDINALITY AS u(id, subscription_id, account_id, period, period_start, period_end, currency, amount, base_fee, bonus, malus, adjustment, computed_at, n)
         JOIN jsonb_array_elements($14::jsonb) WITH ORDINALITY AS d(doc, n) USING (n)
         ON CONFLICT (subscription_id, period) DO UPDATE SET amount = EXCLUDED.amount, base_fee = EXCLUDED.base_fee, bonus = EXCLUDED.bonus, malus = EXCLUDED.malus,
           adjustment = EXCLUDED.adjustment, inputs = EXCLUDED.inputs, lines = EXCLUDED.lines, currency = EXCLUDED.currency, revision = catalog.settlements.revision + 1,
           computed_at = EXCLUDED.computed_at
         RETURNING ${COLUMNS}`,
        [
          tx.scope.tenantId,
          col('id'),
          col('subscriptionId'),
          col('accountId'),
          col('period'),
          col('periodStart'),
          col('periodEnd'),
          col('currency'),
          col('amount'),
          col('baseFee'),
          col('bonus'),
          col('malus'),
          col('adjustment'),
          // Inputs and lines as one JSON array of [inputs, lines] pairs (a jsonb[] costs 4–5× more to send and parse).
          JSON.stringify(rows.map((r) => [r.inputs, r.lines])),
          col('computedAt'),
        ],
      ),
    );
    return stored.map(toDto);
  }

  async list(tx: Tx, q: ListSettlementsRequest): Promise<{ items: SettlementDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.settlements WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR subscription_id = $3) AND ($4::text IS NULL OR period = $4) ORDER BY id LIMIT $1`,
      [q.limit + 1, after, q.subscriptionId ?? null, q.period ?? null],
    );
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  async insertRun(tx: Tx, r: { id: string; period: string; unit: string; at: Date }): Promise<SettlementRun> {
    const rows = returnedRows<RunRow>(
      await tx.query(`INSERT INTO catalog.settlement_runs (id, tenant_id, period, unit, status, started_at) VALUES ($1, $2, $3, $4, 'running', $5) RETURNING ${RUN_COLUMNS}`, [
        r.id,
        tx.scope.tenantId,
        r.period,
        r.unit,
        r.at,
      ]),
    );
    return toRun(rows[0]);
  }

  async findRun(tx: Tx, id: string): Promise<SettlementRun | null> {
    const [row]: RunRow[] = await tx.query(`SELECT ${RUN_COLUMNS} FROM catalog.settlement_runs WHERE id = $1`, [id]);
    return row ? toRun(row) : null;
  }

  /** Adds one step's counts and problems (problems kept to the first 100) and moves the run's position. */
  async advanceRun(tx: Tx, id: string, step: { total: number; settled: number; unchanged: number; skipped: number; problems: unknown[]; afterId: string | null }): Promise<void> {
    await tx.query(
      `UPDATE catalog.settlement_runs SET total = total + $2, settled = settled + $3, unchanged = unchanged + $4, skipped = skipped + $5,
         problems = (SELECT coalesce(jsonb_agg(p), '[]') FROM (SELECT p FROM jsonb_array_elements(problems || $6::jsonb) AS p LIMIT 100) x), after_id = $7
       WHERE id = $1`,
      [id, step.total, step.settled, step.unchanged, step.skipped, JSON.stringify(step.problems), step.afterId],
    );
  }

  async finishRun(tx: Tx, id: string, at: Date, failure: string | null): Promise<void> {
    await tx.query(`UPDATE catalog.settlement_runs SET status = $2, finished_at = $3, failure_reason = $4 WHERE id = $1`, [id, failure ? 'failed' : 'completed', at, failure]);
  }
}
