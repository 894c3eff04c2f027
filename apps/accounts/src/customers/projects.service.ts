import { Inject, Injectable } from '@nestjs/common';
import { CreateProjectRequest, Events, ProjectDto, StewardError, UpdateProjectRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { Directory } from '../identity/directory';
import { AccountsService } from './accounts.service';
import { ProjectsRepository } from './projects.repository';
import { authorize, fieldError } from './scope';

/** The installed base: projects and product purchases the support service routes tickets from. */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: ProjectsRepository,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
  ) {}

  create(ctx: RequestContext, req: CreateProjectRequest): Promise<ProjectDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      await this.accounts.requireLiveIn(tx, req.accountId);
      const { accountId, ...values } = this.goingLive({ status: 'delivering', ...req }, null);
      await this.check(tx, values);
      const id = uuidv7();
      await this.repo.insert(tx, id, accountId, values);
      const project = await this.find(tx, id);
      await this.outbox.emit(tx, Events.accounts.projectCreated, { project });
      if (project.status === 'live') await this.outbox.emit(tx, Events.accounts.projectWentLive, { project });
      return project;
    });
  }

  get(ctx: RequestContext, id: string): Promise<ProjectDto> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.find(tx, id));
  }

  update(ctx: RequestContext, req: UpdateProjectRequest): Promise<ProjectDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const before = await this.find(tx, req.id, true);
      await this.accounts.requireLiveIn(tx, before.accountId);
      const { id, ...values } = this.goingLive(req, before.status);
      await this.check(tx, { lead: before.lead, partnerId: before.partnerId, ...values });
      if (!(await this.repo.update(tx, id, values))) return before;
      const project = await this.find(tx, id);
      await this.outbox.emit(tx, Events.accounts.projectUpdated, { project });
      if (before.status !== 'live' && project.status === 'live') await this.outbox.emit(tx, Events.accounts.projectWentLive, { project });
      return project;
    });
  }

  delete(ctx: RequestContext, id: string): Promise<ProjectDto> {
    return this.uow.forScope(authorize(ctx, 'write'), async (tx) => {
      const project = await this.find(tx, id, true);
      await this.repo.delete(tx, id);
      await this.outbox.emit(tx, Events.accounts.projectDeleted, { project });
      return project;
    });
  }

  list(ctx: RequestContext, accountId: string): Promise<{ items: ProjectDto[] }> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      await this.accounts.requireVisibleIn(tx, accountId);
      return { items: await this.repo.ofAccount(tx, accountId) };
    });
  }

  /** Going live without a date records today's date (UTC, from the service clock). */
  private goingLive<T extends { status?: string; goLiveDate?: string | null }>(v: T, before: string | null): T {
    if (v.status === 'live' && before !== 'live' && !v.goLiveDate) return { ...v, goLiveDate: this.clock.now().toISOString().slice(0, 10) };
    return v;
  }

  private async check(tx: Tx, v: { lead?: string; partnerId?: string | null }): Promise<void> {
    if ((v.lead === 'partner' || v.lead === 'dealer') && !v.partnerId) throw fieldError('partnerId', 'required', `is required when lead is '${v.lead}'`);
    if ((v.lead === 'vendor' || v.lead === 'direct') && v.partnerId) throw fieldError('partnerId', 'forbidden', `must be empty when lead is '${v.lead}'`);
    if (v.partnerId && !(await this.directory.partnerExists(tx, v.partnerId))) throw fieldError('partnerId', 'exists', 'is not a partner of this tenant');
  }

  private async find(tx: Tx, id: string, lock = false): Promise<ProjectDto> {
    const project = await this.repo.find(tx, id, { lock });
    if (!project) throw StewardError.notFound('project', id);
    return project;
  }
}
