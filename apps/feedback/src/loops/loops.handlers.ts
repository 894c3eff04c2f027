import { Events, Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { OpenSupportCaseJob } from './loops.jobs';
import { LoopsService } from './loops.service';
import { SupportBridgeService } from './support-bridge.service';

/** NATS adapters of the closed loop, and support's ticket events: one line each. */
@NatsHandlers()
export class LoopsHandlers implements NatsAdapters {
  constructor(
    private readonly loops: LoopsService,
    private readonly bridge: SupportBridgeService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.feedback;
    r.handle(s.loopList, (req, ctx) => this.loops.list(ctx, req));
    r.handle(s.loopUpdate, (req, ctx) => this.loops.update(ctx, req));
    r.handle(s.loopMetrics, (req, ctx) => this.loops.metrics(ctx, req.by));
    r.job(OpenSupportCaseJob, { run: (job) => this.loops.openCase(job) });
    r.consume(Events.support.ticketResolved, 'support-ticket-resolved', (ev, ctx, tx) => this.bridge.ticketResolved(tx, ctx, ev.ticket));
    r.consume(Events.support.ticketClosed, 'support-ticket-closed', (ev, ctx, tx) => this.bridge.ticketClosed(tx, ctx, ev.ticket));
  }
}
