import { runMigrationProcess } from '@steward/service-kit';
import { accountsService } from './service';

runMigrationProcess(accountsService);
