import { Events } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { DirectoryService } from './directory.service';

/** Event consumers of the read models: one line per accounts event, no logic. */
@NatsHandlers()
export class DirectoryHandlers implements NatsAdapters {
  constructor(private readonly directory: DirectoryService) {}

  register(r: HandlerRegistry): void {
    const a = Events.accounts;
    r.consume(a.accountCreated, 'account-created', (e, _ctx, tx) => this.directory.onAccount(tx, e));
    r.consume(a.accountUpdated, 'account-updated', (e, _ctx, tx) => this.directory.onAccount(tx, e));
    r.consume(a.accountDeleted, 'account-deleted', (e, _ctx, tx) => this.directory.onAccount(tx, e));
    r.consume(a.accountRestored, 'account-restored', (e, _ctx, tx) => this.directory.onAccount(tx, e));
    r.consume(a.projectCreated, 'project-created', (e, _ctx, tx) => this.directory.onProject(tx, e));
    r.consume(a.projectUpdated, 'project-updated', (e, _ctx, tx) => this.directory.onProject(tx, e));
    r.consume(a.projectDeleted, 'project-deleted', (e, _ctx, tx) => this.directory.onProject(tx, e, true));
    r.consume(a.partnerCreated, 'partner-created', (e, _ctx, tx) => this.directory.onPartner(tx, e));
  }
}
