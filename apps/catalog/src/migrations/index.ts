import { CatalogInit1796095404158 } from './1796095404158-catalog';
import { CatalogSchema1796200000000 } from './1796200000000-catalog-schema';
import { OutcomeContractsByPeriod1796800000000 } from './1796800000000-outcome-contracts-by-period';

/** Every catalog migration, in order. Never edit one that has landed: add a new one. */
export const catalogMigrations = [CatalogInit1796095404158, CatalogSchema1796200000000, OutcomeContractsByPeriod1796800000000];
