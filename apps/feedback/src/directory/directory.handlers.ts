import { Events } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { DirectoryService } from './directory.service';

/** Accounts' events into the read model: one line per event, exactly once each (inbox). */
@NatsHandlers()
export class DirectoryHandlers implements NatsAdapters {
  constructor(private readonly directory: DirectoryService) {}

  register(r: HandlerRegistry): void {
    const e = Events.accounts;
    r.consume(e.accountCreated, 'accounts-created', (ev, _ctx, tx) => this.directory.accountChanged(tx, ev.account));
    r.consume(e.accountUpdated, 'accounts-updated', (ev, _ctx, tx) => this.directory.accountChanged(tx, ev.account));
    r.consume(e.accountDeleted, 'accounts-deleted', (ev, _ctx, tx) => this.directory.accountChanged(tx, ev.account, true));
    r.consume(e.accountRestored, 'accounts-restored', (ev, _ctx, tx) => this.directory.accountChanged(tx, ev.account, false));
    r.consume(e.accountTierChanged, 'accounts-tier', (ev, _ctx, tx) => this.directory.tierChanged(tx, ev.accountId, ev.newTier));
    r.consume(e.contactCreated, 'contacts-created', (ev, _ctx, tx) => this.directory.contactChanged(tx, ev.contact));
    r.consume(e.contactUpdated, 'contacts-updated', (ev, _ctx, tx) => this.directory.contactChanged(tx, ev.contact));
    r.consume(e.contactDeleted, 'contacts-deleted', (ev, _ctx, tx) => this.directory.contactChanged(tx, ev.contact, true));
    r.consume(e.userCreated, 'users-created', (ev, _ctx, tx) => this.directory.userChanged(tx, ev.user));
    r.consume(e.userUpdated, 'users-updated', (ev, _ctx, tx) => this.directory.userChanged(tx, ev.user));
    r.consume(e.projectCreated, 'projects-created', (ev, _ctx, tx) => this.directory.projectChanged(tx, ev.project));
    r.consume(e.projectUpdated, 'projects-updated', (ev, _ctx, tx) => this.directory.projectChanged(tx, ev.project));
    r.consume(e.projectDeleted, 'projects-deleted', (ev, _ctx, tx) => this.directory.projectChanged(tx, ev.project, true));
  }
}
