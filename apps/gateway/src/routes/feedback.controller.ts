import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateFeedbackSampleRequest, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users } from '../auth/access';
import { RPC } from '../tokens';
import { PageQueryDto } from './dtos';

const s = Subjects.feedback;

class CreateFeedbackSampleBody extends createZodDto(CreateFeedbackSampleRequest) {}

/** The feedback service's routes: thin adapters, one NATS request each. */
@ApiTags('feedback')
@Controller('v1/feedback')
export class FeedbackController {
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
  create(@Body() body: CreateFeedbackSampleBody) {
    return this.rpc.request(s.sampleCreate, body);
  }
}
