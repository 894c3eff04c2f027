import { Inject, Injectable } from '@nestjs/common';
import { CreateTeamRequest, ErrorCode, ListTeamsRequest, Page, RemoveTeamMemberRequest, SetTeamMemberRequest, StewardError, TeamDto, UpdateTeamRequest } from '@steward/contracts';
import { idCursor, isUniqueViolation, toPage, Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { pickAssignee } from '../domain/assignment';
import { DirectoryService } from '../directory/directory.service';
import { MemberRow, TeamRow, TeamsRepository } from './teams.repository';

const MANAGERS = ['admin', 'manager'] as const;
const queueTaken = (queue: string) =>
  new StewardError(ErrorCode.QueueTaken, `Another team already serves the queue ${queue}`, { errors: [{ field: 'queue', rule: 'unique', message: 'is served by another team' }] });

/** Who a queue handed a ticket to, and how. */
export interface Assignment {
  teamId: string | null;
  /** The team's calendar (a new ticket counts its SLA in it). */
  teamCalendar: string | null;
  assigneeId: string | null;
  how: 'round-robin' | 'least-loaded' | 'csm' | null;
}

/**
 * Queues, teams and members (DOMAIN.md §2): delivery-centre teams, branch technical teams
 * per region, the call centre, expert groups, field service. A team serves one queue; its
 * strategy (round robin, least loaded, manual) hands tickets to members with the required
 * skills and room under their capacity.
 */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: TeamsRepository,
    private readonly directory: DirectoryService,
  ) {}

  create(ctx: RequestContext, req: CreateTeamRequest): Promise<TeamDto> {
    requireRole(ctx, MANAGERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const row = await this.repo
        .insert(tx, { id: uuidv7(), name: req.name, kind: req.kind, queue: req.queue, region: req.region ?? null, calendar: req.calendar ?? null, assignment: req.assignment, at: this.clock.now() })
        .catch((err: unknown) => {
          throw isUniqueViolation(err, 'teams_queue') ? queueTaken(req.queue) : err;
        });
      return this.toDto(tx, row, []);
    });
  }

  update(ctx: RequestContext, req: UpdateTeamRequest): Promise<TeamDto> {
    requireRole(ctx, MANAGERS);
    const { id, ...values } = req;
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      if (!(await this.repo.find(tx, id))) throw StewardError.notFound('team', id);
      await this.repo.update(tx, id, values);
      return this.load(tx, id);
    });
  }

  get(ctx: RequestContext, id: string): Promise<TeamDto> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.load(tx, id));
  }

  list(ctx: RequestContext, q: ListTeamsRequest): Promise<Page<TeamDto>> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const rows = await this.repo.list(tx, q);
      const page = toPage(rows, q.limit, (r) => r, (r) => idCursor.encode(r.id));
      const members = await this.repo.members(tx, page.items.map((t) => t.id));
      const names = await this.directory.userNamesIn(tx, [...new Set(members.map((m) => m.userId))]);
      return { items: page.items.map((t) => dto(t, members.filter((m) => m.teamId === t.id), names)), nextCursor: page.nextCursor };
    });
  }

  setMember(ctx: RequestContext, req: SetTeamMemberRequest): Promise<TeamDto> {
    requireRole(ctx, MANAGERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      if (!(await this.repo.find(tx, req.teamId))) throw StewardError.notFound('team', req.teamId);
      const user = await this.directory.userIn(tx, req.userId);
      if (!user) throw StewardError.validation([{ field: 'userId', rule: 'exists', message: 'is not a user support knows (users arrive from accounts within a second)' }]);
      await this.repo.setMember(tx, req, this.clock.now());
      return this.load(tx, req.teamId);
    });
  }

  removeMember(ctx: RequestContext, req: RemoveTeamMemberRequest): Promise<TeamDto> {
    requireRole(ctx, MANAGERS);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      if (!(await this.repo.find(tx, req.teamId))) throw StewardError.notFound('team', req.teamId);
      if (!(await this.repo.removeMember(tx, req.teamId, req.userId))) throw StewardError.notFound('team member', req.userId);
      return this.load(tx, req.teamId);
    });
  }

  /** The team serving a queue, inside the caller's transaction. */
  teamForQueueIn(tx: Tx, queue: string): Promise<TeamRow | null> {
    return this.repo.byQueue(tx, queue);
  }

  /**
   * Lets the queue's team pick an assignee by its strategy (skills and capacity respected);
   * the ticket stays unassigned in the queue when the team assigns by hand or nobody qualifies.
   */
  async assignIn(tx: Tx, queue: string, requiredSkills: readonly string[]): Promise<Assignment> {
    const team = await this.repo.byQueue(tx, queue);
    if (!team) return { teamId: null, teamCalendar: null, assigneeId: null, how: null };
    const none = { teamId: team.id, teamCalendar: team.calendar, assigneeId: null, how: null };
    if (team.assignment === 'manual') return none;
    const pick = pickAssignee(await this.repo.candidates(tx, team.id), team.assignment, requiredSkills);
    if (!pick) return none;
    await this.repo.markAssigned(tx, team.id, pick.userId, this.clock.now());
    return { ...none, assigneeId: pick.userId, how: team.assignment };
  }

  /** Keeps each agent's open-ticket count: one open ticket moves from `from` to `to`. */
  moveLoadIn(tx: Tx, from: string | null, to: string | null): Promise<void> {
    return this.repo.moveLoad(tx, from, to);
  }

  private async load(tx: Tx, id: string): Promise<TeamDto> {
    const row = await this.repo.find(tx, id);
    if (!row) throw StewardError.notFound('team', id);
    return this.toDto(tx, row, await this.repo.members(tx, [id]));
  }

  private async toDto(tx: Tx, t: TeamRow, members: MemberRow[]): Promise<TeamDto> {
    return dto(t, members, await this.directory.userNamesIn(tx, members.map((m) => m.userId)));
  }
}

function dto(t: TeamRow, members: MemberRow[], names: Map<string, string>): TeamDto {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind as TeamDto['kind'],
    queue: t.queue,
    region: t.region,
    calendar: t.calendar,
    assignment: t.assignment,
    members: members.map((m) => ({ userId: m.userId, name: names.get(m.userId) ?? null, skills: m.skills, capacity: m.capacity, active: m.active, openTickets: Number(m.openTickets) })),
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}
