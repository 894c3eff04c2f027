import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { checkReadiness, ReadinessCheck, registry } from '@steward/telemetry';
import { Public } from '../auth/access';
import { READINESS } from '../tokens';

/** Liveness, readiness (database and NATS answer) and Prometheus metrics. */
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

  @Get('metrics')
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics() {
    return registry.metrics();
  }
}
