import { Module } from '@nestjs/common';
import { ReportsHandlers } from './reports.handlers';
import { ReportsService } from './reports.service';
import { RollupsRepository } from './rollups.repository';

/** Rollups fed by ticket changes, and the reports served from them. */
@Module({ providers: [RollupsRepository, ReportsService, ReportsHandlers], exports: [ReportsService] })
export class ReportsModule {}
