import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { AftersalesService } from './aftersales.service';

/** NATS adapters of after-sales orders: one line per subject. */
@NatsHandlers()
export class AftersalesHandlers implements NatsAdapters {
  constructor(private readonly rma: AftersalesService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.rmaCreate, (req, ctx) => this.rma.create(ctx, req));
    r.handle(s.rmaGet, (req, ctx) => this.rma.get(ctx, req.id));
    r.handle(s.rmaList, (req, ctx) => this.rma.list(ctx, req));
    r.handle(s.rmaTransition, (req, ctx) => this.rma.transition(ctx, req));
    r.handle(s.rmaParts, (req, ctx) => this.rma.parts(ctx, req));
    r.handle(s.rmaVisitAdd, (req, ctx) => this.rma.addVisit(ctx, req));
    r.handle(s.rmaVisitUpdate, (req, ctx) => this.rma.updateVisit(ctx, req));
  }
}
