import { declareService } from '@steward/service-kit';
import { AnalyticsModule } from './analytics/analytics.module';
import { FeedbackSettings } from './config';
import { DirectoryModule } from './directory/directory.module';
import { LoopsModule } from './loops/loops.module';
import { feedbackMigrations } from './migrations';
import { ResponsesModule } from './responses/responses.module';
import { SurveysModule } from './surveys/surveys.module';

/** The feedback service: its feature modules, migrations and settings. */
export const feedbackService = declareService({
  name: 'feedback',
  modules: [DirectoryModule, SurveysModule, LoopsModule, ResponsesModule, AnalyticsModule],
  migrations: feedbackMigrations,
  settings: FeedbackSettings,
  opsPort: 9104,
});
