import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateSupportSampleRequest, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users } from '../auth/access';
import { RPC } from '../tokens';
import { PageQueryDto } from './dtos';

const s = Subjects.support;

class CreateSupportSampleBody extends createZodDto(CreateSupportSampleRequest) {}

/** The support service's routes: thin adapters, one NATS request each. */
@ApiTags('support')
@Controller('v1/support')
export class SupportController {
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
  create(@Body() body: CreateSupportSampleBody) {
    return this.rpc.request(s.sampleCreate, body);
  }
}
