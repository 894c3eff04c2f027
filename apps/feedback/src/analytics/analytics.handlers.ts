import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { AnalyticsService } from './analytics.service';
import { KeyDriversService } from './key-drivers.service';

/** NATS adapters of analytics: one line per subject. */
@NatsHandlers()
export class AnalyticsHandlers implements NatsAdapters {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly keyDrivers: KeyDriversService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.feedback;
    r.handle(s.analyticsQuery, (req, ctx) => this.analytics.scores(ctx, req));
    r.handle(s.responseRate, (req, ctx) => this.analytics.responseRate(ctx, req));
    r.handle(s.accountEngagement, (req, ctx) => this.analytics.accountEngagement(ctx, req));
    r.handle(s.keyDrivers, (req, ctx) => this.keyDrivers.analyse(ctx, req));
  }
}
