import { Identity1763800000000 } from './1763800000000-identity';
import { Customers1763900000000 } from './1763900000000-customers';
import { IdempotencyKeys1796090000000 } from './1796090000000-idempotency-keys';
import { RefreshTokenFamilies1796090200000 } from './1796090200000-refresh-token-families';
import { DurableJobs1796100000000 } from './1796100000000-durable-jobs';
import { ApiKeyScopesAndRotation1796141873512 } from './1796141873512-api-key-scopes-and-rotation';
import { PartnerReadsTenantCurrency1796142630871 } from './1796142630871-partner-reads-tenant-currency';
import { TierHistory1796700000000 } from './1796700000000-tier-history';

/** Every accounts migration, in order. Never edit one that has landed: add a new one. */
export const accountsMigrations = [Identity1763800000000, Customers1763900000000, IdempotencyKeys1796090000000, RefreshTokenFamilies1796090200000, DurableJobs1796100000000, ApiKeyScopesAndRotation1796141873512, PartnerReadsTenantCurrency1796142630871, TierHistory1796700000000];
