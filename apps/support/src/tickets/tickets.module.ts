import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { PolicyModule } from '../policy/policy.module';
import { RecoveryModule } from '../recovery/recovery.module';
import { ReportsModule } from '../reports/reports.module';
import { TeamsModule } from '../teams/teams.module';
import { ImportService } from './import.service';
import { TicketEngine } from './ticket-engine.service';
import { TicketsHandlers } from './tickets.handlers';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { WorkflowService } from './workflow.service';

/** Tickets: creation and routing, lifecycle, SLA engine and timers, comments, import, complaints and vouchers on tickets. */
@Module({
  imports: [DirectoryModule, PolicyModule, TeamsModule, ReportsModule, RecoveryModule],
  providers: [TicketsRepository, TicketEngine, TicketsService, WorkflowService, ImportService, TicketsHandlers],
  exports: [TicketsService],
})
export class TicketsModule {}
