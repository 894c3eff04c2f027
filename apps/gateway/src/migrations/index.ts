import { Idempotency1763800100000 } from './1763800100000-idempotency';
import { DropIdempotencyKeys1796090100000 } from './1796090100000-drop-idempotency-keys';
import { RateLimitCounters1796090300000 } from './1796090300000-rate-limit-counters';
import { Webhooks1796461538207 } from './1796461538207-webhooks';

/** Every gateway migration, in order. Never edit one that has landed: add a new one. */
export const gatewayMigrations = [Idempotency1763800100000, DropIdempotencyKeys1796090100000, RateLimitCounters1796090300000, Webhooks1796461538207];
