import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateCatalogSampleRequest, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Users } from '../auth/access';
import { RPC } from '../tokens';
import { PageQueryDto } from './dtos';

const s = Subjects.catalog;

class CreateCatalogSampleBody extends createZodDto(CreateCatalogSampleRequest) {}

/** The catalog service's routes: thin adapters, one NATS request each. */
@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
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
  create(@Body() body: CreateCatalogSampleBody) {
    return this.rpc.request(s.sampleCreate, body);
  }
}
