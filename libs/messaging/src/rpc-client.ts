import { randomUUID } from 'node:crypto';
import { ErrorCode, HeaderNames, RequestOf, RequestSubject, ResponseOf, serviceOf, StewardError } from '@steward/contracts';
import { currentContext, Metrics, RequestContext } from '@steward/telemetry';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createInbox, Msg, MsgHdrs, NatsConnection, NatsError, Subscription } from 'nats';
import { decodeBody, encodeBody, Reply } from './codec';
import type { ContextSigner } from './context-signing';
import { writeHeaders } from './headers';

const tracer = trace.getTracer('steward-messaging');

export interface RequestOptions {
  /** Defaults to the client's timeout. No call may hang. */
  timeoutMs?: number;
  /** Explicit context; defaults to the current request context. */
  context?: RequestContext;
}

interface Waiting {
  resolve(msg: Msg): void;
  reject(err: StewardError): void;
  timer: NodeJS.Timeout;
  subject: string;
  timeoutMs: number;
}

/**
 * Typed request/reply over NATS. The subject decides both payload types; remote errors
 * are rethrown as {@link StewardError} with their code, a missing service as
 * SERVICE_UNAVAILABLE and a slow one as TIMEOUT, never as an opaque failure.
 *
 * Replies come back on one wildcard subscription of the client's own inbox, matched to the
 * waiting request by the last token of the reply subject: what `nc.request` does, without
 * the two Error objects (and stack traces) it creates for every request, one of them to
 * cancel a request that has already been answered (docs/benchmarks.md, write path).
 */
export class RpcClient {
  // Under the connection's inbox prefix: NATS permissions let each client subscribe to its own inboxes only.
  private readonly inbox: string;
  private readonly waiting = new Map<string, Waiting>();
  private replies?: Subscription;
  private nextToken = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly defaultTimeoutMs = 5000,
    /** Signs each request's tenant/actor context; services refuse unsigned requests (the kit and the gateway always pass one). */
    private readonly signer?: ContextSigner,
  ) {
    // The connection's `inboxPrefix` option (not on the public interface; what nc.request uses too).
    this.inbox = createInbox((nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
  }

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
      // A keyed write: each NATS request of the HTTP request carries its own key (key#n),
      // so a route that makes several requests replays each one on a retry.
      const idem = ctx.idempotency;
      if (idem) {
        idem.seq = (idem.seq ?? 0) + 1;
        headers.set(HeaderNames.idempotencyKey, `${idem.key}#${idem.seq}`);
        headers.set(HeaderNames.requestFingerprint, idem.fingerprint);
      }
      const body = encodeBody(payload, headers, this.nc.info?.max_payload ?? 1024 * 1024, `The ${subject} request`);
      this.signer?.sign(this.prefix + subject, headers, body.data);
      const msg = await this.send(subject, body.data, body.headers, timeout);
      const reply = decodeBody<Reply<ResponseOf<S>>>(msg.data, msg.headers);
      if (idem && msg.headers?.get(HeaderNames.idempotentReplayed) === 'true') idem.replayed = true;
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

  /** Publishes with a reply subject in the client's inbox and waits for the one reply. */
  private send(subject: string, data: Uint8Array, headers: MsgHdrs | undefined, timeoutMs: number): Promise<Msg> {
    if (!this.replies) {
      this.replies = this.nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => (err ? this.failAll(err) : this.deliver(msg)) });
      void this.nc.closed().then((err) => this.failAll(err ?? new Error('the NATS connection is closed')));
    }
    const token = (this.nextToken++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(token);
        reject(timedOut(subject, timeoutMs));
      }, timeoutMs);
      this.waiting.set(token, { resolve, reject, timer, subject, timeoutMs });
      try {
        this.nc.publish(this.prefix + subject, data, { reply: `${this.inbox}.${token}`, headers });
      } catch (err) {
        clearTimeout(timer);
        this.waiting.delete(token);
        reject(unreachable(subject, err));
      }
    });
  }

  private deliver(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const w = this.waiting.get(token);
    if (!w) return; // answered after its timeout
    this.waiting.delete(token);
    clearTimeout(w.timer);
    // NATS answers a request nobody subscribes to with an empty 503 status message.
    if (msg.data.length === 0 && msg.headers?.code === 503) w.reject(noResponders(w.subject));
    else w.resolve(msg);
  }

  /** The reply subscription or the connection failed: no waiting request can be answered now. */
  private failAll(err: NatsError | Error): void {
    for (const [token, w] of this.waiting) {
      this.waiting.delete(token);
      clearTimeout(w.timer);
      w.reject(unreachable(w.subject, err));
    }
  }
}

function noResponders(subject: string): StewardError {
  const service = serviceOf(subject);
  return new StewardError(ErrorCode.ServiceUnavailable, `The ${service} service is not available (no responders for ${subject})`, { service, subject });
}

function timedOut(subject: string, timeoutMs: number): StewardError {
  const service = serviceOf(subject);
  return new StewardError(ErrorCode.Timeout, `The ${service} service did not answer ${subject} within ${timeoutMs} ms`, { service, subject, timeoutMs });
}

function unreachable(subject: string, err: unknown): StewardError {
  const service = serviceOf(subject);
  const message = err instanceof Error ? err.message : String(err);
  return new StewardError(ErrorCode.ServiceUnavailable, `Could not reach the ${service} service: ${message}`, { service, subject });
}
