import { Inject, Injectable } from '@nestjs/common';
import { actorRef, CreateSupportSampleRequest, Events, SupportSampleDto, Page, PageRequest, Role } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, OUTBOX, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { normaliseLabel } from '../domain/sample';
import { SampleRepository } from './sample.repository';

const WRITERS: readonly Role[] = ['admin', 'manager'];

/**
 * The sample feature: one public method per use case. Check access first, run the domain
 * rule, then one unit of work that writes and emits its event in the same transaction.
 */
@Injectable()
export class SampleService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: SampleRepository,
  ) {}

  create(ctx: RequestContext, req: CreateSupportSampleRequest): Promise<SupportSampleDto> {
    requireRole(ctx, WRITERS);
    const label = normaliseLabel(req.label);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const sample = await this.repo.insert(tx, { id: uuidv7(), label, createdBy: actorRef(ctx.actor), createdAt: this.clock.now() });
      await this.outbox.emit(tx, Events.support.sampleCreated, { sample });
      return sample;
    });
  }

  list(ctx: RequestContext, q: PageRequest): Promise<Page<SupportSampleDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }
}
