import { declareService } from '@steward/service-kit';
import { SupportSettings } from './config';
import { supportMigrations } from './migrations';

/** The support service: its feature modules, migrations and settings. */
export const supportService = declareService({
  name: 'support',
  modules: [],
  migrations: supportMigrations,
  settings: SupportSettings,
  opsPort: 9102,
});
