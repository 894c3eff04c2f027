import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { CustomersHandlers } from './customers.handlers';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { RevenueRepository } from './revenue.repository';
import { RevenueService } from './revenue.service';
import { TieringRepository } from './tiering.repository';
import { TieringService } from './tiering.service';

/** The tenant's enterprise customers: accounts, stakeholders, installed base, revenue, Pareto tiers, CSV import. */
@Module({
  imports: [IdentityModule],
  providers: [
    AccountsRepository,
    ContactsRepository,
    ProjectsRepository,
    RevenueRepository,
    TieringRepository,
    ImportsRepository,
    AccountsService,
    ImportsService,
    ContactsService,
    ProjectsService,
    RevenueService,
    TieringService,
    CustomersHandlers,
  ],
})
export class CustomersModule {}
