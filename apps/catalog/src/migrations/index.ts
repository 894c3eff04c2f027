import { CatalogInit1796095404158 } from './1796095404158-catalog';

/** Every catalog migration, in order. Never edit one that has landed: add a new one. */
export const catalogMigrations = [CatalogInit1796095404158];
