import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@steward/contracts';
import { logger } from '@steward/telemetry';
import { asPreconditionFailure } from './conventions';
import { toProblem } from './problem';

/** Every error leaves the gateway as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(thrown: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    // A stale version named by If-Match is a failed precondition (412), not a conflict in the body (409).
    const err = asPreconditionFailure(req, thrown);
    const reply = http.getResponse<FastifyReply>();
    const correlationId = req.stewardContext?.correlationId ?? 'unknown';
    const problem = { ...toProblem(err, correlationId), instance: req.url.split('?')[0], correlationId };
    if (problem.status >= 500) logger().error({ err, status: problem.status, code: problem.code }, 'request failed');
    // 503 is retryable (a service or its database restarting), and so is a keyed twin still in progress: say when to try again.
    if (problem.status === 503 || problem.code === ErrorCode.IdempotencyRequestInProgress) void reply.header('retry-after', String(retryAfterSeconds(err)));
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }
}

function retryAfterSeconds(err: unknown): number {
  const seconds = (err as { details?: { retryAfterSeconds?: unknown } } | null)?.details?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 && seconds < 3600 ? Math.ceil(seconds) : 1;
}
