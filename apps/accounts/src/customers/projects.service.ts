import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreateProjectRequest, Events, ProjectDto, StewardError, UpdateProjectRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { OUTBOX, UOW } from '../identity/tokens';
import { authorize, fieldError } from './scope';
import { accountDeleted, insertRow, presentColumns, requireLiveAccount, updateRow } from './rows';

const COLUMNS = `p.id, p.account_id AS "accountId", p.name, p.kind, p.size, p.lead, p.partner_id AS "partnerId", p.region,
  to_char(p.go_live_date, 'YYYY-MM-DD') AS "goLiveDate", p.status, p.delivered, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
type ProjectRow = Omit<ProjectDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: ProjectRow): ProjectDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });
const FIELDS = { name: 'name', kind: 'kind', size: 'size', lead: 'lead', partnerId: 'partner_id', region: 'region', goLiveDate: 'go_live_date', status: 'status', delivered: 'delivered' } as const;

/** The installed base: projects and product purchases the support service routes tickets from. */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
  ) {}

  create(ctx: RequestContext, req: CreateProjectRequest): Promise<ProjectDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      await requireLiveAccount(em, req.accountId);
      const values = this.goingLive({ status: 'delivering', ...req }, null);
      await this.check(em, values);
      const id = uuidv7();
      await insertRow(em, 'accounts.projects', { id, tenant_id: scope.tenantId, account_id: req.accountId, ...presentColumns(FIELDS, values) });
      const project = await this.find(em, id);
      await this.outbox.emit(em, Events.accounts.projectCreated, { project });
      if (project.status === 'live') await this.outbox.emit(em, Events.accounts.projectWentLive, { project });
      return project;
    });
  }

  get(ctx: RequestContext, id: string): Promise<ProjectDto> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, (em) => this.find(em, id));
  }

  update(ctx: RequestContext, req: UpdateProjectRequest): Promise<ProjectDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      const before = await this.find(em, req.id, true);
      await requireLiveAccount(em, before.accountId);
      const values = this.goingLive(req, before.status);
      await this.check(em, { lead: before.lead, partnerId: before.partnerId, ...values });
      const changes = presentColumns(FIELDS, values);
      if (Object.keys(changes).length === 0) return before;
      await updateRow(em, 'accounts.projects', req.id, changes);
      const project = await this.find(em, req.id);
      await this.outbox.emit(em, Events.accounts.projectUpdated, { project });
      if (before.status !== 'live' && project.status === 'live') await this.outbox.emit(em, Events.accounts.projectWentLive, { project });
      return project;
    });
  }

  delete(ctx: RequestContext, id: string): Promise<ProjectDto> {
    const scope = authorize(ctx, 'write');
    return this.uow.forScope(scope, async (em) => {
      const project = await this.find(em, id, true);
      await em.query(`DELETE FROM accounts.projects WHERE id = $1`, [id]);
      await this.outbox.emit(em, Events.accounts.projectDeleted, { project });
      return project;
    });
  }

  list(ctx: RequestContext, accountId: string): Promise<{ items: ProjectDto[] }> {
    const scope = authorize(ctx, 'read');
    return this.uow.forScope(scope, async (em) => {
      await accountDeleted(em, accountId);
      const rows: ProjectRow[] = await em.query(`SELECT ${COLUMNS} FROM accounts.projects p WHERE p.account_id = $1 ORDER BY p.id`, [accountId]);
      return { items: rows.map(toDto) };
    });
  }

  /** Going live without a date records today's date (UTC). */
  private goingLive<T extends { status?: string; goLiveDate?: string | null }>(v: T, before: string | null): T {
    if (v.status === 'live' && before !== 'live' && !v.goLiveDate) return { ...v, goLiveDate: new Date().toISOString().slice(0, 10) };
    return v;
  }

  private async check(em: EntityManager, v: { lead?: string; partnerId?: string | null }): Promise<void> {
    if ((v.lead === 'partner' || v.lead === 'dealer') && !v.partnerId) throw fieldError('partnerId', 'required', `is required when lead is '${v.lead}'`);
    if ((v.lead === 'vendor' || v.lead === 'direct') && v.partnerId) throw fieldError('partnerId', 'forbidden', `must be empty when lead is '${v.lead}'`);
    if (v.partnerId && !(await em.query(`SELECT 1 FROM accounts.partners WHERE id = $1`, [v.partnerId])).length) throw fieldError('partnerId', 'exists', 'is not a partner of this tenant');
  }

  private async find(em: EntityManager, id: string, lock = false): Promise<ProjectDto> {
    const [row]: ProjectRow[] = await em.query(`SELECT ${COLUMNS} FROM accounts.projects p WHERE p.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw StewardError.notFound('project', id);
    return toDto(row);
  }
}
