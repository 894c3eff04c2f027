import { Injectable } from '@nestjs/common';
import type { ListSettlementsRequest, SettlementDto, SettlementRunDto } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type ReadTx, type Tx } from '@steward/persistence';
import type { SettlementReading } from './readings.repository';

const COLUMNS = `id, subscription_id AS "subscriptionId", account_id AS "accountId", period, period_start AS "periodStart", period_end AS "periodEnd", currency,
  amount::float8 AS amount, base_fee::float8 AS "baseFee", bonus::float8 AS bonus, malus::float8 AS malus, adjustment::float8 AS adjustment, inputs, lines, revision,
  computed_at AS "computedAt"`;
type Row = Omit<SettlementDto, 'periodStart' | 'periodEnd' | 'computedAt'> & { periodStart: Date; periodEnd: Date; computedAt: Date };
const iso = (at: string) => new Date(at).toISOString();
const toDto = (r: Row): SettlementDto => ({ ...r, periodStart: r.periodStart.toISOString(), periodEnd: r.periodEnd.toISOString(), computedAt: r.computedAt.toISOString() });

const RUN_COLUMNS = `id, period, unit, status, total, settled, unchanged, skipped, problems, after_id AS "afterId", started_at AS "startedAt", finished_at AS "finishedAt", failure_reason AS "failureReason"`;
type RunRow = Omit<SettlementRunDto, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null; afterId: string | null };
export type SettlementRun = SettlementRunDto & { afterId: string | null };
const toRun = (r: RunRow): SettlementRun => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

/** A computed settlement to store (id and revision decided by the upsert). */
export type NewSettlement = Omit<SettlementDto, 'id' | 'revision'> & { id: string };

/**
 * Settlements to store, written out once when the batch is made: a run makes the next page's
 * batch while the previous page is being stored, so the upsert sends it at once. The scalar
 * columns travel as one JSON array of objects; each row's inputs and lines as its own JSON text,
 * in two text arrays beside it (see {@link SettlementsRepository.upsertMany} for why).
 */
export class SettlementBatch {
  /** The rows without inputs and lines, as one JSON array. */
  readonly json: string;
  /** Each row's inputs as JSON text, in row order. */
  readonly inputs: string[];
  /** Each row's lines as JSON text, in row order. */
  readonly lines: string[];

  constructor(readonly rows: readonly NewSettlement[]) {
    this.json = JSON.stringify(rows.map(({ inputs: _inputs, lines: _lines, ...scalars }) => scalars));
    this.inputs = rows.map((r) => JSON.stringify(r.inputs));
    this.lines = rows.map((r) => JSON.stringify(r.lines));
  }

  get size(): number {
    return this.rows.length;
  }
}

/** A settlement the upsert stored (inserted, or replaced with revision + 1). */
export interface StoredSettlement {
  id: string;
  subscriptionId: string;
  revision: number;
}

/** What decides whether a settlement changed: its amounts, currency, inputs and lines. */
export type SettlementResult = Pick<SettlementDto, 'amount' | 'baseFee' | 'bonus' | 'malus' | 'adjustment' | 'currency' | 'inputs' | 'lines'>;

/** An outcome contract as a settlement run reads it: its terms as the stored JSON text, and the period's readings. */
export interface ContractToSettle {
  id: string;
  accountId: string;
  pricingJson: string;
  startedAt: Date;
  endedAt: Date | null;
  readings: SettlementReading[];
}

/**
 * Builds the events of the rows a statement stores, in the same statement (the outbox's
 * `eventsFrom`): `source.payload` is a jsonb expression over the columns of `source.from`.
 */
export type EventsFrom = (source: { from: string; payload: string; order: string }, firstParam: number) => { cte: string; params: unknown[] };

/** A timestamptz as JavaScript's toISOString() writes it (UTC, milliseconds, Z). */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The settlement.computed payload of a stored row, built by PostgreSQL: `{ settlement: SettlementDto }`. */
const EVENT_PAYLOAD = `jsonb_build_object('settlement', jsonb_build_object('id', id, 'subscriptionId', subscription_id, 'accountId', account_id, 'period', period,
  'periodStart', ${isoSql('period_start')}, 'periodEnd', ${isoSql('period_end')}, 'currency', currency, 'amount', amount, 'baseFee', base_fee, 'bonus', bonus,
  'malus', malus, 'adjustment', adjustment, 'inputs', inputs, 'lines', lines, 'revision', revision, 'computedAt', ${isoSql('computed_at')}))`;

/** Named queries on `catalog.settlements` (one per subscription and period) and `catalog.settlement_runs`. */
@Injectable()
export class SettlementsRepository {
  /** The stored settlements of these subscriptions for the period, by subscription. */
  async existing(tx: ReadTx, subscriptionIds: string[], period: string): Promise<Map<string, SettlementDto>> {
    if (subscriptionIds.length === 0) return new Map();
    const rows: Row[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.settlements WHERE subscription_id = ANY($1::uuid[]) AND period = $2`, [subscriptionIds, period]);
    return new Map(rows.map((r) => [r.subscriptionId, toDto(r)]));
  }

  /** The stored results of these subscriptions for the period, by subscription: only what comparing needs (no dates to parse). */
  async storedResults(tx: ReadTx, subscriptionIds: string[], period: string): Promise<Map<string, SettlementResult>> {
    if (subscriptionIds.length === 0) return new Map();
    const rows: Array<SettlementResult & { subscriptionId: string }> = await tx.query(
      `SELECT subscription_id AS "subscriptionId", amount::float8 AS amount, base_fee::float8 AS "baseFee", bonus::float8 AS bonus, malus::float8 AS malus,
              adjustment::float8 AS adjustment, currency, inputs, lines
         FROM catalog.settlements WHERE subscription_id = ANY($1::uuid[]) AND period = $2`,
      [subscriptionIds, period],
    );
    return new Map(rows.map((r) => [r.subscriptionId, r]));
  }

  /**
   * A page (by id) of the outcome contracts settled per `unit` that ran in [from, to), each with
   * its readings in the period (oldest first), in one statement: one row per contract, the
   * readings as one JSON text (instants as toISOString() writes them).
   */
  async contractsPage(tx: ReadTx, q: { unit: string; from: Date; to: Date; after: string | null; limit: number }): Promise<ContractToSettle[]> {
    const rows: Array<Omit<ContractToSettle, 'readings'> & { readingsJson: string }> = await tx.query(
      `SELECT s.id, s.account_id AS "accountId", s.pricing::text AS "pricingJson", s.started_at AS "startedAt", s.ended_at AS "endedAt",
              (SELECT coalesce(json_agg(json_build_object('id', r.id, 'at', ${isoSql('r.at')}, 'value', r.value, 'source', r.source) ORDER BY r.at, r.id), '[]')
                 FROM catalog.kpi_readings r WHERE r.subscription_id = s.id AND r.at >= $2 AND r.at < $3)::text AS "readingsJson"
         FROM catalog.subscriptions s
        WHERE s.pricing_kind = 'outcome' AND s.pricing->>'settlementPeriod' = $1 AND s.started_at < $3 AND (s.ended_at IS NULL OR s.ended_at > $2) AND ($4::uuid IS NULL OR s.id > $4)
        ORDER BY s.id LIMIT $5`,
      [q.unit, q.from, q.to, q.after, q.limit],
    );
    return rows.map(({ readingsJson, ...c }) => ({ ...c, readings: JSON.parse(readingsJson) as SettlementReading[] }));
  }

  /**
   * Inserts new settlements and replaces those whose result changed (revision + 1), in one
   * statement; one stored meanwhile with the same result (a concurrent settle) is left alone
   * (jsonb equality ignores key order). With `events`, the same statement writes an
   * event per stored settlement, built from the stored row (the payloads are not sent twice).
   * Returns the id and revision of each row stored (a run only counts them; {@link storedDto} makes one a DTO).
   */
  async upsertMany(tx: Tx, batch: SettlementBatch, events?: EventsFrom): Promise<StoredSettlement[]> {
    if (batch.size === 0) return [];
    const withEvents = events?.({ from: 'stored', payload: EVENT_PAYLOAD, order: 'subscription_id' }, 5);
    // The scalar columns travel as one JSON text read by json_to_recordset (cheaper than an
    // array parameter per column); inputs and lines as two text arrays zipped with it by ROWS
    // FROM and cast to jsonb. Nested in the JSON rows, PostgreSQL 15 took 2.5-3x as long to
    // read them (165-205 ms for 2,500 settlements as jsonb columns, 77-84 ms as json columns,
    // 33 ms this way; docs/benchmarks.md).
    return tx.query(
      `WITH stored AS (INSERT INTO catalog.settlements (id, tenant_id, subscription_id, account_id, period, period_start, period_end, currency, amount, base_fee, bonus, malus, adjustment, inputs, lines, revision, computed_at)
         SELECT u.id, $1, u."subscriptionId", u."accountId", u.period, u."periodStart", u."periodEnd", u.currency, u.amount, u."baseFee", u.bonus, u.malus, u.adjustment, u.inputs::jsonb, u.lines::jsonb, 1, u."computedAt"
         FROM ROWS FROM (
             json_to_recordset($2::json) AS (id uuid, "subscriptionId" uuid, "accountId" uuid, period text, "periodStart" timestamptz, "periodEnd" timestamptz, currency text,
               amount bigint, "baseFee" bigint, bonus bigint, malus bigint, adjustment bigint, "computedAt" timestamptz),
             unnest($3::text[]), unnest($4::text[]))
           AS u(id, "subscriptionId", "accountId", period, "periodStart", "periodEnd", currency, amount, "baseFee", bonus, malus, adjustment, "computedAt", inputs, lines)
         ON CONFLICT (subscription_id, period) DO UPDATE SET amount = EXCLUDED.amount, base_fee = EXCLUDED.base_fee, bonus = EXCLUDED.bonus, malus = EXCLUDED.malus,
           adjustment = EXCLUDED.adjustment, inputs = EXCLUDED.inputs, lines = EXCLUDED.lines, currency = EXCLUDED.currency, revision = catalog.settlements.revision + 1,
           computed_at = EXCLUDED.computed_at
         WHERE (catalog.settlements.amount, catalog.settlements.base_fee, catalog.settlements.bonus, catalog.settlements.malus, catalog.settlements.adjustment,
                catalog.settlements.currency, catalog.settlements.inputs, catalog.settlements.lines)
           IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.base_fee, EXCLUDED.bonus, EXCLUDED.malus, EXCLUDED.adjustment, EXCLUDED.currency, EXCLUDED.inputs, EXCLUDED.lines)
         RETURNING *)${withEvents ? `, ${withEvents.cte}` : ''}
       SELECT id, subscription_id AS "subscriptionId", revision FROM stored`,
      [tx.scope.tenantId, batch.json, batch.inputs, batch.lines, ...(withEvents?.params ?? [])],
    );
  }

  /** The DTO of a settlement the upsert stored. */
  storedDto(r: NewSettlement, stored: StoredSettlement): SettlementDto {
    return { ...r, id: stored.id, revision: stored.revision, periodStart: iso(r.periodStart), periodEnd: iso(r.periodEnd), computedAt: iso(r.computedAt) };
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
