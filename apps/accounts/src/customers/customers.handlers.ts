import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { AccountsService } from './accounts.service';
import { ContactsService } from './contacts.service';
import { ImportAccountsJob, RetierTenantJob } from './customers.jobs';
import { ImportsService } from './imports.service';
import { ProjectsService } from './projects.service';
import { RevenueService } from './revenue.service';
import { TieringService } from './tiering.service';

/** NATS adapters for the customer side of accounts, and its durable jobs: one line per subject or job, no logic. */
@NatsHandlers()
export class CustomersHandlers implements NatsAdapters {
  constructor(
    private readonly accounts: AccountsService,
    private readonly imports: ImportsService,
    private readonly contacts: ContactsService,
    private readonly projects: ProjectsService,
    private readonly revenue: RevenueService,
    private readonly tiering: TieringService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.accounts;
    r.handle(s.accountCreate, (req, ctx) => this.accounts.create(ctx, req));
    r.handle(s.accountGet, (req, ctx) => this.accounts.get(ctx, req.id));
    r.handle(s.accountList, (req, ctx) => this.accounts.list(ctx, req));
    r.handle(s.accountUpdate, (req, ctx) => this.accounts.update(ctx, req));
    r.handle(s.accountDelete, (req, ctx) => this.accounts.delete(ctx, req.id, req.expectedVersion));
    r.handle(s.accountRestore, (req, ctx) => this.accounts.restore(ctx, req.id, req.expectedVersion));
    r.handle(s.importStart, (req, ctx) => this.imports.start(ctx, req));
    r.handle(s.importRows, (req, ctx) => this.imports.rows(ctx, req));
    r.handle(s.importSubmit, (req, ctx) => this.imports.submit(ctx, req));
    r.handle(s.importGet, (req, ctx) => this.imports.get(ctx, req.id));
    r.handle(s.contactCreate, (req, ctx) => this.contacts.create(ctx, req));
    r.handle(s.contactUpdate, (req, ctx) => this.contacts.update(ctx, req));
    r.handle(s.contactDelete, (req, ctx) => this.contacts.delete(ctx, req.id));
    r.handle(s.contactGet, (req, ctx) => this.contacts.get(ctx, req.id));
    r.handle(s.contactList, (req, ctx) => this.contacts.list(ctx, req.accountId));
    r.handle(s.stakeholderMap, (req, ctx) => this.contacts.stakeholderMap(ctx, req.id));
    r.handle(s.projectCreate, (req, ctx) => this.projects.create(ctx, req));
    r.handle(s.projectGet, (req, ctx) => this.projects.get(ctx, req.id));
    r.handle(s.projectUpdate, (req, ctx) => this.projects.update(ctx, req));
    r.handle(s.projectDelete, (req, ctx) => this.projects.delete(ctx, req.id));
    r.handle(s.projectList, (req, ctx) => this.projects.list(ctx, req.accountId));
    r.handle(s.revenueBatch, (req, ctx) => this.revenue.batchUpsert(ctx, req.records));
    r.handle(s.revenueList, (req, ctx) => this.revenue.list(ctx, req));
    r.handle(s.retier, (_req, ctx) => this.tiering.retierOnDemand(ctx));
    r.handle(s.tieringSummary, (_req, ctx) => this.tiering.summary(ctx));
    r.handle(s.tierMovement, (req, ctx) => this.tiering.movement(ctx, req));
    r.handle(s.tierOverrideSet, (req, ctx) => this.tiering.setOverride(ctx, req));
    r.handle(s.tierOverrideClear, (req, ctx) => this.tiering.clearOverride(ctx, req.accountId, req.expectedVersion));
    r.job(ImportAccountsJob, { run: (job) => this.imports.process(job), failed: (tx, job) => this.imports.failed(tx, job) });
    r.job(RetierTenantJob, { run: (job) => this.tiering.retierJob(job) });
  }
}
