import { declareService } from '@steward/service-kit';
import { AftersalesModule } from './aftersales/aftersales.module';
import { SupportSettings } from './config';
import { DirectoryModule } from './directory/directory.module';
import { supportMigrations } from './migrations';
import { PolicyModule } from './policy/policy.module';
import { RecoveryModule } from './recovery/recovery.module';
import { ReportsModule } from './reports/reports.module';
import { TeamsModule } from './teams/teams.module';
import { TicketsModule } from './tickets/tickets.module';

/** The support service (DOMAIN.md §2): its feature modules, migrations and settings. */
export const supportService = declareService({
  name: 'support',
  modules: [DirectoryModule, PolicyModule, TeamsModule, ReportsModule, RecoveryModule, TicketsModule, AftersalesModule],
  migrations: supportMigrations,
  settings: SupportSettings,
  opsPort: 9102,
});
