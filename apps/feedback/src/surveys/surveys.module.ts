import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { DeliveriesRepository } from './deliveries.repository';
import { DELIVERY, RecordingDelivery } from './delivery.port';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { SurveysHandlers } from './surveys.handlers';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';

/** Surveys and their versions, invitations with single-use tokens, deliveries and reminders. */
@Module({
  imports: [DirectoryModule],
  providers: [SurveysRepository, InvitationsRepository, DeliveriesRepository, { provide: DELIVERY, useClass: RecordingDelivery }, SurveysService, InvitationsService, SurveysHandlers],
  exports: [SurveysService, InvitationsService],
})
export class SurveysModule {}
