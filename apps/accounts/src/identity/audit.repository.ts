import { Injectable } from '@nestjs/common';
import type { AuditEntryDto, ListAuditRequest, Page } from '@steward/contracts';
import { deferWrite, idCursor, toPage, Tx } from '@steward/persistence';

const COLUMNS = `id, at, actor, action, entity_type AS "entityType", entity_id AS "entityId", before, after, correlation_id AS "correlationId"`;
type AuditRow = Omit<AuditEntryDto, 'at'> & { at: Date };
const toDto = (r: AuditRow): AuditEntryDto => ({ ...r, at: r.at.toISOString() });

export interface AuditRecord {
  id: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: object | null;
  after: object | null;
  correlationId: string;
}

/** Named queries on the append-only `accounts.audit_log`. */
@Injectable()
export class AuditRepository {
  /** Deferred (docs/adr/0032-deferred-writes.md): the entry travels with the change's COMMIT. */
  async insert(tx: Tx, r: AuditRecord): Promise<void> {
    await deferWrite(
      tx,
      `INSERT INTO accounts.audit_log (id, tenant_id, actor, action, entity_type, entity_id, before, after, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, tx.scope.tenantId, r.actor, r.action, r.entityType, r.entityId, r.before ? JSON.stringify(r.before) : null, r.after ? JSON.stringify(r.after) : null, r.correlationId],
    );
  }

  /** Newest first (ids are time-ordered). */
  async list(tx: Tx, q: ListAuditRequest): Promise<Page<AuditEntryDto>> {
    const params: unknown[] = [q.limit + 1];
    const where: string[] = [];
    if (q.entityType) where.push(`entity_type = $${params.push(q.entityType)}`);
    if (q.entityId) where.push(`entity_id = $${params.push(q.entityId)}`);
    if (q.cursor) where.push(`id < $${params.push(idCursor.decode(q.cursor))}`);
    const rows: AuditRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`, params);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }
}
