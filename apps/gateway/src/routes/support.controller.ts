import { Controller, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RpcClient } from '@steward/messaging';
import { RPC } from '../tokens';

/** The support service's routes: thin adapters, one NATS request each. */
@ApiTags('support')
@Controller('v1/support')
export class SupportController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}
}
