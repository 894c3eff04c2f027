import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { OutcomesHandlers } from './outcomes.handlers';
import { ReadingsRepository } from './readings.repository';
import { ReadingsService } from './readings.service';
import { SettlementsRepository } from './settlements.repository';
import { SettlementsService } from './settlements.service';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

/** Usage records, KPI readings (manual, imported, derived from support's events), settlements and settlement runs. */
@Module({
  imports: [SubscriptionsModule],
  providers: [UsageRepository, UsageService, ReadingsRepository, ReadingsService, SettlementsRepository, SettlementsService, OutcomesHandlers],
})
export class OutcomesModule {}
