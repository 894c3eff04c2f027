import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { TeamsService } from './teams.service';

/** NATS adapters of queues, teams and members: one line per subject. */
@NatsHandlers()
export class TeamsHandlers implements NatsAdapters {
  constructor(private readonly teams: TeamsService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.teamCreate, (req, ctx) => this.teams.create(ctx, req));
    r.handle(s.teamUpdate, (req, ctx) => this.teams.update(ctx, req));
    r.handle(s.teamGet, (req, ctx) => this.teams.get(ctx, req.id));
    r.handle(s.teamList, (req, ctx) => this.teams.list(ctx, req));
    r.handle(s.teamMemberSet, (req, ctx) => this.teams.setMember(ctx, req));
    r.handle(s.teamMemberRemove, (req, ctx) => this.teams.removeMember(ctx, req));
  }
}
