import { declareService } from '@steward/service-kit';
import { CatalogModule } from './catalog/catalog.module';
import { CatalogSettings } from './config';
import { DirectoryModule } from './directory/directory.module';
import { catalogMigrations } from './migrations';
import { OutcomesModule } from './outcomes/outcomes.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

/** The catalog service: its feature modules, migrations and settings. */
export const catalogService = declareService({
  name: 'catalog',
  modules: [DirectoryModule, CatalogModule, SubscriptionsModule, OutcomesModule],
  migrations: catalogMigrations,
  settings: CatalogSettings,
  opsPort: 9103,
});
