import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { Create{{Name}}SampleRequest, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users } from '../auth/access';
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
  @ApiOperation({ summary: 'List samples (cursor pagination)' })
  list(@Query() q: PageQueryDto) {
    return this.rpc.request(s.sampleList, q);
  }

  @Post('samples')
  @Users('admin', 'manager')
  @ApiOperation({ summary: 'Create a sample' })
  create(@Body() body: Create{{Name}}SampleBody) {
    return this.rpc.request(s.sampleCreate, body);
  }
}
