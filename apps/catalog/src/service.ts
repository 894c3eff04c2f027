import { declareService } from '@steward/service-kit';
import { CatalogSettings } from './config';
import { catalogMigrations } from './migrations';
import { SampleModule } from './sample/sample.module';

/** The catalog service: its feature modules, migrations and settings. */
export const catalogService = declareService({
  name: 'catalog',
  modules: [SampleModule],
  migrations: catalogMigrations,
  settings: CatalogSettings,
  opsPort: 9103,
});
