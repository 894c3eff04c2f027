import { randomUUID } from 'node:crypto';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EventOf, EventSchemas, EventSubject, HeaderNames, serviceOf, toFieldErrors } from '@steward/contracts';
import { logger, Metrics, RequestContext, runWithContext } from '@steward/telemetry';
import { ident, Tx, UnitOfWork } from '@steward/persistence';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamClient, JetStreamManager, JsMsg, nanos } from 'nats';
import { decode } from './codec';
import { ContextSigner, reportRejectedContext } from './context-signing';
import { extractTraceContext, readHeaders, toRequestContext } from './headers';
import { ensureStream, StreamOptions, streamName } from './streams';

const tracer = trace.getTracer('steward-messaging');

export type EventHandlerFn<S extends EventSubject> = (event: EventOf<S>, ctx: RequestContext & { messageId: string }, tx: Tx) => Promise<void>;

/** An event whose payload breaks its contract: redelivering it cannot help. */
class InvalidEvent extends Error {}

export interface ConsumerOptions<S extends EventSubject> {
  /** Durable name, unique per consuming service and purpose: `value.tier-changed`. */
  name: string;
  subject: S;
  /** The consuming service's schema, where its inbox table lives. */
  schema: string;
  prefix: string;
  handler: EventHandlerFn<S>;
  maxDeliver?: number;
  ackWaitMs?: number;
  /** How the source stream is created if this consumer finds it missing (replicas). */
  stream?: StreamOptions;
  /**
   * Verifies each event's signed tenant/actor context before anything else: an event that
   * fails is terminated (never redelivered, never handled) and counted in
   * `steward_context_rejected_total{kind="event"}`. The kit always sets it.
   */
  context?: ContextSigner;
}

/**
 * A durable JetStream consumer that handles each event exactly once: the inbox row and
 * the handler's writes commit in one transaction, so a redelivered event finds its id in
 * the inbox and is only acknowledged.
 */
export class EventConsumer<S extends EventSubject> {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inbox: string;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly uow: UnitOfWork,
    private readonly o: ConsumerOptions<S>,
  ) {
    this.inbox = `${ident(o.schema)}.inbox`;
  }

  get durableName(): string {
    return `${this.o.prefix}${this.o.name}`.replace(/[^A-Za-z0-9_-]+/g, '_');
  }

  async start(): Promise<void> {
    const source = serviceOf(this.o.subject);
    const stream = await ensureStream(this.jsm, this.o.prefix, source, this.o.stream);
    const config = {
      durable_name: this.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.o.prefix + this.o.subject,
      max_deliver: this.o.maxDeliver ?? 10,
      ack_wait: nanos(this.o.ackWaitMs ?? 30_000),
    };
    try {
      await this.jsm.consumers.info(stream, this.durableName);
      await this.jsm.consumers.update(stream, this.durableName, config);
    } catch {
      await this.jsm.consumers.add(stream, config);
    }
    const consumer = await this.js.consumers.get(streamName(this.o.prefix, source), this.durableName);
    // A consumer or stream that disappears (a NATS that lost its store) ends the iteration
    // instead of waiting forever for someone else to restore it.
    this.messages = await consumer.consume({ max_messages: 64, abort_on_missing_resource: true });
    const messages = this.messages;
    this.stopped = false;
    this.loop = (async () => {
      try {
        for await (const m of messages) await this.handle(m);
      } catch (err) {
        if (!this.stopped) logger().warn({ consumer: this.o.name, error: err instanceof Error ? err.message : String(err) }, 'event consumer lost its consumer or stream');
      }
      // The iteration ends when the consumer or its stream is gone (a NATS that lost its
      // store): set them up again and go on; the inbox drops what was handled before.
      if (!this.stopped) await this.restart();
    })();
  }

  private stopped = true;

  private async restart(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.start();
        logger().info({ consumer: this.o.name, attempts: attempt }, 'event consumer set up again');
        return;
      } catch (err) {
        if (attempt === 1) logger().warn({ consumer: this.o.name, error: err instanceof Error ? err.message : String(err) }, 'event consumer lost its stream or consumer; setting it up again');
        const until = Date.now() + Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        while (!this.stopped && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close();
    await this.loop;
  }

  private async handle(m: JsMsg): Promise<void> {
    if (this.o.context) {
      const verdict = this.o.context.verify(m.subject, m.headers, m.data, { checkAge: false });
      if (verdict !== 'ok') {
        reportRejectedContext('event', verdict, { subject: m.subject, consumer: this.o.name, messageId: m.headers?.get(HeaderNames.messageId) || undefined });
        Metrics.consumerHandled().inc({ consumer: this.o.name, outcome: 'rejected' });
        m.term();
        return;
      }
    }
    const envelope = readHeaders(m.headers, randomUUID);
    const ctx = toRequestContext(envelope);
    if (m.redelivered) Metrics.consumerRedeliveries().inc({ consumer: this.o.name });
    const parent = extractTraceContext(m.headers);
    const span = tracer.startSpan(`${this.o.subject} process`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': this.o.subject, 'messaging.consumer.group.name': this.o.name, 'messaging.message.id': envelope.messageId } }, parent);
    try {
      await otelContext.with(trace.setSpan(parent, span), () =>
        runWithContext(ctx, async () => {
          if (!ctx.tenantId) throw new Error(`event ${envelope.messageId} on ${m.subject} has no tenant header`);
          // Contracts are checked at the edge of every service, events included.
          const parsed = EventSchemas[this.o.subject].safeParse(decode<unknown>(m.data));
          if (!parsed.success) throw new InvalidEvent(`event ${envelope.messageId} on ${m.subject} breaks its contract: ${JSON.stringify(toFieldErrors(parsed.error).slice(0, 5))}`);
          const handled = await this.uow.forTenant(ctx.tenantId, async (em) => {
            const inserted: unknown[] = await em.query(`INSERT INTO ${this.inbox} (consumer, message_id, tenant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING message_id`, [this.o.name, envelope.messageId, ctx.tenantId]);
            if (inserted.length === 0) return false;
            await this.o.handler(parsed.data as EventOf<S>, { ...ctx, messageId: envelope.messageId }, em);
            return true;
          });
          Metrics.consumerHandled().inc({ consumer: this.o.name, outcome: handled ? 'handled' : 'duplicate' });
        }),
      );
      await m.ackAck().catch(() => m.ack());
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      const attempt = m.info.redeliveryCount;
      if (err instanceof InvalidEvent) {
        logger().error({ err, consumer: this.o.name, messageId: envelope.messageId }, 'event rejected: its payload breaks the contract; terminated');
        Metrics.consumerHandled().inc({ consumer: this.o.name, outcome: 'invalid' });
        m.term();
      } else if (attempt >= (this.o.maxDeliver ?? 10)) {
        logger().error({ err, consumer: this.o.name, messageId: envelope.messageId, attempt }, 'event failed on its last delivery; terminated');
        Metrics.consumerHandled().inc({ consumer: this.o.name, outcome: 'terminated' });
        m.term();
      } else {
        logger().warn({ err, consumer: this.o.name, messageId: envelope.messageId, attempt }, 'event handler failed; will be redelivered');
        Metrics.consumerHandled().inc({ consumer: this.o.name, outcome: 'failed' });
        m.nak(Math.min(30_000, 200 * 2 ** attempt));
      }
    } finally {
      span.end();
    }
  }
}
