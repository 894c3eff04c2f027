import { randomUUID } from 'node:crypto';
import { ErrorCode, RequestOf, RequestSubject, ResponseOf, serviceOf, StewardError } from '@steward/contracts';
import { currentContext, Metrics, RequestContext } from '@steward/telemetry';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ErrorCode as NatsErrorCode, NatsConnection, NatsError } from 'nats';
import { decodeBody, encodeBody, Reply } from './codec';
import { writeHeaders } from './headers';

const tracer = trace.getTracer('steward-messaging');

export interface RequestOptions {
  /** Defaults to the client's timeout. No call may hang. */
  timeoutMs?: number;
  /** Explicit context; defaults to the current request context. */
  context?: RequestContext;
}

/**
 * Typed request/reply over NATS. The subject decides both payload types; remote errors
 * are rethrown as {@link StewardError} with their code, a missing service as
 * SERVICE_UNAVAILABLE and a slow one as TIMEOUT, never as an opaque failure.
 */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async request<S extends RequestSubject>(subject: S, payload: RequestOf<S>, options: RequestOptions = {}): Promise<ResponseOf<S>> {
    const ctx = options.context ?? currentContext() ?? { actor: { kind: 'system', id: 'unknown' }, correlationId: randomUUID() };
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const started = process.hrtime.bigint();
    const span = tracer.startSpan(`${subject} request`, {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'send', 'steward.tenant_id': ctx.tenantId ?? '' },
    });
    let outcome = 'ok';
    try {
      const headers = writeHeaders(
        { messageId: randomUUID(), tenantId: ctx.tenantId, actor: ctx.actor, correlationId: ctx.correlationId, occurredAt: new Date().toISOString() },
        trace.setSpan(otelContext.active(), span),
      );
      const body = encodeBody(payload, headers, this.nc.info?.max_payload ?? 1024 * 1024, `The ${subject} request`);
      let msg;
      try {
        msg = await this.nc.request(this.prefix + subject, body.data, { timeout, headers: body.headers });
      } catch (err) {
        throw transportError(err, subject, timeout);
      }
      const reply = decodeBody<Reply<ResponseOf<S>>>(msg.data, msg.headers);
      if (!reply.ok) throw StewardError.fromBody(reply.error);
      return reply.data;
    } catch (err) {
      outcome = err instanceof StewardError ? err.code : 'error';
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
      Metrics.rpcClientDuration().observe({ subject, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}

function transportError(err: unknown, subject: string, timeout: number): StewardError {
  const service = serviceOf(subject);
  if (err instanceof NatsError && err.code === NatsErrorCode.NoResponders) {
    return new StewardError(ErrorCode.ServiceUnavailable, `The ${service} service is not available (no responders for ${subject})`, { service, subject });
  }
  if (err instanceof NatsError && err.code === NatsErrorCode.Timeout) {
    return new StewardError(ErrorCode.Timeout, `The ${service} service did not answer ${subject} within ${timeout} ms`, { service, subject, timeoutMs: timeout });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StewardError(ErrorCode.ServiceUnavailable, `Could not reach the ${service} service: ${message}`, { service, subject });
}
