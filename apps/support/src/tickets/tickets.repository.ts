import { Injectable } from '@nestjs/common';
import type { AddCommentRequest, ListCommentsRequest, ListTicketsRequest } from '@steward/contracts';
import { decodeCursor, deferWrite, encodeCursor, idCursor, returnedRows, Tx } from '@steward/persistence';
import type { FeedEntry } from '../domain/sla-feed';
import { CommentRow, INSTANT_COLUMNS, JSON_COLUMNS, TICKET_COLUMNS, TicketRow } from './ticket.row';

const SELECT = TICKET_COLUMNS.map(([f, c]) => `${c} AS "${f}"`).join(', ');
const INSERT_COLUMNS = TICKET_COLUMNS.map(([, c]) => c).join(', ');
const UPDATABLE = TICKET_COLUMNS.filter(([f]) => f !== 'id' && f !== 'createdAt' && f !== 'version');
const COMMENT = `id, ticket_id AS "ticketId", at, by, visibility, body, author, attachments`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fromDb(r: Record<string, unknown>): TicketRow {
  for (const f of INSTANT_COLUMNS) {
    const v = r[f];
    if (v instanceof Date) r[f] = v.toISOString();
  }
  return r as unknown as TicketRow;
}
function toDb(t: TicketRow, f: keyof TicketRow): unknown {
  const v = t[f];
  return JSON_COLUMNS.has(f) && v !== null ? JSON.stringify(v) : v;
}

/** A list position: the created instant and id of the last ticket of a page. */
type ListCursor = { c: string; id: string };
const isListCursor = (p: unknown): p is ListCursor =>
  typeof p === 'object' && p !== null && Object.keys(p).length === 2 && typeof (p as ListCursor).c === 'string' && !Number.isNaN(Date.parse((p as ListCursor).c)) && UUID.test(String((p as ListCursor).id));

/** Tickets, their comments, status history and SLA metric events. Every method takes the scope-bound transaction. */
@Injectable()
export class TicketsRepository {
  async insert(tx: Tx, t: TicketRow): Promise<void> {
    const values = TICKET_COLUMNS.map(([f]) => toDb(t, f));
    // Deferred (sent with the next statement or the COMMIT): a failure needs no answer of its own.
    await deferWrite(tx, `INSERT INTO support.tickets (tenant_id, ${INSERT_COLUMNS}) VALUES ($1, ${TICKET_COLUMNS.map((_, i) => `$${i + 2}`).join(', ')})`, [tx.scope.tenantId, ...values]);
  }

  /** Inserts many tickets in one statement (imports). */
  async insertMany(tx: Tx, rows: readonly TicketRow[]): Promise<void> {
    if (rows.length === 0) return;
    const records = rows.map((t) => {
      const r: Record<string, unknown> = { tenant_id: tx.scope.tenantId };
      for (const [f, c] of TICKET_COLUMNS) r[c] = t[f];
      return r;
    });
    await tx.query(`INSERT INTO support.tickets (tenant_id, ${INSERT_COLUMNS}) SELECT tenant_id, ${INSERT_COLUMNS} FROM jsonb_populate_recordset(null::support.tickets, $1::jsonb)`, [JSON.stringify(records)]);
  }

  /** Writes every mutable column and bumps the version. */
  async update(tx: Tx, t: TicketRow): Promise<number> {
    const sets = UPDATABLE.map(([, c], i) => `${c} = $${i + 2}`).join(', ');
    const [row] = returnedRows<{ version: number }>(
      await tx.query(`UPDATE support.tickets SET ${sets}, version = version + 1 WHERE id = $1 RETURNING version`, [t.id, ...UPDATABLE.map(([f]) => toDb(t, f))]),
    );
    return row.version;
  }

  async find(tx: Tx, id: string, lock = false): Promise<TicketRow | null> {
    const [row]: Array<Record<string, unknown>> = await tx.query(`SELECT ${SELECT} FROM support.tickets WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? fromDb(row) : null;
  }

  /** Locks the ticket if nobody else holds it (the SLA timer skips a ticket being changed: the change re-arms it). */
  async lockIfFree(tx: Tx, id: string): Promise<TicketRow | null | 'busy'> {
    const [row]: Array<Record<string, unknown>> = await tx.query(`SELECT ${SELECT} FROM support.tickets WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
    if (row) return fromDb(row);
    const [exists]: unknown[] = await tx.query(`SELECT 1 FROM support.tickets WHERE id = $1`, [id]);
    return exists ? 'busy' : null;
  }

  async byExternalIds(tx: Tx, ids: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; externalId: string }> = await tx.query(`SELECT id, external_id AS "externalId" FROM support.tickets WHERE external_id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.externalId, r.id]));
  }

  async byOrigin(tx: Tx, kind: string, ref: string): Promise<TicketRow | null> {
    const [row]: Array<Record<string, unknown>> = await tx.query(`SELECT ${SELECT} FROM support.tickets WHERE origin_kind = $1 AND origin_ref = $2`, [kind, ref]);
    return row ? fromDb(row) : null;
  }

  async list(tx: Tx, q: ListTicketsRequest): Promise<{ rows: TicketRow[]; nextCursor: string | null }> {
    const cursor = q.cursor ? decodeCursor(q.cursor, isListCursor) : null;
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, v: unknown) => where.push(sql.replace('?', `$${params.push(v)}`));
    if (q.accountId) add('account_id = ?', q.accountId);
    if (q.projectId) add('project_id = ?', q.projectId);
    if (q.status) add('status = ?', q.status);
    if (q.statusClass) add('status_class = ?', q.statusClass);
    if (q.open !== undefined) add('is_open = ?', q.open);
    if (q.level) add('level = ?', q.level);
    if (q.queue) add('queue = ?', q.queue);
    if (q.teamId) add('team_id = ?', q.teamId);
    if (q.assigneeId) add('assignee_id = ?', q.assigneeId);
    if (q.priority) add('priority = ?', q.priority);
    if (q.category) add('category = ?', q.category);
    if (q.breached !== undefined) add('sla_breached = ?', q.breached);
    const desc = q.sort === '-createdAt';
    if (cursor) {
      const a = params.push(cursor.c);
      const b = params.push(cursor.id);
      where.push(`(created_at, id) ${desc ? '<' : '>'} ($${a}::timestamptz, $${b}::uuid)`);
    }
    const limit = params.push(q.limit + 1);
    const rows: Array<Record<string, unknown>> = await tx.query(
      `SELECT ${SELECT} FROM support.tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at ${desc ? 'DESC' : 'ASC'}, id ${desc ? 'DESC' : 'ASC'} LIMIT $${limit}`,
      params,
    );
    const more = rows.length > q.limit;
    const page = (more ? rows.slice(0, q.limit) : rows).map(fromDb);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: more && last ? encodeCursor({ c: last.createdAt, id: last.id }) : null };
  }

  /** Open tickets after `after` (by id), for re-applying a policy page by page. */
  async openIds(tx: Tx, after: string | null, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await tx.query(`SELECT id FROM support.tickets WHERE is_open AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`, [after, limit]);
    return rows.map((r) => r.id);
  }

  async addHistory(tx: Tx, ticketId: string, h: { at: string; status: string; statusClass: string; by: string; reason: string | null }): Promise<void> {
    await deferWrite(tx, `INSERT INTO support.ticket_history (tenant_id, ticket_id, at, status, status_class, by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      tx.scope.tenantId,
      ticketId,
      h.at,
      h.status,
      h.statusClass,
      h.by,
      h.reason,
    ]);
  }

  async addHistoryMany(tx: Tx, rows: Array<{ ticketId: string; at: string; status: string; statusClass: string; by: string; reason: string | null }>): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO support.ticket_history (tenant_id, ticket_id, at, status, status_class, by, reason)
       SELECT $1, x."ticketId", x.at, x.status, x."statusClass", x.by, x.reason FROM jsonb_to_recordset($2::jsonb) AS x("ticketId" uuid, at timestamptz, status text, "statusClass" text, by text, reason text)`,
      [tx.scope.tenantId, JSON.stringify(rows)],
    );
  }

  async history(tx: Tx, ticketId: string): Promise<Array<{ at: Date; status: string; statusClass: string; by: string; reason: string | null }>> {
    return tx.query(`SELECT at, status, status_class AS "statusClass", by, reason FROM support.ticket_history WHERE ticket_id = $1 ORDER BY seq`, [ticketId]);
  }

  async addSlaEvents(tx: Tx, ticketId: string, entries: readonly FeedEntry[], recordedAt: string): Promise<void> {
    if (entries.length === 0) return;
    await deferWrite(
      tx,
      `INSERT INTO support.sla_events (tenant_id, ticket_id, at, recorded_at, kind, clock, details)
       SELECT $1, $2, x.at, $3, x.kind, x.clock, x.details FROM jsonb_to_recordset($4::jsonb) AS x(at timestamptz, kind text, clock text, details jsonb)`,
      [tx.scope.tenantId, ticketId, recordedAt, JSON.stringify(entries)],
    );
  }

  async addSlaEventsMany(tx: Tx, rows: ReadonlyArray<FeedEntry & { ticketId: string }>, recordedAt: string): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO support.sla_events (tenant_id, ticket_id, at, recorded_at, kind, clock, details)
       SELECT $1, x."ticketId", x.at, $2, x.kind, x.clock, x.details FROM jsonb_to_recordset($3::jsonb) AS x("ticketId" uuid, at timestamptz, kind text, clock text, details jsonb)`,
      [tx.scope.tenantId, recordedAt, JSON.stringify(rows)],
    );
  }

  async slaEvents(tx: Tx, ticketId: string): Promise<Array<{ seq: string; at: Date; recordedAt: Date; kind: string; clock: string | null; details: Record<string, unknown> }>> {
    return tx.query(`SELECT seq, at, recorded_at AS "recordedAt", kind, clock, details FROM support.sla_events WHERE ticket_id = $1 ORDER BY seq`, [ticketId]);
  }

  async addComment(tx: Tx, c: { id: string; ticketId: string; at: string; by: string; visibility: string; body: string; author: string; attachments: AddCommentRequest['attachments'] }): Promise<CommentRow> {
    const [row]: CommentRow[] = await tx.query(
      `INSERT INTO support.ticket_comments (id, tenant_id, ticket_id, at, by, visibility, body, author, attachments) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COMMENT}`,
      [c.id, tx.scope.tenantId, c.ticketId, c.at, c.by, c.visibility, c.body, c.author, JSON.stringify(c.attachments)],
    );
    return row;
  }

  async addComments(tx: Tx, rows: Array<{ id: string; ticketId: string; at: string; by: string; visibility: string; body: string; author: string }>): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO support.ticket_comments (id, tenant_id, ticket_id, at, by, visibility, body, author, attachments)
       SELECT x.id, $1, x."ticketId", x.at, x.by, x.visibility, x.body, x.author, '[]' FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, "ticketId" uuid, at timestamptz, by text, visibility text, body text, author text)`,
      [tx.scope.tenantId, JSON.stringify(rows)],
    );
  }

  /** Comments oldest first; the cursor holds the last id (ids are time-ordered UUIDv7s, ties on `at` broken by id). */
  async comments(tx: Tx, q: ListCommentsRequest): Promise<{ rows: CommentRow[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: CommentRow[] = await tx.query(
      `SELECT ${COMMENT} FROM support.ticket_comments WHERE ticket_id = $1 AND ($2::uuid IS NULL OR (at, id) > (SELECT at, id FROM support.ticket_comments WHERE id = $2)) ORDER BY at, id LIMIT $3`,
      [q.ticketId, after, q.limit + 1],
    );
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    return { rows: page, nextCursor: more ? idCursor.encode(page[page.length - 1].id) : null };
  }
}
