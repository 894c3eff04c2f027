import { uuidv7 } from '@steward/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorRef, AuditEntryDto, ListAuditRequest, Page } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';
import { AuditEntryEntity } from './identity.entities';
import { toAuditDto } from './mappers';
import { paginate } from './pagination';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
}

/** Who changed what, when, with the state before and after, written in the same transaction. */
@Injectable()
export class AuditLog {
  async record(em: EntityManager, ctx: RequestContext, tenantId: string, change: AuditChange): Promise<void> {
    await em.query(
      `INSERT INTO accounts.audit_log (id, tenant_id, actor, action, entity_type, entity_id, before, after, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        uuidv7(),
        tenantId,
        actorRef(ctx.actor),
        change.action,
        change.entityType,
        change.entityId,
        change.before ? JSON.stringify(change.before) : null,
        change.after ? JSON.stringify(change.after) : null,
        ctx.correlationId,
      ],
    );
  }

  list(em: EntityManager, q: ListAuditRequest): Promise<Page<AuditEntryDto>> {
    const qb = em.createQueryBuilder(AuditEntryEntity, 'a');
    if (q.entityType) qb.andWhere('a.entityType = :t', { t: q.entityType });
    if (q.entityId) qb.andWhere('a.entityId = :e', { e: q.entityId });
    return paginate(qb, q, 'a.id', 'DESC', toAuditDto);
  }
}
