import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logger } from '@steward/telemetry';
import { IdempotentReplay } from '../idempotency/idempotency.guard';
import { toProblem } from './problem';

/** Every error leaves the gateway as application/problem+json; an idempotent replay as first answered. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (err instanceof IdempotentReplay) return err.send(reply);
    const correlationId = req.stewardContext?.correlationId ?? 'unknown';
    const problem = { ...toProblem(err, correlationId), instance: req.url.split('?')[0], correlationId };
    if (problem.status >= 500) logger().error({ err, status: problem.status, code: problem.code }, 'request failed');
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }
}
