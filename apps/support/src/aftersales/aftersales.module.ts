import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { PolicyModule } from '../policy/policy.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AftersalesHandlers } from './aftersales.handlers';
import { AftersalesRepository } from './aftersales.repository';
import { AftersalesService } from './aftersales.service';

/** After-sales orders (RMA) raised from tickets. */
@Module({ imports: [TicketsModule, PolicyModule, DirectoryModule], providers: [AftersalesRepository, AftersalesService, AftersalesHandlers] })
export class AftersalesModule {}
