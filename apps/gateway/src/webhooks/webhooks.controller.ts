import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointRequest,
  ListWebhookDeliveriesQuery,
  ReplayWebhookDeliveriesRequest,
  ReplayWebhookDeliveriesResponse,
  RotatedWebhookSecret,
  RotateWebhookSecretRequest,
  StewardError,
  toFieldErrors,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryDto,
  WebhookDeliveryPage,
  WebhookEndpointDto,
  WebhookEndpointPage,
  WebhookEventTypeList,
} from '@steward/contracts';
import { UsersOrPartners } from '../auth/access';
import { Caller, CurrentCaller } from '../http/request-context';
import { UuidParam } from '../http/uuid.pipe';
import { Returns } from '../openapi/returns';
import { PageQueryDto } from '../routes/dtos';
import { WEBHOOKS } from './webhooks.tokens';
import type { WebhookCaller, WebhooksService } from './webhooks.service';

class CreateWebhookEndpointBody extends createZodDto(CreateWebhookEndpointRequest) {}
class UpdateWebhookEndpointBody extends createZodDto(UpdateWebhookEndpointRequest) {}
class RotateWebhookSecretBody extends createZodDto(RotateWebhookSecretRequest) {}
class ReplayWebhookDeliveriesBody extends createZodDto(ReplayWebhookDeliveriesRequest) {}
class ListWebhookDeliveriesQueryDto extends createZodDto(ListWebhookDeliveriesQuery) {}

/** Tenant admins and managers manage every endpoint of the tenant; a partner key only its partner's own. */
const MANAGE = ['admin', 'manager'] as const;

const callerOf = (c: Caller): WebhookCaller => ({ tenantId: c.tenantId!, actor: c.actor });

/** Webhooks (docs/webhooks.md): thin adapters over WebhooksService. */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WEBHOOKS) private readonly webhooks: WebhooksService) {}

  @Get('event-types')
  @UsersOrPartners()
  @ApiOperation({ operationId: 'listWebhookEventTypes', summary: 'The event types an endpoint can subscribe to (partners: those about their accounts)' })
  @Returns(WebhookEventTypeList)
  eventTypes(@CurrentCaller() caller: Caller) {
    return this.webhooks.eventTypes(callerOf(caller));
  }

  @Post('endpoints')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'createWebhookEndpoint', summary: 'Register an endpoint; the signing secret is in this response only' })
  @Returns(CreatedWebhookEndpoint)
  async create(@CurrentCaller() caller: Caller, @Body() body: CreateWebhookEndpointBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.webhooks.create(callerOf(caller), body);
    void reply.header('location', `/v1/webhooks/endpoints/${created.endpoint.id}`);
    return created;
  }

  @Get('endpoints')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'listWebhookEndpoints', summary: 'List endpoints (cursor pagination)' })
  @Returns(WebhookEndpointPage)
  list(@CurrentCaller() caller: Caller, @Query() q: PageQueryDto) {
    return this.webhooks.list(callerOf(caller), q as unknown as { limit: number; cursor?: string });
  }

  @Get('endpoints/:id')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'One endpoint, with its disabled notice and failure streak' })
  @Returns(WebhookEndpointDto)
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.get(callerOf(caller), id);
  }

  @Patch('endpoints/:id')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'updateWebhookEndpoint', summary: 'Change url, event types, description or enabled' })
  @Returns(WebhookEndpointDto)
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateWebhookEndpointBody) {
    return this.webhooks.update(callerOf(caller), id, body);
  }

  @Delete('endpoints/:id')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'deleteWebhookEndpoint', summary: 'Delete an endpoint and its deliveries' })
  @Returns(WebhookEndpointDto)
  remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.remove(callerOf(caller), id);
  }

  @Post('endpoints/:id/enable')
  @HttpCode(200)
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'enableWebhookEndpoint', summary: 'Re-enable a disabled endpoint (its notice stays as lastDisabled)' })
  @Returns(WebhookEndpointDto)
  enable(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.enable(callerOf(caller), id);
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: 'Rotate the signing secret; the previous one keeps signing during the overlap' })
  @ApiBody({ type: RotateWebhookSecretBody, required: false })
  @Returns(RotatedWebhookSecret)
  rotateSecret(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() raw: unknown) {
    // A rotation with the defaults needs no body at all, so the body is checked here rather than by the pipe.
    const body = RotateWebhookSecretRequest.safeParse(raw ?? {});
    if (!body.success) throw StewardError.validation(toFieldErrors(body.error));
    return this.webhooks.rotateSecret(callerOf(caller), id, body.data);
  }

  @Post('endpoints/:id/test')
  @HttpCode(202)
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'testWebhookEndpoint', summary: 'Send a webhooks.test.v1 event to this endpoint' })
  @Returns(WebhookDeliveryDto)
  test(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.sendTest(callerOf(caller), id);
  }

  @Post('endpoints/:id/replay')
  @HttpCode(202)
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'replayWebhookEndpoint', summary: 'Send again every delivery of this endpoint made since a time (failed ones, or all)' })
  @Returns(ReplayWebhookDeliveriesResponse)
  replaySince(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: ReplayWebhookDeliveriesBody) {
    return this.webhooks.replaySince(callerOf(caller), id, body);
  }

  @Get('endpoints/:id/deliveries')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: "The endpoint's deliveries, newest first, each with its attempts" })
  @Returns(WebhookDeliveryPage)
  deliveries(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() q: ListWebhookDeliveriesQueryDto) {
    return this.webhooks.listDeliveries(callerOf(caller), id, q);
  }

  @Get('deliveries/:id')
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'getWebhookDelivery', summary: 'One delivery with its attempts' })
  @Returns(WebhookDeliveryDto)
  delivery(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.getDelivery(callerOf(caller), id);
  }

  @Post('deliveries/:id/replay')
  @HttpCode(202)
  @UsersOrPartners(...MANAGE)
  @ApiOperation({ operationId: 'replayWebhookDelivery', summary: 'Send one delivery again now' })
  @Returns(WebhookDeliveryDto)
  replay(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.webhooks.replayDelivery(callerOf(caller), id);
  }
}
