import { Injectable } from '@nestjs/common';
import type { Tx } from '@steward/persistence';
import { PartnersRepository } from './partners.repository';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';

/**
 * What other features of accounts may ask identity, inside their own transaction: whether
 * a user or partner exists in the caller's scope, users by e-mail, the tenant's currency. Other features use
 * this, never identity's repositories.
 */
@Injectable()
export class Directory {
  constructor(
    private readonly users: UsersRepository,
    private readonly partners: PartnersRepository,
    private readonly tenants: TenantsRepository,
  ) {}

  userExists(tx: Tx, id: string): Promise<boolean> {
    return this.users.exists(tx, id);
  }

  partnerExists(tx: Tx, id: string): Promise<boolean> {
    return this.partners.exists(tx, id);
  }

  userIdsByEmail(tx: Tx): Promise<Map<string, string>> {
    return this.users.idsByEmail(tx);
  }

  /** The tenant's revenue currency (null until the first revenue batch), locked for the transaction. */
  lockTenantCurrency(tx: Tx): Promise<string | null> {
    return this.tenants.lockCurrency(tx);
  }

  setTenantCurrency(tx: Tx, currency: string): Promise<void> {
    return this.tenants.setCurrency(tx, currency);
  }
}
