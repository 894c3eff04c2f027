import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { DirectoryModule } from '../directory/directory.module';
import { EntitlementsRepository } from './entitlements.repository';
import { EntitlementsService } from './entitlements.service';
import { SubscriptionJournal } from './journal';
import { LifecycleService } from './lifecycle.service';
import { SaleResolver } from './sales';
import { SubscriptionsHandlers } from './subscriptions.handlers';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';
import { TrialsRepository } from './trials.repository';
import { TrialsService } from './trials.service';

/** Subscriptions and contracts, trials, their lifecycle jobs, and the entitlements they grant. */
@Module({
  imports: [DirectoryModule, CatalogModule],
  providers: [
    SubscriptionsRepository,
    TrialsRepository,
    EntitlementsRepository,
    EntitlementsService,
    SaleResolver,
    SubscriptionJournal,
    SubscriptionsService,
    TrialsService,
    LifecycleService,
    SubscriptionsHandlers,
  ],
  exports: [SubscriptionsService],
})
export class SubscriptionsModule {}
