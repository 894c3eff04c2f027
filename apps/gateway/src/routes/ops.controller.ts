import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { checkReadiness, ReadinessCheck } from '@steward/telemetry';
import { Public } from '../auth/access';
import { READINESS } from '../tokens';

/**
 * Liveness and readiness (database, NATS, the identity feed) on the API port, for load
 * balancers. /metrics is served only on the ops port (OPS_PORT, http/ops.ts), with these two.
 */
@ApiExcludeController()
@SkipThrottle()
@Controller()
export class OpsController {
  constructor(@Inject(READINESS) private readonly checks: Record<string, ReadinessCheck>) {}

  @Get('healthz')
  @Public()
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  async ready(@Res() reply: FastifyReply) {
    const failures = await checkReadiness(this.checks);
    const ok = Object.keys(failures).length === 0;
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', failures });
  }
}
