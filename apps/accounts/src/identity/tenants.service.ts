import { Inject, Injectable } from '@nestjs/common';
import { CreateTenantRequest, CreateTenantResponse, ErrorCode, Events, StewardError } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, uuidv7, type UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { requireOperator } from './access';
import { AuditLog } from './audit-log';
import type { PasswordHasher } from './credentials';
import { TenantEntity } from './identity.entities';
import { toTenantDto, toUserDto } from './mappers';
import { HASHER, OUTBOX, UOW } from './tokens';
import { UsersService } from './users.service';

@Injectable()
export class TenantsService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(HASHER) private readonly hasher: PasswordHasher,
    private readonly users: UsersService,
    private readonly audit: AuditLog,
  ) {}

  /** Operator bootstrap: a tenant and its first admin, in one transaction. */
  async create(ctx: RequestContext, req: CreateTenantRequest): Promise<CreateTenantResponse> {
    requireOperator(ctx);
    const tenantId = uuidv7();
    const passwordHash = await this.hasher.hash(req.admin.password);
    const tenantCtx = { ...ctx, tenantId };
    try {
      return await this.uow.forTenant(tenantId, async (em) => {
        await em.insert(TenantEntity, { id: tenantId, name: req.name, slug: req.slug });
        const tenant = await em.findOneByOrFail(TenantEntity, { id: tenantId });
        await this.audit.record(em, tenantCtx, tenantId, { action: 'tenant.created', entityType: 'tenant', entityId: tenantId, after: toTenantDto(tenant) });
        await this.outbox.emit(em, Events.accounts.tenantCreated, { tenant: toTenantDto(tenant) }, tenantCtx);
        const admin = await this.users.insert(em, tenantCtx, tenantId, { email: req.admin.email, name: req.admin.name, role: 'admin', passwordHash });
        return { tenant: toTenantDto(tenant), admin: toUserDto(admin) };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'tenants_slug_key')) {
        throw new StewardError(ErrorCode.TenantSlugTaken, `The slug "${req.slug}" is already taken`, { errors: [{ field: 'slug', rule: 'unique', message: 'is already taken' }] });
      }
      throw err;
    }
  }
}
