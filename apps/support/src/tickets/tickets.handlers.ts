import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { ImportService } from './import.service';
import { ReapplyPolicyJob, SlaTimerJob } from './tickets.jobs';
import { TicketsService } from './tickets.service';
import { WorkflowService } from './workflow.service';

/** NATS adapters of tickets, and their durable jobs (SLA timers, policy re-application): one line each. */
@NatsHandlers()
export class TicketsHandlers implements NatsAdapters {
  constructor(
    private readonly tickets: TicketsService,
    private readonly workflow: WorkflowService,
    private readonly imports: ImportService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.ticketCreate, (req, ctx) => this.tickets.create(ctx, req));
    r.handle(s.ticketImport, (req, ctx) => this.imports.import(ctx, req));
    r.handle(s.ticketGet, (req, ctx) => this.tickets.get(ctx, req.id));
    r.handle(s.ticketList, (req, ctx) => this.tickets.list(ctx, req));
    r.handle(s.ticketUpdate, (req, ctx) => this.tickets.update(ctx, req));
    r.handle(s.ticketTimeline, (req, ctx) => this.tickets.timeline(ctx, req.id));
    r.handle(s.routingPreview, (req, ctx) => this.tickets.previewRouting(ctx, req));
    r.handle(s.ticketChangeStatus, (req, ctx) => this.workflow.changeStatus(ctx, req));
    r.handle(s.ticketAssign, (req, ctx) => this.workflow.assign(ctx, req));
    r.handle(s.ticketEscalate, (req, ctx) => this.workflow.escalate(ctx, req));
    r.handle(s.ticketMerge, (req, ctx) => this.workflow.merge(ctx, req));
    r.handle(s.commentAdd, (req, ctx) => this.workflow.addComment(ctx, req));
    r.handle(s.commentList, (req, ctx) => this.workflow.listComments(ctx, req));
    r.handle(s.complaintRegister, (req, ctx) => this.workflow.registerComplaint(ctx, req));
    r.handle(s.voucherIssue, (req, ctx) => this.workflow.issueVoucher(ctx, req));
    r.job(SlaTimerJob, { run: (job) => this.workflow.onTimer(job) });
    r.job(ReapplyPolicyJob, { run: (job) => this.workflow.reapply(job) });
  }
}
