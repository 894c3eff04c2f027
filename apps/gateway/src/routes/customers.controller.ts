import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ImportJobDto, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users, UsersOrPartners } from '../auth/access';
import { CreatedAt, expectedVersion, IfMatchVersion } from '../http/conventions';
import { UuidParam } from '../http/uuid.pipe';
import type { GatewayConfig } from '../config';
import { Returns } from '../openapi/returns';
import { GATEWAY_CONFIG, RPC } from '../tokens';
import { exportAccountsCsv, importAccountsCsv } from './account-csv';
import {
  CreateAccountBody,
  CreateContactBody,
  CreateProjectBody,
  ExportAccountsQuery,
  ListAccountsQuery,
  RevenueBatchBody,
  RevenueQuery,
  TierMovementQuery,
  TierOverrideBody,
  UpdateAccountBody,
  UpdateContactBody,
  UpdateProjectBody,
} from './customers.dtos';

const s = Subjects.accounts;
const WRITERS = ['admin', 'manager', 'csm'] as const;
const MANAGERS = ['admin', 'manager'] as const;

/** Enterprise customers. Partners (X-Api-Key) see and edit only the accounts they lead; others answer 404. */
@ApiTags('accounts')
@Controller('v1')
export class AccountsController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('accounts')
  @UsersOrPartners()
  @ApiOperation({ summary: 'List accounts with filters, sorting and cursor pagination' })
  @Returns(s.accountList)
  list(@Query() q: ListAccountsQuery) {
    return this.rpc.request(s.accountList, q);
  }

  @Post('accounts')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Create an account (partners create accounts they lead)' })
  @Returns(s.accountCreate)
  create(@Body() body: CreateAccountBody) {
    return this.rpc.request(s.accountCreate, body);
  }

  @Get('accounts::export')
  @Users()
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="accounts.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ operationId: 'exportAccounts', summary: 'Export the filtered list as CSV (re-importable)' })
  @Returns(z.string(), { contentType: 'text/csv', headers: { 'Content-Disposition': 'attachment; filename="accounts.csv"' } })
  export(@Query() q: ExportAccountsQuery) {
    return exportAccountsCsv(this.rpc, q);
  }

  @Post('accounts::import')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'externalId,name,industry,region,ownerEmail,strategic,attr.erp\nCRM-1,Acme Steel,Manufacturing,EMEA,csm@acme.test,true,SAP' } })
  @ApiOperation({
    operationId: 'importAccounts',
    summary: 'Import accounts from CSV, idempotent on externalId',
    description: 'The rows are stored, then imported by a durable job. 200 with the finished job (per-row errors) when it ends within IMPORT_WAIT_MS; otherwise 202 with Location: /v1/account-imports/{id} to follow its progress.',
  })
  @ApiHeader({ name: 'X-Filename', required: false, description: 'The uploaded file name, shown with the import (at most 200 characters).' })
  @Returns(ImportJobDto, {
    description: 'The import finished (completed or failed)',
    others: [{ status: 202, description: 'The import is running: poll the Location', headers: { Location: 'The import job: GET it for progress and row errors' } }],
  })
  async import(@Body() csv: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // Read off the request, not with @Headers: that would document the header a second time, as required.
    const header = req.headers['x-filename'];
    const filename = Array.isArray(header) ? header[0] : header;
    const { job, finished } = await importAccountsCsv(this.rpc, typeof csv === 'string' ? csv : '', filename?.slice(0, 200), this.config.importWaitMs);
    if (!finished) void reply.status(202).header('location', `/v1/account-imports/${job.id}`);
    return job;
  }

  @Get('account-imports/:id')
  @Users(...MANAGERS)
  @ApiOperation({ operationId: 'getAccountImport', summary: 'Progress and row errors of a CSV import' })
  @Returns(s.importGet)
  importJob(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.importGet, { id });
  }

  @Post('accounts::retier')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ operationId: 'retierAccounts', summary: 'Recompute Pareto tiers now (also automatic after revenue changes)' })
  @Returns(s.retier)
  retier() {
    return this.rpc.request(s.retier, {}, { timeoutMs: 60_000 });
  }

  @Get('tiering/summary')
  @Users()
  @ApiOperation({ operationId: 'getTieringSummary', summary: 'Accounts, revenue and share per tier, and the cut-offs' })
  @Returns(s.tieringSummary)
  tieringSummary() {
    return this.rpc.request(s.tieringSummary, {});
  }

  @Get('tiering/movement')
  @Users()
  @ApiOperation({ operationId: 'getTierMovement', summary: 'How accounts moved between tiers since a moment (default: the last 30 days)' })
  @Returns(s.tierMovement)
  tierMovement(@Query() q: TierMovementQuery) {
    return this.rpc.request(s.tierMovement, q);
  }

  @Get('accounts/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One account (also soft-deleted ones)' })
  @Returns(s.accountGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.accountGet, { id });
  }

  @Patch('accounts/:id')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Update an account; send expectedVersion for optimistic concurrency' })
  @Returns(s.accountUpdate)
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateAccountBody, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.accountUpdate, { ...body, id, ...expectedVersion(body.expectedVersion, ifMatch) });
  }

  @Delete('accounts/:id')
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Soft-delete an account (restorable)' })
  @Returns(s.accountDelete)
  remove(@Param('id', UuidParam) id: string, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.accountDelete, { id, ...expectedVersion(undefined, ifMatch) });
  }

  @Post('accounts/:id/restore')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ summary: 'Restore a soft-deleted account' })
  @Returns(s.accountRestore)
  restore(@Param('id', UuidParam) id: string, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.accountRestore, { id, ...expectedVersion(undefined, ifMatch) });
  }

  @Put('accounts/:id/tier-override')
  @Users(...WRITERS)
  @ApiOperation({ summary: "Pin the account to a tier, with a reason and optional expiry (a CSM only on the accounts he or she is the CSM of: 403 otherwise)" })
  @Returns(s.tierOverrideSet)
  setOverride(@Param('id', UuidParam) accountId: string, @Body() body: TierOverrideBody, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.tierOverrideSet, { ...body, accountId, ...expectedVersion(body.expectedVersion, ifMatch) });
  }

  @Delete('accounts/:id/tier-override')
  @Users(...WRITERS)
  @ApiOperation({ summary: 'Remove a tier override: the computed tier applies again (a CSM only on the accounts he or she is the CSM of)' })
  @Returns(s.tierOverrideClear)
  clearOverride(@Param('id', UuidParam) accountId: string, @IfMatchVersion() ifMatch?: number) {
    return this.rpc.request(s.tierOverrideClear, { accountId, ...expectedVersion(undefined, ifMatch) });
  }
}

@ApiTags('stakeholders')
@Controller('v1')
export class ContactsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('accounts/:id/contacts')
  @UsersOrPartners()
  @ApiOperation({ summary: "The account's contacts" })
  @Returns(s.contactList)
  list(@Param('id', UuidParam) accountId: string) {
    return this.rpc.request(s.contactList, { accountId });
  }

  @Post('accounts/:id/contacts')
  @UsersOrPartners(...WRITERS)
  @CreatedAt('/v1/contacts/{id}')
  @ApiOperation({ summary: 'Add a contact to the decision chain (reportsToId may not form a cycle)' })
  @Returns(s.contactCreate)
  create(@Param('id', UuidParam) accountId: string, @Body() body: CreateContactBody) {
    return this.rpc.request(s.contactCreate, { ...body, accountId });
  }

  @Get('accounts/:id/stakeholder-map')
  @UsersOrPartners()
  @ApiOperation({ summary: 'The decision chain as a tree with roles, hidden influencers and gaps' })
  @Returns(s.stakeholderMap)
  map(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.stakeholderMap, { id });
  }

  @Get('contacts/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One contact' })
  @Returns(s.contactGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.contactGet, { id });
  }

  @Patch('contacts/:id')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Update a contact' })
  @Returns(s.contactUpdate)
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateContactBody) {
    return this.rpc.request(s.contactUpdate, { ...body, id });
  }

  @Delete('contacts/:id')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Remove a contact; its reports move up to its manager' })
  @Returns(s.contactDelete)
  remove(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.contactDelete, { id });
  }
}

@ApiTags('installed base')
@Controller('v1')
export class ProjectsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('accounts/:id/projects')
  @UsersOrPartners()
  @ApiOperation({ summary: "The account's projects and product purchases" })
  @Returns(s.projectList)
  list(@Param('id', UuidParam) accountId: string) {
    return this.rpc.request(s.projectList, { accountId });
  }

  @Post('accounts/:id/projects')
  @UsersOrPartners(...WRITERS)
  @CreatedAt('/v1/projects/{id}')
  @ApiOperation({ summary: 'Record a project or purchase' })
  @Returns(s.projectCreate)
  create(@Param('id', UuidParam) accountId: string, @Body() body: CreateProjectBody) {
    return this.rpc.request(s.projectCreate, { ...body, accountId });
  }

  @Get('projects/:id')
  @UsersOrPartners()
  @ApiOperation({ summary: 'One project' })
  @Returns(s.projectGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.projectGet, { id });
  }

  @Patch('projects/:id')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Update a project (status live emits project-went-live)' })
  @Returns(s.projectUpdate)
  update(@Param('id', UuidParam) id: string, @Body() body: UpdateProjectBody) {
    return this.rpc.request(s.projectUpdate, { ...body, id });
  }

  @Delete('projects/:id')
  @UsersOrPartners(...WRITERS)
  @ApiOperation({ summary: 'Remove a project' })
  @Returns(s.projectDelete)
  remove(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.projectDelete, { id });
  }
}

@ApiTags('revenue')
@Controller('v1')
export class RevenueController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Post('revenue-records::batch')
  @HttpCode(200)
  @Users(...MANAGERS)
  @ApiOperation({ operationId: 'upsertRevenueRecords', summary: 'Upsert up to 10,000 monthly revenue rows, idempotent by (account, month); per-row errors' })
  @Returns(s.revenueBatch)
  batch(@Body() body: RevenueBatchBody) {
    return this.rpc.request(s.revenueBatch, body, { timeoutMs: 30_000 });
  }

  @Get('accounts/:id/revenue')
  @Users()
  @ApiOperation({ operationId: 'listRevenue', summary: "The account's monthly revenue and margin" })
  @Returns(s.revenueList)
  list(@Param('id', UuidParam) accountId: string, @Query() q: RevenueQuery) {
    return this.rpc.request(s.revenueList, { ...q, accountId });
  }
}
