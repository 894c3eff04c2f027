import { randomUUID } from 'node:crypto';
import { context as otelContext, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EventOf, EventSubject, HeaderNames } from '@steward/contracts';
import { currentContext, logger, Metrics, RequestContext, runWithoutContext } from '@steward/telemetry';
import { afterCommit, deferWrite, ident, inTransaction } from '@steward/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { ContextSigner } from './context-signing';
import { extractTraceContext, headersFromRecord, headersToRecord, writeHeaders } from './headers';
import type { StreamMessage, StreamPublisher } from './stream-publisher';

const utf8 = new TextEncoder();

const tracer = trace.getTracer('steward-messaging');

/**
 * Writes events into the service's outbox table inside the caller's transaction, so an
 * event exists if and only if the change it reports was committed.
 */
export class Outbox {
  private readonly table: string;
  private nudge?: () => void;

  constructor(schema: string) {
    this.table = `${ident(schema)}.outbox`;
  }

  /** Lets an in-process relay publish right after commit instead of at its next poll. */
  onWrite(nudge: () => void): void {
    this.nudge = nudge;
  }

  async emit<S extends EventSubject>(em: EntityManager, subject: S, payload: EventOf<S>, ctx: RequestContext | undefined = currentContext()): Promise<string> {
    const tenantId = ctx?.tenantId;
    if (!tenantId) throw new Error(`cannot emit ${subject} without a tenant in the context`);
    const id = randomUUID();
    const headers = headersToRecord(
      writeHeaders({ messageId: id, tenantId, actor: ctx.actor, correlationId: ctx.correlationId, occurredAt: new Date().toISOString() }),
    );
    // Nobody reads the insert's answer: it travels with the transaction's next statement or its COMMIT.
    await deferWrite(em, `INSERT INTO ${this.table} (id, tenant_id, subject, payload, headers) VALUES ($1, $2, $3, $4, $5)`, [id, tenantId, subject, JSON.stringify(payload), JSON.stringify(headers)]);
    if (this.nudge) afterCommit(em, this.nudge);
    return id;
  }

  /**
   * Writes many events of one subject in a single statement (bulk changes such as
   * re-tiering). The envelope is built once; each row gets its own message id in SQL.
   */
  async emitMany<S extends EventSubject>(em: EntityManager, subject: S, payloads: EventOf<S>[], ctx: RequestContext | undefined = currentContext()): Promise<number> {
    const tenantId = ctx?.tenantId;
    if (!tenantId) throw new Error(`cannot emit ${subject} without a tenant in the context`);
    if (payloads.length === 0) return 0;
    const ids = payloads.map(() => randomUUID());
    const envelope = headersToRecord(writeHeaders({ messageId: ids[0], tenantId, actor: ctx.actor, correlationId: ctx.correlationId, occurredAt: new Date().toISOString() }));
    // The payloads travel as one JSON array, not a jsonb[] (whose text form escapes every
    // quote again and is parsed twice): 4–5× cheaper for a few thousand events. ORDER BY keeps
    // the outbox sequence in the payloads' order. Deferred, as in emit.
    await deferWrite(
      em,
      `INSERT INTO ${this.table} (id, tenant_id, subject, payload, headers)
       SELECT u.id, $1, $2, p.payload, $3::jsonb || jsonb_build_object($4::text, u.id::text)
       FROM unnest($5::uuid[]) WITH ORDINALITY AS u(id, n)
       JOIN jsonb_array_elements($6::jsonb) WITH ORDINALITY AS p(payload, n) USING (n)
       ORDER BY n`,
      [tenantId, subject, JSON.stringify(envelope), HeaderNames.messageId, ids, JSON.stringify(payloads)],
    );
    if (this.nudge) afterCommit(em, this.nudge);
    return payloads.length;
  }

  /**
   * Events that PostgreSQL builds from rows the same statement writes: a bulk upsert and its
   * events in one statement, the payloads never sent from here a second time. Returns a
   * data-modifying CTE (`<name> AS (INSERT INTO <outbox> … SELECT … FROM <from>)`) for the
   * caller to append to its WITH list, and its parameters, numbered from `firstParam` (put them
   * after the caller's own). `payload` is a jsonb expression over the columns of `from` and must
   * match the subject's event schema (consumers check it); `order` orders the events. The caller
   * runs the statement in `em`'s transaction.
   */
  eventsFrom<S extends EventSubject>(
    em: EntityManager,
    subject: S,
    source: { from: string; payload: string; order: string },
    firstParam: number,
    ctx: RequestContext | undefined = currentContext(),
  ): { cte: string; params: unknown[] } {
    const tenantId = ctx?.tenantId;
    if (!tenantId) throw new Error(`cannot emit ${subject} without a tenant in the context`);
    const envelope = headersToRecord(writeHeaders({ messageId: randomUUID(), tenantId, actor: ctx.actor, correlationId: ctx.correlationId, occurredAt: new Date().toISOString() }));
    const p = (i: number) => `$${firstParam + i}`;
    if (this.nudge) afterCommit(em, this.nudge);
    return {
      cte: `outbox_events AS (INSERT INTO ${this.table} (id, tenant_id, subject, payload, headers)
        SELECT e.id, ${p(0)}::uuid, ${p(1)}::text, e.payload, ${p(2)}::jsonb || jsonb_build_object(${p(3)}::text, e.id::text)
        FROM (SELECT gen_random_uuid() AS id, ${source.payload} AS payload, ${source.order} AS o FROM ${source.from}) e ORDER BY e.o)`,
      params: [tenantId, subject, JSON.stringify(envelope), HeaderNames.messageId],
    };
  }
}

/** Whether the outbox relay can publish to JetStream. */
export type PublishingHealth = { ok: true } | { ok: false; failingSince: string; attempts: number; error: string };

export interface RelayOptions {
  schema: string;
  prefix: string;
  /** How soon the relay looks again after publishing (default 250 ms). */
  pollMs?: number;
  /**
   * While polls find nothing, the interval doubles from `pollMs` up to this (default 2,000 ms):
   * an idle service no longer claims four times a second. Publishing a row, or a nudge (every
   * commit of this process that emits nudges), brings it back at once. A row no nudge announces
   * (another process crashed between its commit and its relay) waits at most this long.
   */
  idlePollMaxMs?: number;
  batchSize?: number;
  /** How long a nudge waits for more commits to batch with (default 5 ms). */
  coalesceMs?: number;
  /** Delete published rows older than this (ms). */
  retentionMs?: number;
  /**
   * Delete inbox rows (handled message ids) older than this (ms). Must exceed the streams'
   * max age (7 days): an id may be forgotten only once its message cannot come back.
   */
  inboxRetentionMs?: number;
  /** Delete idempotency keys (settled keyed writes) older than this (ms); default 24 h. */
  keyRetentionMs?: number;
  /** Signs each event's tenant/actor context as it is published (consumers verify it). The kit always sets it. */
  context?: ContextSigner;
  /** Recreates the service's stream (the kit passes `ensureStream`); called when publishing finds it gone. */
  ensureStream?: () => Promise<unknown>;
  /**
   * When the service's stream was created (JetStream's `created`). A change means the stream
   * was lost and made anew (a NATS that restarted without its store): the relay then
   * publishes the rows of the last `republishWindowMs` again, which consumers' inboxes drop
   * where they had already handled them, so nothing published shortly before the loss is lost.
   */
  streamCreated?: () => Promise<string | undefined>;
  /** How far back to publish again after the stream was recreated (default 10 minutes, JetStream's duplicate window). */
  republishWindowMs?: number;
  /** Fault injection for tests: runs after publishing a batch, before marking it sent. */
  afterPublish?: (ids: string[]) => Promise<void> | void;
}

interface OutboxRow {
  id: string;
  subject: string;
  /** The stored jsonb as PostgreSQL writes it out: JSON text, published as it is. */
  payload: string;
  headers: Record<string, string>;
}

/**
 * Publishes outbox rows to JetStream with the row id as `Nats-Msg-Id`, then marks them
 * sent in the same transaction that locked them. A crash after publishing and before
 * the commit re-publishes the same ids, which JetStream drops as duplicates; rows are
 * claimed with SKIP LOCKED so several replicas can relay side by side.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;
  private again = false;
  private readonly table: string;
  private readonly inbox: string;
  private readonly keys: string;
  private readonly batchSize: number;
  private lastPrune = 0;

  constructor(
    /** A DataSource connected as the service's relay role. */
    private readonly ds: DataSource,
    /** JetStream, many messages at a time (the kit passes a {@link JetStreamPublisher} on the service's connection). */
    private readonly publisher: StreamPublisher,
    private readonly o: RelayOptions,
  ) {
    this.table = `${ident(o.schema)}.outbox`;
    this.inbox = `${ident(o.schema)}.inbox`;
    this.keys = `${ident(o.schema)}.idempotency_keys`;
    // Written into the claim statement (it travels without parameters): a positive integer only.
    this.batchSize = o.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`outbox relay batchSize must be a positive integer (got ${String(o.batchSize)})`);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Publish soon: within `coalesceMs`, so a burst of commits is relayed in one batch
   * (one transaction and one round of acks) instead of one tick per commit.
   */
  nudge = (): void => {
    // While failing, the back-off decides when to try again: every commit nudges, and a
    // nudge that cut the delay short would retry (and log) once per commit.
    if (this.stopped || this.failing) return;
    if (this.running) this.again = true;
    else if (this.dueAt === undefined || this.dueAt > Date.now() + (this.o.coalesceMs ?? 5)) this.schedule(this.o.coalesceMs ?? 5);
  };

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Publishes every pending row; returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  private dueAt?: number;

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    // The relay loop belongs to no request: a nudge from inside one must not carry its trace or tenant.
    this.timer = setTimeout(() => void otelContext.with(ROOT_CONTEXT, () => runWithoutContext(() => this.tick())), ms);
  }

  /** Whether the relay can publish: what /readyz reports beside request readiness, and the alert metric. */
  health(): PublishingHealth {
    return this.failing ? { ok: false, failingSince: new Date(this.failing.since).toISOString(), attempts: this.failing.attempts, error: this.failing.error } : { ok: true };
  }

  private failing?: { since: number; attempts: number; error: string; lastLog: number };

  /** Polls in a row that found nothing to publish. */
  private idlePolls = 0;

  /** `pollMs` after publishing; doubled per empty poll after the first, up to `idlePollMaxMs`. */
  private pollDelay(): number {
    const base = this.o.pollMs ?? 250;
    if (this.idlePolls <= 1) return base;
    return Math.min(Math.max(base, this.o.idlePollMaxMs ?? 2_000), base * 2 ** Math.min(this.idlePolls - 1, 16));
  }

  private async tick(): Promise<void> {
    this.dueAt = undefined;
    if (this.running || this.stopped) return;
    this.running = true;
    let delay = this.o.pollMs ?? 250;
    try {
      this.again = false;
      const published = await this.drain();
      this.idlePolls = published > 0 ? 0 : this.idlePolls + 1;
      delay = this.pollDelay();
      this.recovered();
      await this.prune();
    } catch (err) {
      delay = await this.failed(err);
    } finally {
      // Measured whether or not publishing works: a relay that cannot publish shows a growing lag.
      await this.observe().catch(() => undefined);
      this.running = false;
      // While failing, nudges do not cut the back-off short (each commit nudges); otherwise a
      // nudge while busy makes the next batch also wait `coalesceMs`, so steady load is
      // relayed in batches rather than in one transaction per row or two.
      this.schedule(this.failing ? delay : this.again ? (this.o.coalesceMs ?? 5) : delay);
    }
  }

  /**
   * One failed round: back off exponentially (0.5 s, 1 s, 2 s … 30 s), recreate the stream
   * when it is gone (a NATS restarted without its store), and log one line when failing
   * starts and one a minute while it lasts, never a stack trace per attempt.
   */
  private async failed(err: unknown): Promise<number> {
    const message = err instanceof Error ? err.message : String(err);
    const now = Date.now();
    const f = (this.failing ??= { since: now, attempts: 0, error: message, lastLog: 0 });
    f.attempts += 1;
    f.error = message;
    Metrics.outboxPublishFailures().inc();
    Metrics.outboxPublishing().set(0);
    if (f.attempts === 1) logger().warn({ error: message }, 'outbox relay cannot publish; retrying with back-off');
    else if (now - f.lastLog >= 60_000) logger().warn({ error: message, attempts: f.attempts, failingForSeconds: Math.round((now - f.since) / 1000) }, 'outbox relay still cannot publish');
    if (f.attempts === 1 || now - f.lastLog >= 60_000) f.lastLog = now;
    if (this.o.ensureStream && (/stream not found|no stream matches|no responders/i.test(message) || (err as { code?: string }).code === '503')) {
      await this.o.ensureStream().then(
        () => logger().info('outbox relay: the event stream was missing and has been created again'),
        (e: unknown) => logger().debug({ error: e instanceof Error ? e.message : String(e) }, 'outbox relay: could not create the stream yet'),
      );
    }
    return Math.min(30_000, 500 * 2 ** Math.min(f.attempts - 1, 6));
  }

  private recovered(): void {
    if (this.failing) {
      logger().info({ attempts: this.failing.attempts, failedForSeconds: Math.round((Date.now() - this.failing.since) / 1000) }, 'outbox relay publishes again');
      this.failing = undefined;
    }
    Metrics.outboxPublishing().set(1);
  }

  private async publishBatch(): Promise<number> {
    // Claim and mark in one statement, sent together with START TRANSACTION (one round
    // trip); the mark only commits once every publish is acked, so a failed or crashed
    // publish rolls back and the rows stay unsent.
    const claim = `UPDATE ${this.table} SET sent_at = now()
         WHERE id IN (SELECT id FROM ${this.table} WHERE sent_at IS NULL ORDER BY seq LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED)
         RETURNING id, seq, subject, payload::text AS payload, headers`;
    return inTransaction(this.ds, [claim], async (_em, [claimed]) => {
      const rows = claimed as Array<OutboxRow & { seq: string }>;
      if (rows.length === 0) return 0;
      rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
      await this.publish(rows);
      await this.o.afterPublish?.(rows.map((r) => r.id));
      Metrics.outboxPublished().inc(rows.length);
      return rows.length;
    });
  }

  /** Publishes the rows in order and waits for every ack; a span per event joins the trace of the request that wrote it. */
  private async publish(rows: OutboxRow[]): Promise<void> {
    const spans = [];
    const messages: StreamMessage[] = [];
    for (const row of rows) {
      const headers = headersFromRecord(row.headers);
      const span = tracer.startSpan(
        `${row.subject} publish`,
        { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': row.subject, 'messaging.message.id': row.id } },
        extractTraceContext(headers),
      );
      spans.push(span);
      // Signed here, over the bytes published: the stored payload is jsonb, whose key order
      // is PostgreSQL's, so the body only exists in its final form at this point. Its text is
      // published as PostgreSQL writes it (parsing it into objects to write it out again cost
      // more CPU than anything else the relay does; docs/benchmarks.md).
      const data = utf8.encode(row.payload);
      this.o.context?.sign(this.o.prefix + row.subject, headers, data);
      messages.push({ subject: this.o.prefix + row.subject, data, headers, msgId: row.id });
    }
    try {
      await this.publisher.publishAll(messages);
    } catch (err) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private lastObserve = 0;

  private streamCreatedAt?: string;

  /** Publishes recent rows again when the stream is not the one they went to (see `streamCreated`). */
  private async watchStream(): Promise<void> {
    const created = await this.o.streamCreated?.().catch(() => undefined);
    if (!created) return;
    if (this.streamCreatedAt && created !== this.streamCreatedAt) {
      const window = (this.o.republishWindowMs ?? 10 * 60 * 1000) / 1000;
      const result: unknown = await this.ds.query(`UPDATE ${this.table} SET sent_at = NULL WHERE sent_at > now() - make_interval(secs => $1)`, [window]);
      const again = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
      logger().warn({ republished: again, windowSeconds: window }, 'the event stream was recreated (JetStream lost its store?): publishing recent events again');
      this.nudge();
    }
    this.streamCreatedAt = created;
  }

  /** Refreshes the pending/lag gauges, at most once a second (ticks run after every commit under load). */
  private async observe(): Promise<void> {
    if (Date.now() - this.lastObserve < 1000) return;
    this.lastObserve = Date.now();
    await this.watchStream();
    const [stats] = await this.ds.query(`SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float AS lag FROM ${this.table} WHERE sent_at IS NULL`);
    Metrics.outboxPending().set(stats?.pending ?? 0);
    Metrics.outboxLag().set(stats?.lag ?? 0);
  }

  /** Deletes old published outbox rows, old inbox ids and expired idempotency keys; at most once a minute unless forced. */
  async prune(force = false): Promise<void> {
    if (!force && Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    const retention = this.o.retentionMs ?? 24 * 3600 * 1000;
    const inboxRetention = this.o.inboxRetentionMs ?? 8 * 24 * 3600 * 1000;
    await this.ds.query(`DELETE FROM ${this.table} WHERE sent_at < now() - make_interval(secs => $1)`, [retention / 1000]);
    await this.ds.query(`DELETE FROM ${this.inbox} WHERE handled_at < now() - make_interval(secs => $1)`, [inboxRetention / 1000]);
    if (this.hasKeys !== false) {
      // Idempotency-Key outcomes are replayed for 24 hours (ADR 8); a schema without the table skips this.
      await this.ds
        .query(`DELETE FROM ${this.keys} WHERE created_at < now() - make_interval(secs => $1)`, [(this.o.keyRetentionMs ?? 24 * 3600 * 1000) / 1000])
        .then(() => (this.hasKeys = true))
        .catch((err: { code?: string }) => {
          if (err.code !== '42P01') throw err;
          this.hasKeys = false;
        });
    }
  }
  private hasKeys?: boolean;

}
