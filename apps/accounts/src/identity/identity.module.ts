import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@steward/service-kit';
import type { AccountsConfig } from '../config';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { AuthService } from './auth.service';
import { PASSWORD_HASHER, PasswordHasher } from './credentials';
import { Directory } from './directory';
import { IdentityHandlers } from './identity.handlers';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Tenants, users, partners, API keys, sessions and the identity audit log. */
@Module({
  providers: [
    { provide: PASSWORD_HASHER, useFactory: (config: AccountsConfig) => new PasswordHasher(config.app.passwordMemoryKib), inject: [SERVICE_CONFIG] },
    UsersRepository,
    TenantsRepository,
    PartnersRepository,
    ApiKeysRepository,
    RefreshTokensRepository,
    AuditRepository,
    AuditLog,
    AuthService,
    TenantsService,
    UsersService,
    PartnersService,
    ApiKeysService,
    Directory,
    IdentityHandlers,
  ],
  exports: [Directory],
})
export class IdentityModule {}
