import { Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log';
import { AuthService } from './auth.service';
import { IdentityHandlers } from './identity.handlers';
import { PartnersService } from './partners.service';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';

@Module({
  providers: [AuditLog, AuthService, TenantsService, UsersService, PartnersService, ApiKeysService, IdentityHandlers],
  exports: [IdentityHandlers],
})
export class IdentityModule {}
