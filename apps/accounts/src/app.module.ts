import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import type { AccountsConfig } from './config';
import { PasswordHasher } from './identity/credentials';
import { IdentityModule } from './identity/identity.module';
import { CustomersModule } from './customers/customers.module';
import { ACCOUNTS_CONFIG, HASHER, OUTBOX, UOW } from './identity/tokens';

export interface AccountsDeps {
  config: AccountsConfig;
  uow: UnitOfWork;
  outbox: Outbox;
}

@Global()
@Module({})
class InfrastructureModule {
  static with(deps: AccountsDeps): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: ACCOUNTS_CONFIG, useValue: deps.config },
        { provide: UOW, useValue: deps.uow },
        { provide: OUTBOX, useValue: deps.outbox },
        { provide: HASHER, useValue: new PasswordHasher(deps.config.passwordMemoryKib) },
      ],
      exports: [ACCOUNTS_CONFIG, UOW, OUTBOX, HASHER],
    };
  }
}

/** The accounts service: infrastructure is built outside Nest (bootstrap.ts) and handed in. */
@Module({})
export class AccountsModule {
  static with(deps: AccountsDeps): DynamicModule {
    return { module: AccountsModule, imports: [InfrastructureModule.with(deps), IdentityModule, CustomersModule] };
  }
}
