import { Injectable } from '@nestjs/common';
import { deferWrite, type Tx } from '@steward/persistence';
import { MEASURES, type Fact } from '../domain/rollup-facts';

const NIL = '00000000-0000-0000-0000-000000000000';
const M = MEASURES.join(', ');
const SUMS = MEASURES.map((m) => `sum(${m})::bigint AS ${m}`).join(', ');

/** Grouping expressions, from code only. */
const DIMENSION_SQL: Record<string, string> = {
  level: 'level',
  step: 'step',
  queue: 'queue',
  team: `nullif(team_key, '${NIL}'::uuid)`,
  priority: 'priority',
};
const PERIOD_SQL: Record<string, string> = {
  day: `to_char(day, 'YYYY-MM-DD')`,
  week: `to_char(day, 'IYYY-"W"IW')`,
  month: `to_char(day, 'YYYY-MM')`,
};

export type RollupRow = Record<string, unknown> & Record<(typeof MEASURES)[number], string | number>;

export interface RollupQuery {
  kind: 'ticket' | 'step';
  from: string;
  to: string;
  groupBy: readonly string[];
  period: string;
  level?: string;
  priority?: string;
}

/**
 * The report rollups: `rollup_deltas` is appended to by every ticket change (no row is ever
 * updated on the hot path, so writers never wait for each other); a job per tenant folds the
 * deltas into `rollups`. Reports read the folded rows plus the few deltas not folded yet.
 */
@Injectable()
export class RollupsRepository {
  async append(tx: Tx, deltas: readonly Fact[]): Promise<void> {
    if (deltas.length === 0) return;
    const rows = deltas.map((d) => ({ kind: d.kind, day: d.day, level: d.level, step: d.step, queue: d.queue, team_id: d.teamId, priority: d.priority, m: d.m }));
    await deferWrite(
      tx,
      `INSERT INTO support.rollup_deltas (tenant_id, kind, day, level, step, queue, team_id, priority, ${M})
       SELECT $1, x.kind, x.day::date, x.level, x.step, x.queue, x.team_id, x.priority, ${MEASURES.map((m) => `coalesce((x.m->>'${m}')::bigint, 0)`).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS x(kind text, day text, level text, step int, queue text, team_id uuid, priority text, m jsonb)`,
      [tx.scope.tenantId, JSON.stringify(rows)],
    );
  }

  /** Folds up to `limit` of the tenant's oldest deltas into the rollups; returns how many. */
  async fold(tx: Tx, limit: number): Promise<number> {
    const [row]: Array<{ n: string }> = await tx.query(
      `WITH d AS (
         DELETE FROM support.rollup_deltas WHERE id IN (SELECT id FROM support.rollup_deltas ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING tenant_id, kind, day, level, step, queue, coalesce(team_id, '${NIL}'::uuid) AS team_key, priority, ${M}),
       ins AS (
         INSERT INTO support.rollups AS r (tenant_id, kind, day, level, step, queue, team_key, priority, ${M})
         SELECT tenant_id, kind, day, level, step, queue, team_key, priority, ${SUMS} FROM d GROUP BY tenant_id, kind, day, level, step, queue, team_key, priority
         ON CONFLICT (tenant_id, kind, day, level, step, queue, team_key, priority) DO UPDATE SET ${MEASURES.map((m) => `${m} = r.${m} + EXCLUDED.${m}`).join(', ')}
         RETURNING 1)
       SELECT (SELECT count(*) FROM d) AS n, (SELECT count(*) FROM ins) AS groups`,
      [limit],
    );
    return Number(row?.n ?? 0);
  }

  /** Sums of the folded rollups and pending deltas of one kind over [from, to], grouped. */
  async report(tx: Tx, q: RollupQuery): Promise<RollupRow[]> {
    const dims = q.groupBy.map((d) => (d === 'period' ? `${PERIOD_SQL[q.period]} AS period` : `${DIMENSION_SQL[d]} AS ${d}`));
    const params: unknown[] = [q.kind, q.from, q.to];
    let filter = '';
    if (q.level) filter += ` AND level = $${params.push(q.level)}`;
    if (q.priority) filter += ` AND priority = $${params.push(q.priority)}`;
    const source = `SELECT day, level, step, queue, team_key, priority, ${M} FROM support.rollups WHERE kind = $1 AND day BETWEEN $2::date AND $3::date${filter}
      UNION ALL
      SELECT day, level, step, queue, coalesce(team_id, '${NIL}'::uuid), priority, ${M} FROM support.rollup_deltas WHERE kind = $1 AND day BETWEEN $2::date AND $3::date${filter}`;
    const groupBy = dims.length ? ` GROUP BY ${q.groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${q.groupBy.map((_, i) => i + 1).join(', ')}` : '';
    return tx.query(`SELECT ${[...dims, SUMS].join(', ')} FROM (${source}) x${groupBy}`, params);
  }

  /** Open tickets now by the given dimensions and age (from their creation day). */
  async backlog(tx: Tx, groupBy: readonly string[], today: string): Promise<RollupRow[]> {
    const dims = groupBy.map((d) => `${DIMENSION_SQL[d]} AS ${d}`);
    const age = `($1::date - day)`;
    const buckets = [
      `sum(open) FILTER (WHERE ${age} < 1) AS "a0"`,
      `sum(open) FILTER (WHERE ${age} >= 1 AND ${age} < 3) AS "a1"`,
      `sum(open) FILTER (WHERE ${age} >= 3 AND ${age} < 7) AS "a2"`,
      `sum(open) FILTER (WHERE ${age} >= 7 AND ${age} < 30) AS "a3"`,
      `sum(open) FILTER (WHERE ${age} >= 30) AS "a4"`,
    ];
    const source = `SELECT day, level, step, queue, team_key, priority, open, open_breached FROM support.rollups WHERE kind = 'ticket' AND (open <> 0 OR open_breached <> 0)
      UNION ALL
      SELECT day, level, step, queue, coalesce(team_id, '${NIL}'::uuid), priority, open, open_breached FROM support.rollup_deltas WHERE kind = 'ticket' AND (open <> 0 OR open_breached <> 0)`;
    const groupSql = dims.length ? ` GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} HAVING sum(open) <> 0 ORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    return tx.query(`SELECT ${[...dims, 'sum(open)::bigint AS open', 'sum(open_breached)::bigint AS open_breached', ...buckets].join(', ')} FROM (${source}) x${groupSql}`, [today]);
  }
}
