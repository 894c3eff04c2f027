import { uuidv7 } from '@steward/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { CreatePartnerRequest, Events, ListPartnersRequest, Page, PartnerDto, Role } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { requireRole, tenantOf } from './access';
import { AuditLog } from './audit-log';
import { PartnerEntity } from './identity.entities';
import { toPartnerDto } from './mappers';
import { paginate } from './pagination';
import { OUTBOX, UOW } from './tokens';

const MANAGE: readonly Role[] = ['admin', 'manager'];
const READ: readonly Role[] = ['admin', 'manager', 'csm', 'agent', 'viewer'];

@Injectable()
export class PartnersService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  list(ctx: RequestContext, q: ListPartnersRequest): Promise<Page<PartnerDto>> {
    requireRole(ctx, READ);
    return this.uow.forTenant(tenantOf(ctx), (em) =>
      paginate(em.createQueryBuilder(PartnerEntity, 'p'), q, 'p.id', 'ASC', toPartnerDto),
    );
  }

  create(ctx: RequestContext, req: CreatePartnerRequest): Promise<PartnerDto> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    return this.uow.forTenant(tenantId, async (em) => {
      const id = uuidv7();
      // One round trip: the row comes back from the INSERT itself.
      const [row] = await em.query(
        `INSERT INTO accounts.partners (id, tenant_id, name, kind, region, contact_email) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, tenant_id AS "tenantId", name, kind, region, contact_email AS "contactEmail", created_at AS "createdAt"`,
        [id, tenantId, req.name, req.kind, req.region ?? null, req.contactEmail ?? null],
      );
      const partner = toPartnerDto(row as PartnerEntity);
      await this.audit.record(em, ctx, tenantId, { action: 'partner.created', entityType: 'partner', entityId: id, after: partner });
      await this.outbox.emit(em, Events.accounts.partnerCreated, { partner });
      return partner;
    });
  }
}
