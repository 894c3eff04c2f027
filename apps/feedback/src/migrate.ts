import { runMigrationProcess } from '@steward/service-kit';
import { feedbackService } from './service';

runMigrationProcess(feedbackService);
