import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { ExpireVoucherJob, RecoveryService } from './recovery.service';

/** NATS adapters of complaints and vouchers (registering a complaint and issuing by hand go through tickets). */
@NatsHandlers()
export class RecoveryHandlers implements NatsAdapters {
  constructor(private readonly recovery: RecoveryService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.complaintResolve, (req, ctx) => this.recovery.resolveComplaint(ctx, req));
    r.handle(s.complaintList, (req, ctx) => this.recovery.listComplaints(ctx, req));
    r.handle(s.voucherRedeem, (req, ctx) => this.recovery.redeem(ctx, req));
    r.handle(s.voucherGet, (req, ctx) => this.recovery.getVoucher(ctx, req.id));
    r.handle(s.voucherList, (req, ctx) => this.recovery.listVouchers(ctx, req));
    r.job(ExpireVoucherJob, { run: (job) => this.recovery.expire(job) });
  }
}
