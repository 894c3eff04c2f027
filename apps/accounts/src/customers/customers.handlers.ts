import { Injectable } from '@nestjs/common';
import { Subjects } from '@steward/contracts';
import type { RpcHandlers, RpcServer } from '@steward/messaging';
import { AccountsService } from './accounts.service';
import { ContactsService } from './contacts.service';
import { ImportsService } from './imports.service';
import { ProjectsService } from './projects.service';
import { RevenueService } from './revenue.service';
import { TieringService } from './tiering.service';

/** NATS adapters for the customer side of accounts: one line per subject, no logic. */
@Injectable()
export class CustomersHandlers implements RpcHandlers {
  constructor(
    private readonly accounts: AccountsService,
    private readonly imports: ImportsService,
    private readonly contacts: ContactsService,
    private readonly projects: ProjectsService,
    private readonly revenue: RevenueService,
    private readonly tiering: TieringService,
  ) {}

  register(rpc: RpcServer): void {
    const s = Subjects.accounts;
    rpc.handle(s.accountCreate, (req, ctx) => this.accounts.create(ctx, req));
    rpc.handle(s.accountGet, (req, ctx) => this.accounts.get(ctx, req.id));
    rpc.handle(s.accountList, (req, ctx) => this.accounts.list(ctx, req));
    rpc.handle(s.accountUpdate, (req, ctx) => this.accounts.update(ctx, req));
    rpc.handle(s.accountDelete, (req, ctx) => this.accounts.delete(ctx, req.id));
    rpc.handle(s.accountRestore, (req, ctx) => this.accounts.restore(ctx, req.id));
    rpc.handle(s.importStart, (req, ctx) => this.imports.start(ctx, req));
    rpc.handle(s.importChunk, (req, ctx) => this.imports.chunk(ctx, req));
    rpc.handle(s.importFinish, (req, ctx) => this.imports.finish(ctx, req));
    rpc.handle(s.importGet, (req, ctx) => this.imports.get(ctx, req.id));
    rpc.handle(s.contactCreate, (req, ctx) => this.contacts.create(ctx, req));
    rpc.handle(s.contactUpdate, (req, ctx) => this.contacts.update(ctx, req));
    rpc.handle(s.contactDelete, (req, ctx) => this.contacts.delete(ctx, req.id));
    rpc.handle(s.contactList, (req, ctx) => this.contacts.list(ctx, req.accountId));
    rpc.handle(s.stakeholderMap, (req, ctx) => this.contacts.stakeholderMap(ctx, req.id));
    rpc.handle(s.projectCreate, (req, ctx) => this.projects.create(ctx, req));
    rpc.handle(s.projectGet, (req, ctx) => this.projects.get(ctx, req.id));
    rpc.handle(s.projectUpdate, (req, ctx) => this.projects.update(ctx, req));
    rpc.handle(s.projectDelete, (req, ctx) => this.projects.delete(ctx, req.id));
    rpc.handle(s.projectList, (req, ctx) => this.projects.list(ctx, req.accountId));
    rpc.handle(s.revenueBatch, (req, ctx) => this.revenue.batchUpsert(ctx, req.records));
    rpc.handle(s.revenueList, (req, ctx) => this.revenue.list(ctx, req));
    rpc.handle(s.retier, (_req, ctx) => this.tiering.retierOnDemand(ctx));
    rpc.handle(s.tieringSummary, (_req, ctx) => this.tiering.summary(ctx));
    rpc.handle(s.tierOverrideSet, (req, ctx) => this.tiering.setOverride(ctx, req));
    rpc.handle(s.tierOverrideClear, (req, ctx) => this.tiering.clearOverride(ctx, req.accountId));
  }
}
