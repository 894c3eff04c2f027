import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { EntitlementsService } from './entitlements.service';
import { LifecycleService } from './lifecycle.service';
import { SubscriptionTermJob, TrialEndJob } from './subscriptions.jobs';
import { SubscriptionsService } from './subscriptions.service';
import { TrialsService } from './trials.service';

/** NATS adapters and jobs of subscriptions, trials and entitlements: one line each, no logic. */
@NatsHandlers()
export class SubscriptionsHandlers implements NatsAdapters {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly trials: TrialsService,
    private readonly entitlements: EntitlementsService,
    private readonly lifecycle: LifecycleService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.catalog;
    r.handle(s.subscriptionCreate, (req, ctx) => this.subscriptions.create(ctx, req));
    r.handle(s.subscriptionGet, (req, ctx) => this.subscriptions.get(ctx, req.id));
    r.handle(s.subscriptionList, (req, ctx) => this.subscriptions.list(ctx, req));
    r.handle(s.subscriptionChange, (req, ctx) => this.subscriptions.change(ctx, req));
    r.handle(s.subscriptionRenew, (req, ctx) => this.subscriptions.renew(ctx, req.id));
    r.handle(s.subscriptionCancel, (req, ctx) => this.subscriptions.cancel(ctx, req));
    r.handle(s.subscriptionHistory, (req, ctx) => this.subscriptions.history(ctx, req.id));
    r.handle(s.trialStart, (req, ctx) => this.trials.start(ctx, req));
    r.handle(s.trialConvert, (req, ctx) => this.trials.convert(ctx, req));
    r.handle(s.trialGet, (req, ctx) => this.trials.get(ctx, req.id));
    r.handle(s.trialList, (req, ctx) => this.trials.list(ctx, req));
    r.handle(s.trialFunnel, (req, ctx) => this.trials.funnel(ctx, req));
    r.handle(s.entitlementGet, (req, ctx) => this.entitlements.get(ctx, req));
    r.job(SubscriptionTermJob, { run: (job) => this.lifecycle.onTermJob(job) });
    r.job(TrialEndJob, { run: (job) => this.lifecycle.onTrialJob(job) });
  }
}
