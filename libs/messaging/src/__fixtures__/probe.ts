/**
 * Test-only "probe" service: the smallest service that uses every platform piece (own
 * schema and roles, a tenant table under RLS, outbox and inbox, JetStream stream).
 * Integration specs of libs/messaging and libs/persistence start it against a fresh
 * database and NATS prefix. It takes URLs as arguments so it does not import
 * @steward/testing (only spec files may).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { trace } from '@opentelemetry/api';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { JetStreamClient, JetStreamManager, MsgHdrs, NatsConnection, PubAck } from 'nats';
import { createDataSource, enableTenantRls, runMigrations, serviceRoles, UnitOfWork } from '@steward/persistence';
import { EventSubject, PartnerCreatedEvent } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';
import { createOutboxAndInbox, dropOutboxAndInbox } from '../migration-helpers/v1';
import { connectNats } from '../nats';
import { encode } from '../codec';
import { writeHeaders } from '../headers';
import { ensureStream } from '../streams';
import { EventConsumer } from '../inbox';
import type { ContextSigner } from '../context-signing';
import { JetStreamPublisher, type StreamPublisher } from '../stream-publisher';

export const PROBE_SERVICE = 'probe';
export const PROBE_SCHEMA = 'probe';
export const PROBE_ROLES = serviceRoles(PROBE_SERVICE);

/** The probe's only migration: a tenant table under RLS, plus outbox and inbox. */
export class ProbeNotes1700000000000 implements MigrationInterface {
  name = 'ProbeNotes1700000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE probe.notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text)`);
    await enableTenantRls(qr, 'probe.notes', PROBE_ROLES.app);
    await createOutboxAndInbox(qr, PROBE_SCHEMA, PROBE_SERVICE);
  }

  async down(qr: QueryRunner): Promise<void> {
    await dropOutboxAndInbox(qr, PROBE_SCHEMA);
    await qr.query(`DROP TABLE IF EXISTS probe.notes`);
  }
}

export const probeMigrations = [ProbeNotes1700000000000];

export function migrateProbe(url: string) {
  return runMigrations({ url, service: PROBE_SERVICE, schema: PROBE_SCHEMA, migrations: probeMigrations });
}

/** Runs one statement on a fresh connection: as the superuser (role null) or as a given role. */
export async function sqlOnce<T = Record<string, unknown>>(url: string, role: string | null, sql: string, params?: unknown[]): Promise<T[]> {
  const c = new Client({ connectionString: url, options: role ? `-c role=${role}` : undefined });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export interface ProbeDb {
  url: string;
  /** Connected as steward_probe (RLS applies). */
  runtime: DataSource;
  /** Connected as steward_probe_relay. */
  relay: DataSource;
  uow: UnitOfWork;
  /** Superuser SQL (bypasses RLS): for seeding and checking. */
  admin<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openProbeDb(url: string, o: { poolMax?: number } = {}): Promise<ProbeDb> {
  const runtime = createDataSource({ url, schema: PROBE_SCHEMA, role: PROBE_ROLES.app, poolMax: o.poolMax ?? 5, applicationName: 'steward-probe' });
  const relay = createDataSource({ url, schema: PROBE_SCHEMA, role: PROBE_ROLES.relay, poolMax: 4, applicationName: 'steward-probe-relay' });
  await Promise.all([runtime.initialize(), relay.initialize()]);
  const adminClient = new Client({ connectionString: url });
  await adminClient.connect();
  return {
    url,
    runtime,
    relay,
    uow: new UnitOfWork(runtime),
    async admin<T>(sql: string, params?: unknown[]) {
      return (await adminClient.query(sql, params)).rows as T[];
    },
    async close() {
      await Promise.all([runtime.destroy(), relay.destroy(), adminClient.end()]);
    },
  };
}

export function tenantContext(tenantId: string, correlationId: string = randomUUID()): RequestContext {
  return { tenantId, actor: { kind: 'system', id: 'probe' }, correlationId };
}

export interface ProbeNats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  prefix: string;
  /** The accounts event stream under this prefix. */
  stream: string;
  streamCount(): Promise<number>;
  /** Publishes an event straight to JetStream (no outbox), with envelope headers. */
  publishEvent(subject: EventSubject, payload: unknown, e: { messageId: string; tenantId: string; msgID?: string }): Promise<PubAck>;
  close(): Promise<void>;
}

export async function openProbeNats(url: string, prefix: string): Promise<ProbeNats> {
  const nc = await connectNats({ url, name: `steward-probe-${prefix}` });
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const stream = await ensureStream(jsm, prefix, 'accounts');
  return {
    nc,
    js,
    jsm,
    prefix,
    stream,
    streamCount: async () => (await jsm.streams.info(stream)).state.messages,
    publishEvent: (subject, payload, e) => {
      const headers: MsgHdrs = writeHeaders({ messageId: e.messageId, tenantId: e.tenantId, actor: { kind: 'system', id: 'probe' }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
      return js.publish(prefix + subject, encode(payload), { headers, msgID: e.msgID });
    },
    close: async () => {
      await jsm.streams.delete(stream).catch(() => false);
      await nc.drain().catch(() => undefined);
    },
  };
}

export interface RecordedPublish {
  subject: string;
  msgID: string | undefined;
  duplicate: boolean;
}

/** A JetStream client that records every publish (and whether JetStream flagged it duplicate). */
export function recordingPublisher(nc: NatsConnection): { publisher: StreamPublisher; publishes: RecordedPublish[] } {
  const inner = new JetStreamPublisher(nc);
  const publishes: RecordedPublish[] = [];
  const publisher: StreamPublisher = {
    async publishAll(messages) {
      const acks = await inner.publishAll(messages);
      messages.forEach((m, i) => publishes.push({ subject: m.subject, msgID: m.msgId, duplicate: acks[i]!.duplicate }));
      return acks;
    },
  };
  return { publisher, publishes };
}

/** Reads one labelled value of a counter from a prom-client metric's `get()` result. */
export function counterValue(metric: MetricObjectWithValues<MetricValue<string>> | undefined, labels: Record<string, string>): number {
  if (!metric) return 0;
  const hit = metric.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

/** A realistic `accounts.events.partner.created.v1` payload (the probe borrows accounts subjects). */
export function partnerCreated(tenantId: string, name: string): PartnerCreatedEvent {
  return { partner: { id: randomUUID(), tenantId, name, kind: 'reseller', region: null, contactEmail: null, createdAt: new Date().toISOString() } };
}

export interface HandledCall {
  messageId: string;
  tenantId: string | undefined;
  correlationId: string;
  traceId: string | undefined;
  name: string;
  attempt: number;
}

export interface ProbeConsumerOptions {
  name: string;
  subject?: EventSubject;
  maxDeliver?: number;
  ackWaitMs?: number;
  /** Runs inside the handler's transaction after its note was written; throw to fail the attempt. */
  after?: (call: HandledCall, em: EntityManager) => Promise<void> | void;
  /** Verify each event's signed context (as the kit's consumers do). */
  context?: ContextSigner;
}

export interface ProbeConsumer {
  consumer: EventConsumer<EventSubject>;
  /** Every handler invocation, failed attempts included. */
  calls: HandledCall[];
  /** Handler invocations per message id. */
  callsFor(messageId: string): number;
  /** Inbox rows of this consumer (read as superuser). */
  inboxCount(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A durable consumer of the probe: each handled event writes a note whose body is the
 * message id, in the same transaction as the inbox row.
 */
export async function startProbeConsumer(pn: ProbeNats, db: ProbeDb, o: ProbeConsumerOptions): Promise<ProbeConsumer> {
  const calls: HandledCall[] = [];
  const consumer = new EventConsumer<EventSubject>(pn.js, pn.jsm, db.uow, {
    name: o.name,
    subject: o.subject ?? 'accounts.events.partner.created.v1',
    schema: PROBE_SCHEMA,
    prefix: pn.prefix,
    maxDeliver: o.maxDeliver,
    ackWaitMs: o.ackWaitMs,
    context: o.context,
    handler: async (event, ctx, em) => {
      const attempt = calls.filter((c) => c.messageId === ctx.messageId).length + 1;
      const name = (event as Partial<PartnerCreatedEvent>).partner?.name ?? '';
      const call: HandledCall = { messageId: ctx.messageId, tenantId: ctx.tenantId, correlationId: ctx.correlationId, traceId: trace.getActiveSpan()?.spanContext().traceId, name, attempt };
      calls.push(call);
      await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, [randomUUID(), ctx.tenantId, `${o.name}:${ctx.messageId}:${attempt}`]);
      await o.after?.(call, em);
    },
  });
  await consumer.start();
  return {
    consumer,
    calls,
    callsFor: (messageId) => calls.filter((c) => c.messageId === messageId).length,
    inboxCount: async () => (await db.admin<{ n: number }>(`SELECT count(*)::int AS n FROM probe.inbox WHERE consumer = $1`, [o.name]))[0].n,
    stop: () => consumer.stop(),
  };
}
