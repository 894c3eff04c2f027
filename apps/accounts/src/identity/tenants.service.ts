import { Inject, Injectable } from '@nestjs/common';
import { CreateTenantRequest, CreateTenantResponse, ErrorCode, Events, StewardError } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, uuidv7, type UnitOfWork } from '@steward/persistence';
import { OUTBOX, requireOperator, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { AuditLog } from './audit-log';
import { PASSWORD_HASHER, type PasswordHasher } from './credentials';
import { TenantsRepository } from './tenants.repository';
import { UsersService } from './users.service';

@Injectable()
export class TenantsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly repo: TenantsRepository,
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
      return await this.uow.forTenant(tenantId, async (tx) => {
        const tenant = await this.repo.insert(tx, { name: req.name, slug: req.slug });
        await this.audit.record(tx, tenantCtx, { action: 'tenant.created', entityType: 'tenant', entityId: tenantId, after: tenant });
        await this.outbox.emit(tx, Events.accounts.tenantCreated, { tenant }, tenantCtx);
        const admin = await this.users.insert(tx, tenantCtx, { email: req.admin.email, name: req.admin.name, role: 'admin', passwordHash });
        return { tenant, admin };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'tenants_slug_key')) {
        throw new StewardError(ErrorCode.TenantSlugTaken, `The slug "${req.slug}" is already taken`, { errors: [{ field: 'slug', rule: 'unique', message: 'is already taken' }] });
      }
      throw err;
    }
  }
}
