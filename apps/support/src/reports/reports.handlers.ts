import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { FoldRollupsJob, ReportsService } from './reports.service';

/** Reports and the rollup folding job. */
@NatsHandlers()
export class ReportsHandlers implements NatsAdapters {
  constructor(private readonly reports: ReportsService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.reportCompliance, (req, ctx) => this.reports.compliance(ctx, req));
    r.handle(s.reportHandoff, (req, ctx) => this.reports.handoff(ctx, req));
    r.handle(s.reportBacklog, (req, ctx) => this.reports.backlog(ctx, req));
    r.job(FoldRollupsJob, { run: (job) => this.reports.fold(job) });
  }
}
