import { Identity1763800000000 } from './1763800000000-identity';
import { Customers1763900000000 } from './1763900000000-customers';

/** Every accounts migration, in order. Never edit one that has landed: add a new one. */
export const accountsMigrations = [Identity1763800000000, Customers1763900000000];
