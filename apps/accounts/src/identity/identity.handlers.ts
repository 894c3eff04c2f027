import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log';
import { AuthService } from './auth.service';
import { PartnersService } from './partners.service';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';

/** NATS adapters for identity: one line per subject, no logic. */
@NatsHandlers()
export class IdentityHandlers implements NatsAdapters {
  constructor(
    private readonly tenants: TenantsService,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly partners: PartnersService,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: AuditLog,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.accounts;
    r.handle(s.tenantCreate, (req, ctx) => this.tenants.create(ctx, req));
    r.handle(s.authLogin, (req) => this.auth.login(req));
    r.handle(s.authRefresh, (req, ctx) => this.auth.refresh(req, ctx));
    r.handle(s.authLogout, (req) => this.auth.logout(req));
    r.handle(s.apiKeyVerify, (req) => this.auth.verifyApiKey(req));
    r.handle(s.userGet, (req, ctx) => this.users.get(ctx, req.id));
    r.handle(s.userList, (req, ctx) => this.users.list(ctx, req));
    r.handle(s.userCreate, (req, ctx) => this.users.create(ctx, req));
    r.handle(s.userUpdate, (req, ctx) => this.users.update(ctx, req));
    r.handle(s.partnerList, (req, ctx) => this.partners.list(ctx, req));
    r.handle(s.partnerCreate, (req, ctx) => this.partners.create(ctx, req));
    r.handle(s.partnerGet, (req, ctx) => this.partners.get(ctx, req.id));
    r.handle(s.apiKeyCreate, (req, ctx) => this.apiKeys.create(ctx, req));
    r.handle(s.apiKeyList, (req, ctx) => this.apiKeys.list(ctx, req));
    r.handle(s.apiKeyRevoke, (req, ctx) => this.apiKeys.revoke(ctx, req.id));
    r.handle(s.apiKeyGet, (req, ctx) => this.apiKeys.get(ctx, req.id));
    r.handle(s.apiKeyRotate, (req, ctx) => this.apiKeys.rotate(ctx, req));
    r.handle(s.auditList, (req, ctx) => this.audit.list(ctx, req));
  }
}
