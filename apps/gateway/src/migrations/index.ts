import { Idempotency1763800100000 } from './1763800100000-idempotency';

/** Every gateway migration, in order. Never edit one that has landed: add a new one. */
export const gatewayMigrations = [Idempotency1763800100000];
