import { Injectable } from '@nestjs/common';
import type { Answers } from '@steward/contracts';
import type { Tx } from '@steward/persistence';

export interface RollupRow {
  value: string;
  month: string;
  n: number;
  counts: number[];
}

export interface DriverRow {
  id: string;
  version: number;
  weight: number;
  score: number | null;
  answers: Answers;
  outcomes: Record<string, number | boolean> | null;
}

/** Response columns a key-driver segment can filter on. */
const SEGMENT_COLUMN: Record<string, string> = { account: 'account_id::text', tier: 'tier::text', segment: 'segment', team: 'team', role: 'role', channel: 'channel', csm: 'csm_id::text', survey: 'survey_id::text' };

/** Reads for analytics: rollups (never responses) and, for key drivers, the driver items of a survey's responses. */
@Injectable()
export class AnalyticsRepository {
  /** Rollup rows of one kind and dimension in a month range, optionally one value. */
  async rollups(tx: Tx, kind: string, dim: string, value: string | null, from: string, to: string): Promise<RollupRow[]> {
    const rows: Array<{ value: string; month: string; n: string; counts: string[] }> = await tx.query(
      `SELECT value, to_char(month, 'YYYY-MM') AS month, n, counts FROM feedback.rollups
       WHERE kind = $1 AND dim = $2 AND ($3::text IS NULL OR value = $3) AND month >= $4::date AND month <= $5::date`,
      [kind, dim, value, `${from}-01`, `${to}-01`],
    );
    return rows.map((r) => ({ value: r.value, month: r.month, n: Number(r.n), counts: r.counts.map(Number) }));
  }

  /** Rollups of several values of a dimension (the contacts of one account). */
  async rollupsOf(tx: Tx, kind: string, dim: string, values: string[], from: string, to: string): Promise<RollupRow[]> {
    if (values.length === 0) return [];
    const rows: Array<{ value: string; month: string; n: string; counts: string[] }> = await tx.query(
      `SELECT value, to_char(month, 'YYYY-MM') AS month, n, counts FROM feedback.rollups
       WHERE kind = $1 AND dim = $2 AND value = ANY($3::text[]) AND month >= $4::date AND month <= $5::date`,
      [kind, dim, values, `${from}-01`, `${to}-01`],
    );
    return rows.map((r) => ({ value: r.value, month: r.month, n: Number(r.n), counts: r.counts.map(Number) }));
  }

  async responseRate(tx: Tx, surveyId: string | null, from: string, to: string): Promise<{ invited: number; responded: number }> {
    const [row] = await tx.query(
      `SELECT coalesce(sum(invited), 0) AS invited, coalesce(sum(responded), 0) AS responded FROM feedback.survey_stats
       WHERE ($1::uuid IS NULL OR survey_id = $1) AND month >= $2::date AND month <= $3::date`,
      [surveyId, `${from}-01`, `${to}-01`],
    );
    return { invited: Number(row.invited), responded: Number(row.responded) };
  }

  /** Every version's definition of a survey. */
  async definitions(tx: Tx, surveyId: string): Promise<Map<number, unknown>> {
    const rows: Array<{ version: number; definition: unknown }> = await tx.query(`SELECT version, definition FROM feedback.survey_versions WHERE survey_id = $1`, [surveyId]);
    return new Map(rows.map((r) => [r.version, r.definition]));
  }

  /** The responses of a survey in a period and segment, with what key drivers need. */
  async driverRows(tx: Tx, surveyId: string, from: string | null, to: string | null, dim: string, value: string | null): Promise<DriverRow[]> {
    const column = dim === 'all' ? null : SEGMENT_COLUMN[dim];
    return tx.query(
      `SELECT id, version, weight, score, answers, outcomes FROM feedback.responses
       WHERE survey_id = $1 AND ($2::timestamptz IS NULL OR answered_at >= $2) AND ($3::timestamptz IS NULL OR answered_at < $3)
         ${column ? `AND ${column} = $4` : 'AND $4::text IS NULL'}`,
      [surveyId, from ? `${from}-01T00:00:00Z` : null, to ? nextMonth(to) : null, column ? value : null],
    );
  }
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01-01T00:00:00Z` : `${y}-${String(mo + 1).padStart(2, '0')}-01T00:00:00Z`;
}
