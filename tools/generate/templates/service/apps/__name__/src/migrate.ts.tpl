import { runMigrationProcess } from '@steward/service-kit';
import { {{camel}}Service } from './service';

runMigrationProcess({{camel}}Service);
