import { declareService } from '@steward/service-kit';
import { AccountsSettings } from './config';
import { CustomersModule } from './customers/customers.module';
import { IdentityModule } from './identity/identity.module';
import { accountsMigrations } from './migrations';

/** The accounts service: identity and the tenant's enterprise customers. */
export const accountsService = declareService({
  name: 'accounts',
  modules: [IdentityModule, CustomersModule],
  migrations: accountsMigrations,
  settings: AccountsSettings,
  opsPort: 9101,
});
