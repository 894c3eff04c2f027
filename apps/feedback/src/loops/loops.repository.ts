import { Injectable } from '@nestjs/common';
import type { ListLoopsRequest, LoopDto, Page } from '@steward/contracts';
import { idCursor, returnedRows, toPage, Tx } from '@steward/persistence';

interface LoopRow extends Omit<LoopDto, 'openedAt' | 'contactedAt' | 'resolvedAt' | 'closedAt' | 'timeToCloseSeconds'> {
  openedAt: Date;
  contactedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  team: string | null;
}

const COLUMNS = `id, response_id AS "responseId", survey_id AS "surveyId", account_id AS "accountId", contact_id AS "contactId", csm_id AS "csmId", team, reasons, status, outcome,
  support_ticket_id AS "supportTicketId", note, opened_at AS "openedAt", contacted_at AS "contactedAt", resolved_at AS "resolvedAt", closed_at AS "closedAt"`;

export const toLoopDto = ({ team: _team, ...r }: LoopRow): LoopDto => ({
  ...r,
  openedAt: r.openedAt.toISOString(),
  contactedAt: r.contactedAt?.toISOString() ?? null,
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
  closedAt: r.closedAt?.toISOString() ?? null,
  timeToCloseSeconds: r.closedAt ? Math.round((r.closedAt.getTime() - r.openedAt.getTime()) / 1000) : null,
});

export interface NewLoop {
  id: string;
  responseId: string;
  surveyId: string;
  accountId: string | null;
  contactId: string | null;
  csmId: string | null;
  team: string | null;
  reasons: string[];
  openedAt: Date;
}

/** Named queries on `feedback.loops`. */
@Injectable()
export class LoopsRepository {
  /** One loop per response (a repeated recording opens nothing twice). */
  async insertMany(tx: Tx, loops: NewLoop[]): Promise<LoopDto[]> {
    if (loops.length === 0) return [];
    const col = <K extends keyof NewLoop>(k: K) => loops.map((l) => l[k]);
    const rows = returnedRows<LoopRow>(
      await tx.query(
        `INSERT INTO feedback.loops (id, tenant_id, response_id, survey_id, account_id, contact_id, csm_id, team, reasons, status, opened_at)
         SELECT u.id, $1, u.response_id, u.survey_id, u.account_id, u.contact_id, u.csm_id, u.team, string_to_array(u.reasons, ','), 'open', u.opened_at
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::text[], $9::text[], $10::timestamptz[])
           AS u(id, response_id, survey_id, account_id, contact_id, csm_id, team, reasons, opened_at)
         ON CONFLICT (response_id) DO NOTHING RETURNING ${COLUMNS}`,
        [tx.scope.tenantId, col('id'), col('responseId'), col('surveyId'), col('accountId'), col('contactId'), col('csmId'), col('team'), loops.map((l) => l.reasons.join(',')), col('openedAt')],
      ),
    );
    return rows.map(toLoopDto);
  }

  async find(tx: Tx, id: string, lock = false): Promise<LoopDto | null> {
    const [row]: LoopRow[] = await tx.query(`SELECT ${COLUMNS} FROM feedback.loops WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ? toLoopDto(row) : null;
  }

  async findByTicket(tx: Tx, ticketId: string): Promise<LoopDto | null> {
    const [row]: LoopRow[] = await tx.query(`SELECT ${COLUMNS} FROM feedback.loops WHERE support_ticket_id = $1 FOR UPDATE`, [ticketId]);
    return row ? toLoopDto(row) : null;
  }

  async findByResponse(tx: Tx, responseId: string): Promise<LoopDto | null> {
    const [row]: LoopRow[] = await tx.query(`SELECT ${COLUMNS} FROM feedback.loops WHERE response_id = $1 FOR UPDATE`, [responseId]);
    return row ? toLoopDto(row) : null;
  }

  async setTicket(tx: Tx, id: string, ticketId: string): Promise<void> {
    await tx.query(`UPDATE feedback.loops SET support_ticket_id = $2 WHERE id = $1 AND support_ticket_id IS NULL`, [id, ticketId]);
  }

  async move(tx: Tx, id: string, to: { status: string; outcome?: string | null; note?: string | null; at: Date }): Promise<LoopDto> {
    const [row]: LoopRow[] = returnedRows(
      await tx.query(
        `UPDATE feedback.loops SET status = $2, outcome = coalesce($3, outcome), note = coalesce($4, note),
           contacted_at = CASE WHEN $2 IN ('contacted', 'resolved', 'closed') THEN coalesce(contacted_at, $5) ELSE contacted_at END,
           resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN coalesce(resolved_at, $5) ELSE resolved_at END,
           closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, $5) ELSE closed_at END
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, to.status, to.outcome ?? null, to.note ?? null, to.at],
      ),
    );
    return toLoopDto(row!);
  }

  async list(tx: Tx, q: ListLoopsRequest): Promise<Page<LoopDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: LoopRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM feedback.loops WHERE ($2::uuid IS NULL OR id > $2) AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR csm_id = $4)
         AND ($5::uuid IS NULL OR account_id = $5) ORDER BY id LIMIT $1`,
      [q.limit + 1, cursor, q.status ?? null, q.csmId ?? null, q.accountId ?? null],
    );
    return toPage(rows, q.limit, toLoopDto, (r) => idCursor.encode(r.id));
  }

  async metrics(tx: Tx, by: 'csm' | 'team') {
    const key = by === 'csm' ? 'csm_id::text' : 'team';
    const rows: Array<{ value: string | null; opened: string; open: string; closed: string; recovered: string; mean: number | null; median: number | null }> = await tx.query(
      `SELECT ${key} AS value, count(*) AS opened, count(*) FILTER (WHERE status <> 'closed') AS open, count(*) FILTER (WHERE status = 'closed') AS closed,
         count(*) FILTER (WHERE outcome = 'recovered') AS recovered,
         avg(extract(epoch FROM closed_at - opened_at)) FILTER (WHERE closed_at IS NOT NULL)::float8 AS mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - opened_at)) FILTER (WHERE closed_at IS NOT NULL)::float8 AS median
       FROM feedback.loops GROUP BY 1 ORDER BY 1 NULLS LAST`,
    );
    return rows.map((r) => ({
      value: r.value,
      opened: Number(r.opened),
      open: Number(r.open),
      closed: Number(r.closed),
      recovered: Number(r.recovered),
      meanTimeToCloseSeconds: r.mean === null ? null : Number(r.mean),
      medianTimeToCloseSeconds: r.median === null ? null : Number(r.median),
    }));
  }
}
