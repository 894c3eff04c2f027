import { Module } from '@nestjs/common';
import { AccountsService } from './accounts.service';
import { ContactsService } from './contacts.service';
import { CustomersHandlers } from './customers.handlers';
import { ImportsService } from './imports.service';
import { ProjectsService } from './projects.service';
import { RevenueService } from './revenue.service';
import { TieringScheduler } from './tiering.scheduler';
import { TieringService } from './tiering.service';

@Module({
  providers: [AccountsService, ImportsService, ContactsService, ProjectsService, RevenueService, TieringService, TieringScheduler, CustomersHandlers],
  exports: [CustomersHandlers, TieringScheduler],
})
export class CustomersModule {}
