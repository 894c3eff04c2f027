import { randomUUID } from 'node:crypto';
import { describeFieldErrors, ErrorBody, ErrorCode, HeaderNames, serviceOf, RequestOf, RequestSchemas, RequestSubject, ResponseOf, ResponseSchemas, StewardError, toFieldErrors, validate } from '@steward/contracts';
import { isDomainError, toFieldErrors as domainFieldErrors } from '@steward/domain-kernel';
import { logger, Metrics, RequestContext, runWithContext } from '@steward/telemetry';
import { isStalePreparedStatement } from '@steward/persistence';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headers as natsHeaders, Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';
import { decodeBody, encodeBody, Reply } from './codec';
import { ContextSigner, ContextVerdict, reportRejectedContext } from './context-signing';
import { extractTraceContext, readHeaders, toRequestContext } from './headers';

const tracer = trace.getTracer('steward-messaging');

export type RpcHandlerFn<S extends RequestSubject> = (request: RequestOf<S>, ctx: RequestContext) => Promise<ResponseOf<S>>;

export interface RpcServerOptions {
  /**
   * Check every reply against the subject's response schema and answer INTERNAL when it
   * drifts. On in tests (the contract is what API docs and clients are generated from),
   * off in production.
   */
  checkResponses?: boolean;
  /**
   * Verifies each request's signed tenant/actor context first: an unsigned, badly signed
   * or stale request is answered CONTEXT_REJECTED and never reaches validation or the
   * handler. The kit always sets it.
   */
  context?: ContextSigner;
}

/**
 * Serves request/reply subjects for one service. Every subscription joins the service's
 * queue group, so replicas share the load. Payloads are validated against the contract
 * schema before the handler runs; every failure is answered with a typed error.
 */
export class RpcServer {
  private readonly subs: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    /** Queue group: one per service. */
    private readonly queue: string,
    private readonly options: RpcServerOptions = {},
  ) {}

  /** The subjects this server serves (without prefix). */
  get subjects(): string[] {
    return [...this.served];
  }
  private readonly served = new Set<string>();

  handle<S extends RequestSubject>(subject: S, handler: RpcHandlerFn<S>): void {
    if (this.served.has(subject)) throw new Error(`${subject} has two handlers`);
    this.served.add(subject);
    const sub = this.nc.subscribe(this.prefix + subject, {
      queue: this.prefix + this.queue,
      callback: (err, msg) => {
        if (err) {
          logger().error({ err, subject }, 'subscription error');
          return;
        }
        const p = this.serve(subject, handler, msg).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      },
    });
    this.subs.push(sub);
  }

  /** Stops taking new requests and waits for the ones in flight (graceful SIGTERM). */
  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async serve<S extends RequestSubject>(subject: S, handler: RpcHandlerFn<S>, msg: Msg): Promise<void> {
    if (this.options.context) {
      const verdict = this.options.context.verify(msg.subject, msg.headers, msg.data, { checkAge: true });
      if (verdict !== 'ok') return this.refuse(subject, msg, verdict);
    }
    const envelope = readHeaders(msg.headers, randomUUID);
    const ctx = toRequestContext(envelope);
    const key = msg.headers?.get(HeaderNames.idempotencyKey);
    if (key) ctx.idempotency = { key, fingerprint: msg.headers!.get(HeaderNames.requestFingerprint) || '' };
    const started = process.hrtime.bigint();
    const parent = extractTraceContext(msg.headers);
    const span = tracer.startSpan(
      `${subject} handle`,
      { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'process', 'steward.tenant_id': ctx.tenantId ?? '' } },
      parent,
    );
    let reply: Reply<ResponseOf<S>>;
    await otelContext.with(trace.setSpan(parent, span), () =>
      runWithContext(ctx, async () => {
        try {
          const request = validate(RequestSchemas[subject], msg.data.length ? decodeBody<unknown>(msg.data, msg.headers) : undefined) as RequestOf<S>;
          const data = await handler(request, ctx);
          if (this.options.checkResponses) checkResponse(subject, data);
          reply = { ok: true, data };
        } catch (err) {
          const body = toErrorBody(err, subject, ctx.correlationId);
          if (body.code === ErrorCode.Internal) {
            logger().error({ err, subject }, 'handler failed');
            span.recordException(err as Error);
          }
          span.setStatus({ code: SpanStatusCode.ERROR, message: body.code });
          reply = { ok: false, error: body };
        }
      }),
    );
    span.end();
    Metrics.rpcServerDuration().observe({ subject, outcome: reply!.ok ? 'ok' : reply!.error.code }, Number(process.hrtime.bigint() - started) / 1e9);
    if (!msg.reply) return;
    const limit = this.nc.info?.max_payload ?? 1024 * 1024;
    let body;
    let replyHeaders: MsgHdrs | undefined;
    if (ctx.idempotency?.replayed) {
      replyHeaders = natsHeaders();
      replyHeaders.set(HeaderNames.idempotentReplayed, 'true');
    }
    try {
      body = encodeBody(reply!, replyHeaders, limit, `The ${subject} reply`);
    } catch (err) {
      body = encodeBody({ ok: false, error: toErrorBody(err, subject, ctx.correlationId) }, undefined, limit, 'An error reply');
    }
    msg.respond(body.data, { headers: body.headers });
  }

  /** Answers a request whose context does not verify, without reading its payload. */
  private refuse(subject: string, msg: Msg, verdict: Exclude<ContextVerdict, 'ok'>): void {
    reportRejectedContext('request', verdict, { subject, messageId: msg.headers?.get(HeaderNames.messageId) || undefined });
    Metrics.rpcServerDuration().observe({ subject, outcome: ErrorCode.ContextRejected }, 0);
    if (!msg.reply) return;
    const error: ErrorBody = { code: ErrorCode.ContextRejected, message: `${subject} refused: the request's tenant/actor context is ${verdict === 'unsigned' ? 'not signed' : verdict === 'stale' ? 'stale' : 'not signed with an accepted key'}`, details: { reason: verdict } };
    msg.respond(encodeBody({ ok: false, error }, undefined, this.nc.info?.max_payload ?? 1024 * 1024, 'An error reply').data);
  }
}

function checkResponse(subject: RequestSubject, data: unknown): void {
  const result = ResponseSchemas[subject].safeParse(data);
  if (!result.success) throw new Error(`the reply breaks the ${subject} response contract: ${JSON.stringify(toFieldErrors(result.error).slice(0, 5))}`);
}

/**
 * The server-side error filter: a StewardError keeps its code; a domain rule broken by the
 * input (the domain kernel's DomainError) is a validation error naming each field and rule;
 * a JSON syntax error is a validation error; anything else becomes INTERNAL with its
 * message and a reference, never an anonymous "Internal server error".
 */
export function toErrorBody(err: unknown, subject: string, correlationId: string): ErrorBody {
  if (err instanceof StewardError) return err.toBody();
  if (isDomainError(err)) {
    const errors = domainFieldErrors(err.issues);
    return { code: ErrorCode.ValidationFailed, message: describeFieldErrors(errors), details: { ...err.details, errors, domainCode: err.code } };
  }
  if (err instanceof SyntaxError) {
    return StewardError.validation([{ field: '(root)', rule: 'json', message: `is not valid JSON: ${err.message}` }]).toBody();
  }
  const message = err instanceof Error ? err.message : String(err);
  if (isDatabaseUnavailable(err)) {
    // Retryable: the gateway answers 503 with Retry-After, not 500.
    return { code: ErrorCode.ServiceUnavailable, message: `The ${serviceOf(subject)} service cannot reach its database right now: retry shortly`, details: { subject, correlationId, retryAfterSeconds: 2 } };
  }
  return { code: ErrorCode.Internal, message: `${subject} failed: ${message}`, details: { subject, correlationId, errorName: err instanceof Error ? err.name : typeof err } };
}

/** PostgreSQL SQLSTATE classes and Node errors that mean "the database is (briefly) not there". */
const DB_UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '40001', '40P01']);
const DB_UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|terminating connection|Client has encountered a connection error|ECONNREFUSED|ECONNRESET|EPIPE|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * A database outage (restart, failover, connection limit), a transient serialisation
 * conflict, or a prepared statement a migration made stale (the connection prepares it
 * afresh next time): the request did not commit and may simply be retried.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string; message?: string }; message?: string } | null;
  if (isStalePreparedStatement(e) || isStalePreparedStatement(e?.driverError)) return true;
  const code = e?.code ?? e?.driverError?.code;
  if (code && (DB_UNAVAILABLE_STATES.has(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))) return true;
  return DB_UNAVAILABLE_MESSAGES.test(`${e?.message ?? ''} ${e?.driverError?.message ?? ''}`);
}
