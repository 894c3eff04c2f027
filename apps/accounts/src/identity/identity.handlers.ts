import { Injectable } from '@nestjs/common';
import { Subjects } from '@steward/contracts';
import type { RpcHandlers, RpcServer } from '@steward/messaging';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log';
import { AuthService } from './auth.service';
import { PartnersService } from './partners.service';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';
import { requireRole, tenantOf } from './access';
import { Inject } from '@nestjs/common';
import type { UnitOfWork } from '@steward/persistence';
import { UOW } from './tokens';

/** NATS adapters for identity: one line per subject, no logic. */
@Injectable()
export class IdentityHandlers implements RpcHandlers {
  constructor(
    private readonly tenants: TenantsService,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly partners: PartnersService,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditLog,
    @Inject(UOW) private readonly uow: UnitOfWork,
  ) {}

  register(rpc: RpcServer): void {
    const s = Subjects.accounts;
    rpc.handle(s.tenantCreate, (req, ctx) => this.tenants.create(ctx, req));
    rpc.handle(s.authLogin, (req) => this.auth.login(req));
    rpc.handle(s.authRefresh, (req) => this.auth.refresh(req));
    rpc.handle(s.authLogout, (req) => this.auth.logout(req));
    rpc.handle(s.apiKeyVerify, (req) => this.auth.verifyApiKey(req));
    rpc.handle(s.userGet, (req, ctx) => this.users.get(ctx, req.id));
    rpc.handle(s.userList, (req, ctx) => this.users.list(ctx, req));
    rpc.handle(s.userCreate, (req, ctx) => this.users.create(ctx, req));
    rpc.handle(s.userUpdate, (req, ctx) => this.users.update(ctx, req));
    rpc.handle(s.partnerList, (req, ctx) => this.partners.list(ctx, req));
    rpc.handle(s.partnerCreate, (req, ctx) => this.partners.create(ctx, req));
    rpc.handle(s.apiKeyCreate, (req, ctx) => this.apiKeys.create(ctx, req));
    rpc.handle(s.apiKeyList, (req, ctx) => this.apiKeys.list(ctx, req));
    rpc.handle(s.apiKeyRevoke, (req, ctx) => this.apiKeys.revoke(ctx, req.id));
    rpc.handle(s.auditList, (req, ctx) => {
      requireRole(ctx, ['admin']);
      return this.uow.forTenant(tenantOf(ctx), (em) => this.audit.list(em, req));
    });
  }
}
