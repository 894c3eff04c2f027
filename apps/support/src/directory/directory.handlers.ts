import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { DirectoryService, RebuildReadModelsJob } from './directory.service';

/** Read models: one durable consumer per fed event (exactly once through the inbox), status, rebuild. */
@NatsHandlers()
export class DirectoryHandlers implements NatsAdapters {
  constructor(private readonly directory: DirectoryService) {}

  register(r: HandlerRegistry): void {
    const feeds = this.directory.feeds();
    for (const subject of [...feeds.accounts, ...feeds.catalog]) {
      // `accounts.events.account.created.v1` → consumer `directory.accounts.account.created`
      const name = `directory.${subject.replace('.events.', '.').replace(/\.v\d+$/, '')}`;
      r.consume(subject, name, (event, _ctx, tx) => this.directory.apply(tx, subject, event as never));
    }
    const s = Subjects.support;
    r.handle(s.readModelStatus, (_req, ctx) => this.directory.status(ctx));
    r.handle(s.readModelRebuild, (_req, ctx) => this.directory.requestRebuild(ctx));
    r.job(RebuildReadModelsJob, { run: (job) => this.directory.rebuild(job) });
  }
}
