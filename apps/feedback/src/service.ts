import { declareService } from '@steward/service-kit';
import { FeedbackSettings } from './config';
import { feedbackMigrations } from './migrations';
import { SampleModule } from './sample/sample.module';

/** The feedback service: its feature modules, migrations and settings. */
export const feedbackService = declareService({
  name: 'feedback',
  modules: [SampleModule],
  migrations: feedbackMigrations,
  settings: FeedbackSettings,
  opsPort: 9104,
});
