import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { TeamsHandlers } from './teams.handlers';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

/** Queues, teams, members and assignment within a queue. */
@Module({ imports: [DirectoryModule], providers: [TeamsRepository, TeamsService, TeamsHandlers], exports: [TeamsService] })
export class TeamsModule {}
