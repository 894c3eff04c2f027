import { runMigrationProcess } from '@steward/service-kit';
import { supportService } from './service';

runMigrationProcess(supportService);
