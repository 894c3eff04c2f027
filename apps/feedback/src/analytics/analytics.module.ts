import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { SurveysModule } from '../surveys/surveys.module';
import { AnalyticsHandlers } from './analytics.handlers';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { KeyDriversService } from './key-drivers.service';

/** Scores from rollups (NPS, eNPS, CSAT, CES, engagement; trend, segments, response rate) and key drivers. */
@Module({ imports: [DirectoryModule, SurveysModule], providers: [AnalyticsRepository, AnalyticsService, KeyDriversService, AnalyticsHandlers] })
export class AnalyticsModule {}
