import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerSelfDto, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { OperatorOnly, Partners, Users } from '../auth/access';
import type { ApiKeyVerifier } from '../auth/api-keys';
import type { IdentityFeed } from '../auth/identity-feed';
import { Caller, CurrentCaller } from '../http/request-context';
import { CreatedAt, NoLocation } from '../http/conventions';
import { UuidParam } from '../http/uuid.pipe';
import { Returns } from '../openapi/returns';
import { API_KEYS, IDENTITY, RPC } from '../tokens';
import { AuditQuery, CreateApiKeyBody, CreatePartnerBody, CreateTenantBody, CreateUserBody, PageQueryDto, RotateApiKeyBody, UpdateUserBody, UsersQuery } from './dtos';

const s = Subjects.accounts;

/** Thin adapters: HTTP in, one NATS request out. Access rules sit on each route. */
@ApiTags('tenants')
@Controller('v1/tenants')
export class TenantsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Post()
  @OperatorOnly()
  @NoLocation()
  @ApiOperation({ summary: 'Operator bootstrap: create a tenant and its first admin' })
  @Returns(s.tenantCreate)
  create(@Body() body: CreateTenantBody) {
    return this.rpc.request(s.tenantCreate, body);
  }
}

@ApiTags('users')
@Controller('v1')
export class UsersController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(IDENTITY) private readonly identity: IdentityFeed,
  ) {}

  @Get('me')
  @Users()
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user' })
  @Returns(s.userGet)
  me(@CurrentCaller() caller: Caller) {
    return this.rpc.request(s.userGet, { id: caller.actor.id });
  }

  @Get('users')
  @Users('admin', 'manager')
  @ApiOperation({ summary: 'List the tenant users (cursor pagination)' })
  @Returns(s.userList)
  list(@Query() q: UsersQuery) {
    return this.rpc.request(s.userList, q);
  }

  @Post('users')
  @Users('admin')
  @ApiOperation({ summary: 'Create a user' })
  @Returns(s.userCreate)
  create(@Body() body: CreateUserBody) {
    return this.rpc.request(s.userCreate, body);
  }

  @Get('users/:id')
  @Users()
  @ApiOperation({ summary: 'One user (yourself, or anyone for admins and managers)' })
  @Returns(s.userGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.userGet, { id });
  }

  @Patch('users/:id')
  @Users()
  @ApiOperation({ summary: 'Update a user: admins change anything, users their own name and password' })
  @Returns(s.userUpdate)
  async update(@Param('id', UuidParam) id: string, @Body() body: UpdateUserBody) {
    const user = await this.rpc.request(s.userUpdate, { ...body, id });
    // A demotion or deactivation holds on this replica from the next request (the others learn it from the event).
    this.identity.applyUser(user);
    return user;
  }
}

@ApiTags('partners')
@Controller('v1')
export class PartnersController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(API_KEYS) private readonly apiKeys: ApiKeyVerifier,
  ) {}

  @Get('partners')
  @Users()
  @ApiOperation({ summary: 'List channel partners' })
  @Returns(s.partnerList)
  list(@Query() q: PageQueryDto) {
    return this.rpc.request(s.partnerList, q);
  }

  @Get('partners/:id')
  @Users()
  @ApiOperation({ summary: 'One channel partner' })
  @Returns(s.partnerGet)
  get(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.partnerGet, { id });
  }

  @Post('partners')
  @Users('admin', 'manager')
  @ApiOperation({ summary: 'Create a channel partner' })
  @Returns(s.partnerCreate)
  create(@Body() body: CreatePartnerBody) {
    return this.rpc.request(s.partnerCreate, body);
  }

  @Post('partners/:id/api-keys')
  @Users('admin')
  @CreatedAt('/v1/api-keys/{id}', 'apiKey.id')
  @ApiOperation({ summary: 'Issue an API key for a partner. The key is shown once.' })
  @Returns(s.apiKeyCreate)
  createKey(@Param('id', UuidParam) partnerId: string, @Body() body: CreateApiKeyBody) {
    return this.rpc.request(s.apiKeyCreate, { ...body, partnerId });
  }

  @Get('partners/:id/api-keys')
  @Users('admin', 'manager')
  @ApiOperation({ summary: "List a partner's API keys (never the keys themselves)" })
  @Returns(s.apiKeyList)
  listKeys(@Param('id', UuidParam) partnerId: string, @Query() q: PageQueryDto) {
    return this.rpc.request(s.apiKeyList, { ...q, partnerId });
  }

  @Delete('api-keys/:id')
  @Users('admin')
  @ApiOperation({ summary: 'Revoke an API key (idempotent)' })
  @Returns(s.apiKeyRevoke)
  async revokeKey(@Param('id', UuidParam) id: string) {
    const key = await this.rpc.request(s.apiKeyRevoke, { id });
    this.apiKeys.forget(key.id);
    return key;
  }

  @Get('api-keys/:id')
  @Users('admin', 'manager')
  @ApiOperation({ summary: 'One API key: scopes, expiry, rotation (never the key itself)' })
  @Returns(s.apiKeyGet)
  getKey(@Param('id', UuidParam) id: string) {
    return this.rpc.request(s.apiKeyGet, { id });
  }

  @Post('api-keys/:id/rotate')
  @Users('admin')
  @CreatedAt('/v1/api-keys/{id}', 'apiKey.id')
  @ApiOperation({
    summary: 'Rotate an API key: a new key (shown once) with the same partner, name and scopes; the old one keeps working until the overlap ends (overlapSeconds, default 24 h), then expires',
  })
  @Returns(s.apiKeyRotate)
  async rotateKey(@Param('id', UuidParam) id: string, @Body() body: RotateApiKeyBody) {
    const rotated = await this.rpc.request(s.apiKeyRotate, { ...body, id });
    // The old key's expiry moved to the end of the overlap: this replica forgets what it cached now, the others on the event.
    this.apiKeys.forget(rotated.previous.id);
    return rotated;
  }

  @Get('partner/me')
  @Partners()
  @ApiOperation({ operationId: 'getPartnerSelf', summary: 'Partner API: the partner and key behind X-Api-Key' })
  @Returns(PartnerSelfDto)
  partnerSelf(@CurrentCaller() caller: Caller): PartnerSelfDto {
    const actor = caller.actor as { kind: 'api-key'; id: string; partnerId: string };
    // A partner key always belongs to a tenant (the guard bound it).
    return { tenantId: caller.tenantId!, partnerId: actor.partnerId, keyId: actor.id };
  }
}

@ApiTags('audit')
@Controller('v1/audit-log')
export class AuditController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  @Users('admin')
  @ApiOperation({ operationId: 'listAuditLog', summary: 'Identity changes: who, what, when, before and after' })
  @Returns(s.auditList)
  list(@Query() q: AuditQuery) {
    return this.rpc.request(s.auditList, q);
  }
}
