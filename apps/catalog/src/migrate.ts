import { runMigrationProcess } from '@steward/service-kit';
import { catalogService } from './service';

runMigrationProcess(catalogService);
