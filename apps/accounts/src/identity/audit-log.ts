import { Inject, Injectable } from '@nestjs/common';
import { actorRef, AuditEntryDto, ListAuditRequest, Page } from '@steward/contracts';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { AuditRepository } from './audit.repository';

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
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    private readonly repo: AuditRepository,
  ) {}

  /** The tenant's identity changes, newest first (admins only). */
  list(ctx: RequestContext, q: ListAuditRequest): Promise<Page<AuditEntryDto>> {
    requireRole(ctx, ['admin']);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  record(tx: Tx, ctx: RequestContext, change: AuditChange): Promise<void> {
    return this.repo.insert(tx, {
      id: uuidv7(),
      actor: actorRef(ctx.actor),
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: change.before ?? null,
      after: change.after ?? null,
      correlationId: ctx.correlationId,
    });
  }
}
