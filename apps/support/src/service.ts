import { declareService } from '@steward/service-kit';
import { SupportSettings } from './config';
import { supportMigrations } from './migrations';
import { SampleModule } from './sample/sample.module';

/** The support service: its feature modules, migrations and settings. */
export const supportService = declareService({
  name: 'support',
  modules: [SampleModule],
  migrations: supportMigrations,
  settings: SupportSettings,
  opsPort: 9102,
});
