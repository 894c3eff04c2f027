import { Events, Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { SettlementRunJob } from './outcomes.jobs';
import { ReadingsService } from './readings.service';
import { SettlementsService } from './settlements.service';
import { UsageService } from './usage.service';

/** NATS adapters, consumers and jobs of usage, KPI readings and settlements: one line each. */
@NatsHandlers()
export class OutcomesHandlers implements NatsAdapters {
  constructor(
    private readonly usage: UsageService,
    private readonly readings: ReadingsService,
    private readonly settlements: SettlementsService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.catalog;
    r.handle(s.usageRecord, (req, ctx) => this.usage.record(ctx, req));
    r.handle(s.usageSummary, (req, ctx) => this.usage.summary(ctx, req));
    r.handle(s.kpiReadingRecord, (req, ctx) => this.readings.record(ctx, req));
    r.handle(s.kpiReadingImport, (req, ctx) => this.readings.import(ctx, req));
    r.handle(s.kpiReadingList, (req, ctx) => this.readings.list(ctx, req));
    r.handle(s.settlementSettle, (req, ctx) => this.settlements.settle(ctx, req));
    r.handle(s.settlementList, (req, ctx) => this.settlements.list(ctx, req));
    r.handle(s.settlementRunStart, (req, ctx) => this.settlements.startRun(ctx, req));
    r.handle(s.settlementRunGet, (req, ctx) => this.settlements.getRun(ctx, req.id));
    r.consume(Events.support.ticketCreated, 'complaint-rate-tickets', (e, _ctx, tx) => this.readings.onTicketCreated(tx, e));
    r.consume(Events.support.complaintRegistered, 'complaint-rate-complaints', (e, _ctx, tx) => this.readings.onComplaintRegistered(tx, e));
    r.job(SettlementRunJob, { run: (job) => this.settlements.onRunJob(job), failed: (tx, job) => this.settlements.onRunFailed(tx, job) });
  }
}
