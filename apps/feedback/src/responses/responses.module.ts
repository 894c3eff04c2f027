import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { LoopsModule } from '../loops/loops.module';
import { SurveysModule } from '../surveys/surveys.module';
import { CommentTagger } from './comment-tagger';
import { ImportsService } from './imports.service';
import { RecordingService } from './recording.service';
import { RespondentsService } from './respondents.service';
import { ResponsesHandlers } from './responses.handlers';
import { ResponsesRepository } from './responses.repository';
import { RollupsService } from './rollups.service';

/** Responses: answered through a token or imported, tagged, stored for volume, rolled up. */
@Module({
  imports: [DirectoryModule, SurveysModule, LoopsModule],
  providers: [ResponsesRepository, CommentTagger, RollupsService, RecordingService, RespondentsService, ImportsService, ResponsesHandlers],
})
export class ResponsesModule {}
