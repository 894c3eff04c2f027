import { Module } from '@nestjs/common';
import { SurveysModule } from '../surveys/surveys.module';
import { LoopsHandlers } from './loops.handlers';
import { LoopsRepository } from './loops.repository';
import { LoopsService } from './loops.service';
import { SUPPORT_CASES, SupportServiceCases } from './support-cases.port';
import { SupportBridgeService } from './support-bridge.service';

/** The closed loop into support: follow-ups, their support cases, support's ticket events, loop metrics. */
@Module({
  imports: [SurveysModule],
  providers: [LoopsRepository, LoopsService, SupportBridgeService, { provide: SUPPORT_CASES, useClass: SupportServiceCases }, LoopsHandlers],
  exports: [LoopsService],
})
export class LoopsModule {}
