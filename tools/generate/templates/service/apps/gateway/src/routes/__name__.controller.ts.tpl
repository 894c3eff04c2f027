import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { Create{{Name}}SampleRequest, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users } from '../auth/access';
import { NoLocation } from '../http/conventions';
import { Returns } from '../openapi/returns';
import { RPC } from '../tokens';
import { PageQueryDto } from './dtos';

const s = Subjects.{{name}};

class Create{{Name}}SampleBody extends createZodDto(Create{{Name}}SampleRequest) {}

/** The {{name}} service's routes: thin adapters, one NATS request each. */
@ApiTags('{{name}}')
@Controller('v1/{{name}}')
export class {{Name}}Controller {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get('samples')
  @Users()
  @ApiOperation({ operationId: 'list{{Name}}Samples', summary: 'List samples (cursor pagination)' })
  @Returns(s.sampleList)
  list(@Query() q: PageQueryDto) {
    return this.rpc.request(s.sampleList, q);
  }

  @Post('samples')
  @Users('admin', 'manager')
  // A created resource gets a Location when a GET reads it (docs/adr/0023-http-conventions.md); the sample has none.
  @NoLocation()
  @ApiOperation({ operationId: 'create{{Name}}Sample', summary: 'Create a sample' })
  @Returns(s.sampleCreate)
  create(@Body() body: Create{{Name}}SampleBody) {
    return this.rpc.request(s.sampleCreate, body);
  }
}
