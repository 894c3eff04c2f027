import { Injectable } from '@nestjs/common';
import type { Answers, ListResponsesRequest, Page, ResponseDto } from '@steward/contracts';
import { deferWrite, idCursor, returnedRows, toPage, Tx } from '@steward/persistence';
import type { Contribution } from '../domain/answers';

export interface NewResponse {
  id: string;
  surveyId: string;
  kind: string;
  version: number;
  invitationId: string | null;
  externalId: string | null;
  channel: string;
  language: string | null;
  answeredAt: Date;
  accountId: string | null;
  contactId: string | null;
  userId: string | null;
  tier: number | null;
  role: string | null;
  segment: string | null;
  team: string | null;
  csmId: string | null;
  weight: number;
  score: number | null;
  answers: Answers;
  comment: string | null;
  tags: string[];
  sentiment: string | null;
  outcomes: Record<string, number | boolean> | null;
  recordedAt: Date;
}

/** A response waiting to be added to the rollups: its month, its value per dimension, what it scores. */
export interface QueuedContribution {
  month: string;
  dims: Record<string, string | null>;
  contributions: Contribution[];
}

export interface RollupDelta {
  kind: string;
  dim: string;
  value: string;
  month: string;
  n: number;
  counts: readonly number[];
}

type Row = Omit<ResponseDto, 'answeredAt'> & { answeredAt: Date };
const COLUMNS = `id, survey_id AS "surveyId", version, invitation_id AS "invitationId", external_id AS "externalId", channel, language, answered_at AS "answeredAt",
  account_id AS "accountId", contact_id AS "contactId", user_id AS "userId", tier, role, segment, team, weight, score, answers, comment, tags, sentiment`;

/** Named queries on responses, the rollup queue, rollups and response counts. */
@Injectable()
export class ResponsesRepository {
  /** Inserts responses; a repeated external id is skipped. Returns the ids inserted. */
  async insertMany(tx: Tx, list: NewResponse[]): Promise<Set<string>> {
    if (list.length === 0) return new Set();
    const col = <K extends keyof NewResponse>(k: K) => list.map((r) => r[k]);
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `INSERT INTO feedback.responses (id, tenant_id, survey_id, kind, version, invitation_id, external_id, channel, language, answered_at, account_id, contact_id, user_id,
           tier, role, segment, team, csm_id, weight, score, answers, comment, tags, sentiment, outcomes, recorded_at)
         SELECT u.id, $1, u.survey_id, u.kind, u.version, u.invitation_id, u.external_id, u.channel, u.language, u.answered_at, u.account_id, u.contact_id, u.user_id,
           u.tier, u.role, u.segment, u.team, u.csm_id, u.weight, u.score, d.doc->0, u.comment, coalesce(string_to_array(nullif(u.tags, ''), ','), '{}'), u.sentiment, nullif(d.doc->1, 'null'::jsonb), u.recorded_at
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::uuid[], $12::uuid[], $13::uuid[],
           $14::smallint[], $15::text[], $16::text[], $17::text[], $18::uuid[], $19::float8[], $20::smallint[], $22::text[], $23::text[], $24::text[], $25::timestamptz[])
           WITH ORDINALITY AS u(id, survey_id, kind, version, invitation_id, external_id, channel, language, answered_at, account_id, contact_id, user_id, tier, role, segment, team, csm_id, weight, score,
             comment, tags, sentiment, recorded_at, n)
         JOIN jsonb_array_elements($21::jsonb) WITH ORDINALITY AS d(doc, n) USING (n)
         ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL DO NOTHING RETURNING id`,
        [
          tx.scope.tenantId,
          col('id'),
          col('surveyId'),
          col('kind'),
          col('version'),
          col('invitationId'),
          col('externalId'),
          col('channel'),
          col('language'),
          col('answeredAt'),
          col('accountId'),
          col('contactId'),
          col('userId'),
          col('tier'),
          col('role'),
          col('segment'),
          col('team'),
          col('csmId'),
          col('weight'),
          col('score'),
          // Answers and outcomes as one JSON array of [answers, outcomes] pairs (a jsonb[] costs 4–5× more to send and parse).
          JSON.stringify(list.map((r) => [r.answers, r.outcomes ?? null])),
          col('comment'),
          list.map((r) => r.tags.join(',')),
          col('sentiment'),
          col('recordedAt'),
        ],
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  async enqueue(tx: Tx, items: Array<{ responseId: string } & QueuedContribution>): Promise<void> {
    if (items.length === 0) return;
    await deferWrite(
      tx,
      `INSERT INTO feedback.rollup_queue (response_id, tenant_id, month, dims, contributions)
       SELECT u.id, $1, u.month, d.doc->0, d.doc->1
       FROM unnest($2::uuid[], $3::date[]) WITH ORDINALITY AS u(id, month, n) JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS d(doc, n) USING (n)`,
      [tx.scope.tenantId, items.map((i) => i.responseId), items.map((i) => `${i.month}-01`), JSON.stringify(items.map((i) => [i.dims, i.contributions]))],
    );
  }

  /** Takes up to `limit` queued responses out of the queue (rows other transactions hold are skipped). */
  async dequeue(tx: Tx, limit: number): Promise<QueuedContribution[]> {
    const rows = returnedRows<{ month: Date | string; dims: QueuedContribution['dims']; contributions: Contribution[] }>(
      await tx.query(
        `DELETE FROM feedback.rollup_queue WHERE response_id IN (SELECT response_id FROM feedback.rollup_queue LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING to_char(month, 'YYYY-MM') AS month, dims, contributions`,
        [limit],
      ),
    );
    return rows.map((r) => ({ month: String(r.month), dims: r.dims, contributions: r.contributions }));
  }

  /** Adds counts to the rollups: one upsert for the whole batch, in a fixed key order (no deadlocks between batches). */
  async addToRollups(tx: Tx, deltas: RollupDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const sorted = [...deltas].sort((a, b) => (a.kind + a.dim + a.value + a.month < b.kind + b.dim + b.value + b.month ? -1 : 1));
    await tx.query(
      `INSERT INTO feedback.rollups (tenant_id, kind, dim, value, month, n, counts)
       SELECT $1, u.kind, u.dim, u.value, u.month, u.n, u.counts::bigint[] FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::text[]) AS u(kind, dim, value, month, n, counts)
       ON CONFLICT (tenant_id, kind, dim, value, month) DO UPDATE SET n = feedback.rollups.n + excluded.n, counts = feedback.add_counts(feedback.rollups.counts, excluded.counts)`,
      [
        tx.scope.tenantId,
        sorted.map((d) => d.kind),
        sorted.map((d) => d.dim),
        sorted.map((d) => d.value),
        sorted.map((d) => `${d.month}-01`),
        sorted.map((d) => d.n),
        sorted.map((d) => `{${d.counts.join(',')}}`),
      ],
    );
  }

  async addResponded(tx: Tx, bySurveyMonth: Map<string, number>): Promise<void> {
    if (bySurveyMonth.size === 0) return;
    const keys = [...bySurveyMonth.keys()].sort();
    await tx.query(
      `INSERT INTO feedback.survey_stats (tenant_id, survey_id, month, responded) SELECT $1, u.s, u.m, u.n FROM unnest($2::uuid[], $3::date[], $4::bigint[]) AS u(s, m, n)
       ON CONFLICT (tenant_id, survey_id, month) DO UPDATE SET responded = feedback.survey_stats.responded + excluded.responded`,
      [tx.scope.tenantId, keys.map((k) => k.split('|')[0]), keys.map((k) => `${k.split('|')[1]}-01`), keys.map((k) => bySurveyMonth.get(k))],
    );
  }

  async list(tx: Tx, q: ListResponsesRequest): Promise<Page<ResponseDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM feedback.responses WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR survey_id = $3) AND ($4::uuid IS NULL OR account_id = $4) ORDER BY id LIMIT $1`,
      [q.limit + 1, cursor, q.surveyId ?? null, q.accountId ?? null],
    );
    return toPage(rows, q.limit, (r) => ({ ...r, answeredAt: r.answeredAt.toISOString() }), (r) => idCursor.encode(r.id));
  }
}
