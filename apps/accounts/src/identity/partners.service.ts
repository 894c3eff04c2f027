import { Inject, Injectable } from '@nestjs/common';
import { CreatePartnerRequest, Events, ListPartnersRequest, Page, PartnerDto, Role, StewardError } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, OUTBOX, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { AuditLog } from './audit-log';
import { PartnersRepository } from './partners.repository';

const MANAGE: readonly Role[] = ['admin', 'manager'];

@Injectable()
export class PartnersService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly repo: PartnersRepository,
    private readonly audit: AuditLog,
  ) {}

  list(ctx: RequestContext, q: ListPartnersRequest): Promise<Page<PartnerDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  get(ctx: RequestContext, id: string): Promise<PartnerDto> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const partner = await this.repo.find(tx, id);
      if (!partner) throw StewardError.notFound('partner', id);
      return partner;
    });
  }

  create(ctx: RequestContext, req: CreatePartnerRequest): Promise<PartnerDto> {
    requireRole(ctx, MANAGE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const partner = await this.repo.insert(tx, uuidv7(), req);
      await this.audit.record(tx, ctx, { action: 'partner.created', entityType: 'partner', entityId: partner.id, after: partner });
      await this.outbox.emit(tx, Events.accounts.partnerCreated, { partner });
      return partner;
    });
  }
}
