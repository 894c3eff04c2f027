import { Injectable } from '@nestjs/common';
import type { ListRmaRequest, RmaOrderDto } from '@steward/contracts';
import { idCursor, returnedRows, Tx } from '@steward/persistence';

/** An after-sales order as stored (instants as Date, due time and calendar for the breach check). */
export interface RmaRow extends Omit<RmaOrderDto, 'breached' | 'dueAt' | 'createdAt' | 'updatedAt' | 'completedAt'> {
  calendar: string;
  dueAt: Date;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

const COLUMNS = `id, ticket_id AS "ticketId", account_id AS "accountId", kind, status, notes, parts, visits, history, target_minutes AS "targetMinutes", calendar,
  due_at AS "dueAt", created_at AS "createdAt", updated_at AS "updatedAt", completed_at AS "completedAt", version`;

/** After-sales orders (RMA): installation, repair and return orders raised from tickets. */
@Injectable()
export class AftersalesRepository {
  async insert(tx: Tx, r: RmaRow): Promise<RmaRow> {
    const [row]: RmaRow[] = await tx.query(
      `INSERT INTO support.rma_orders (id, tenant_id, ticket_id, account_id, kind, status, notes, parts, visits, history, target_minutes, calendar, due_at, created_at, updated_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${COLUMNS}`,
      [r.id, tx.scope.tenantId, r.ticketId, r.accountId, r.kind, r.status, r.notes, JSON.stringify(r.parts), JSON.stringify(r.visits), JSON.stringify(r.history), r.targetMinutes, r.calendar, r.dueAt, r.createdAt, r.updatedAt, r.completedAt],
    );
    return row;
  }

  async find(tx: Tx, id: string, lock = false): Promise<RmaRow | null> {
    const [row]: RmaRow[] = await tx.query(`SELECT ${COLUMNS} FROM support.rma_orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async save(tx: Tx, r: RmaRow): Promise<RmaRow> {
    const [row] = returnedRows<RmaRow>(
      await tx.query(
        `UPDATE support.rma_orders SET status = $2, notes = $3, parts = $4, visits = $5, history = $6, updated_at = $7, completed_at = $8, version = version + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
        [r.id, r.status, r.notes, JSON.stringify(r.parts), JSON.stringify(r.visits), JSON.stringify(r.history), r.updatedAt, r.completedAt],
      ),
    );
    return row;
  }

  async list(tx: Tx, q: ListRmaRequest): Promise<RmaRow[]> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    return tx.query(
      `SELECT ${COLUMNS} FROM support.rma_orders WHERE ($2::uuid IS NULL OR id < $2) AND ($3::uuid IS NULL OR ticket_id = $3) AND ($4::uuid IS NULL OR account_id = $4) AND ($5::text IS NULL OR status = $5)
       ORDER BY id DESC LIMIT $1`,
      [q.limit + 1, cursor, q.ticketId ?? null, q.accountId ?? null, q.status ?? null],
    );
  }
}
