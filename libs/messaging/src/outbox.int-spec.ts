import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Events, HeaderNames } from '@steward/contracts';
import { shutdownTelemetry, startTelemetry } from '@steward/telemetry';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, expectEventually, sleep, TestDatabase, testEnv, testPrefix } from '@steward/testing';
import { Outbox, OutboxRelay, RelayOptions } from './outbox';
import { JetStreamPublisher, type StreamPublisher } from './stream-publisher';
import {
  migrateProbe,
  openProbeDb,
  openProbeNats,
  partnerCreated,
  PROBE_ROLES,
  PROBE_SCHEMA,
  ProbeConsumer,
  ProbeDb,
  ProbeNats,
  recordingPublisher,
  sqlOnce,
  startProbeConsumer,
  tenantContext,
} from './__fixtures__/probe';

const subject = Events.accounts.partnerCreated;
const exporter = new InMemorySpanExporter();
let db: TestDatabase;
let probe: ProbeDb;
const outbox = new Outbox(PROBE_SCHEMA);
const tenant = randomUUID();

// Everything a test starts, stopped in afterEach even when the test fails.
const relays: OutboxRelay[] = [];
const consumers: ProbeConsumer[] = [];
const natsConns: ProbeNats[] = [];

beforeAll(async () => {
  startTelemetry({ serviceName: 'probe', exporter });
  db = await createTestDatabase('probe_outbox');
  await migrateProbe(db.url);
  probe = await openProbeDb(db.url);
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await Promise.all(natsConns.splice(0).map((n) => n.close()));
  outbox.onWrite(() => undefined);
  await probe.admin(`DELETE FROM probe.outbox; DELETE FROM probe.inbox; DELETE FROM probe.notes`);
});

afterAll(async () => {
  await probe?.close();
  await db?.drop();
  await shutdownTelemetry();
});

async function nats(label: string): Promise<ProbeNats> {
  const n = await openProbeNats(testEnv.natsUrl, testPrefix(label));
  natsConns.push(n);
  return n;
}

function relay(n: ProbeNats, o: Partial<RelayOptions> = {}, publisher: StreamPublisher = new JetStreamPublisher(n.nc)): OutboxRelay {
  const r = new OutboxRelay(probe.relay, publisher, { schema: PROBE_SCHEMA, prefix: n.prefix, pollMs: 50, ...o });
  relays.push(r);
  return r;
}

async function consume(n: ProbeNats, name: string): Promise<ProbeConsumer> {
  const c = await startProbeConsumer(n, probe, { name });
  consumers.push(c);
  return c;
}

/** Commits `count` changes, each with its event, one transaction each; returns the outbox ids. */
async function commitEvents(count: number, label = 'p', tenantId = tenant): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await probe.uow.forTenant(tenantId, async (em) => {
        await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, $3)`, [randomUUID(), tenantId, `change ${label}${i}`]);
        return outbox.emit(em, subject, partnerCreated(tenantId, `${label}${i}`), tenantContext(tenantId));
      }),
    );
  }
  return ids;
}

const unsent = async () => (await probe.admin<{ n: number }>(`SELECT count(*)::int AS n FROM probe.outbox WHERE sent_at IS NULL`))[0].n;
const sentIds = async () => (await probe.admin<{ id: string }>(`SELECT id FROM probe.outbox WHERE sent_at IS NOT NULL ORDER BY id`)).map((r) => r.id);

describe('transactional outbox', () => {
  it('an event committed while no relay runs (killed between commit and publish) is published when a relay starts, and handled exactly once', async () => {
    const n = await nats('obkill');
    const consumer = await consume(n, 'probe.killed');
    // A relay that was running, wired to the outbox, then killed before the commit.
    const dead = relay(n);
    outbox.onWrite(dead.nudge);
    dead.start();
    await dead.stop();

    const ids = await commitEvents(3, 'k');
    await sleep(300);
    expect(await n.streamCount()).toBe(0);
    expect(consumer.calls).toHaveLength(0);
    expect(await unsent()).toBe(3);

    relay(n).start();
    await expectEventually(async () => {
      expect(consumer.calls.map((c) => c.messageId).sort()).toEqual([...ids].sort());
      expect(await consumer.inboxCount()).toBe(3);
    });
    expect(await sentIds()).toEqual([...ids].sort());
    // Give any second delivery a chance to show up.
    await sleep(1000);
    expect(consumer.calls).toHaveLength(3);
    for (const id of ids) expect(consumer.callsFor(id)).toBe(1);
    expect(await consumer.inboxCount()).toBe(3);
    expect(await n.streamCount()).toBe(3);
  });

  it('a relay crashing after publishing but before marking sent leaves rows unsent; the next relay republishes the same ids, which JetStream drops', async () => {
    const n = await nats('obcrash');
    const ids = await commitEvents(5, 'c');
    const crashed: string[] = [];
    const crashing = relay(n, {
      afterPublish: (published) => {
        crashed.push(...published);
        throw new Error('relay crashed before marking sent');
      },
    });
    await expect(crashing.drain()).rejects.toThrow('relay crashed before marking sent');
    expect([...crashed].sort()).toEqual([...ids].sort());
    expect(await unsent()).toBe(5);
    expect(await n.streamCount()).toBe(5);

    const consumer = await consume(n, 'probe.crash');
    const rec = recordingPublisher(n.nc);
    await expect(relay(n, {}, rec.publisher).drain()).resolves.toBe(5);
    expect(rec.publishes.map((p) => p.msgID).sort()).toEqual([...ids].sort());
    expect(rec.publishes.every((p) => p.duplicate)).toBe(true);
    expect(await unsent()).toBe(0);
    expect(await n.streamCount()).toBe(5);

    await expectEventually(async () => expect(await consumer.inboxCount()).toBe(5));
    await sleep(500);
    expect(consumer.calls).toHaveLength(5);
    for (const id of ids) expect(consumer.callsFor(id)).toBe(1);
  });

  it('an event written in a transaction that rolls back is never published', async () => {
    const n = await nats('obrollback');
    const consumer = await consume(n, 'probe.rollback');
    const r = relay(n);
    outbox.onWrite(r.nudge);
    r.start();

    let ghost = '';
    await expect(
      probe.uow.forTenant(tenant, async (em) => {
        await em.query(`INSERT INTO probe.notes (id, tenant_id, body) VALUES ($1, $2, 'ghost')`, [randomUUID(), tenant]);
        ghost = await outbox.emit(em, subject, partnerCreated(tenant, 'ghost'), tenantContext(tenant));
        throw new Error('use case failed after emitting');
      }),
    ).rejects.toThrow('use case failed after emitting');
    expect(ghost).not.toBe('');

    // A committed event after it: once that one is through, the ghost had every chance.
    const [marker] = await commitEvents(1, 'marker');
    await expectEventually(() => expect(consumer.callsFor(marker)).toBe(1));
    await sleep(300);
    expect(consumer.calls.map((c) => c.messageId)).toEqual([marker]);
    expect(consumer.callsFor(ghost)).toBe(0);
    expect(await n.streamCount()).toBe(1);
    expect(await probe.admin(`SELECT id FROM probe.outbox`)).toEqual([{ id: marker }]);
    expect(await probe.admin(`SELECT 1 FROM probe.notes WHERE body = 'ghost'`)).toEqual([]);
  });

  it('an in-process relay publishes right after the commit (nudge), not at its next poll, in commit order', async () => {
    const n = await nats('obnudge');
    const r = relay(n, { pollMs: 10_000 });
    outbox.onWrite(r.nudge);
    r.start();
    await expectEventually(async () => expect(await unsent()).toBe(0)); // its first poll is over
    await sleep(100);
    const ids: string[] = [];
    const latencies: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = Date.now();
      ids.push(...(await commitEvents(1, `n${i}-`)));
      await expectEventually(async () => expect(await n.streamCount()).toBe(i + 1), { timeoutMs: 3000, intervalMs: 5 });
      latencies.push(Date.now() - started);
    }
    expect(latencies.filter((ms) => ms > 1000)).toEqual([]);
    // Stream order is commit order.
    const inStream: string[] = [];
    for (let seq = 1; seq <= ids.length; seq++) inStream.push((await n.jsm.streams.getMessage(n.stream, { seq })).header.get(HeaderNames.natsMsgId));
    expect(inStream).toEqual(ids);
  });

  it('backs off while its polls find nothing (up to idlePollMaxMs), and still publishes a row no nudge announces within that', async () => {
    const n = await nats('obidle');
    const r = relay(n, { pollMs: 20, idlePollMaxMs: 300 });
    r.start();
    await expectEventually(async () => expect(await unsent()).toBe(0));
    // Every poll opens its claim transaction on a query runner of the relay's data source.
    const runners = jest.spyOn(probe.relay, 'createQueryRunner');
    await sleep(2_000);
    const idle = runners.mock.calls.length;
    runners.mockRestore();
    // Polling every 20 ms would have claimed about 100 times in 2 s; backed off to 300 ms, about
    // 10 (plus the gauges' query, at most once a second).
    expect(idle).toBeGreaterThan(2);
    expect(idle).toBeLessThan(25);
    const started = Date.now();
    await commitEvents(1, 'idle'); // no nudge reaches this relay
    await expectEventually(async () => expect(await n.streamCount()).toBe(1), { timeoutMs: 3000, intervalMs: 10 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('two relays side by side publish every row exactly once', async () => {
    const n = await nats('obconcurrent');
    const tenants = [tenant, randomUUID(), randomUUID()];
    const ids = (await Promise.all(tenants.map((t, i) => commitEvents(40, `t${i}-`, t)))).flat();
    expect(ids).toHaveLength(120);

    const a = recordingPublisher(n.nc);
    const b = recordingPublisher(n.nc);
    const [na, nb] = await Promise.all([relay(n, { batchSize: 10 }, a.publisher).drain(), relay(n, { batchSize: 10 }, b.publisher).drain()]);
    // Whatever one relay left for later (drain stops on a short batch), a running relay picks up.
    const rest = relay(n, { batchSize: 10 }, a.publisher);
    const nRest = await rest.drain();

    const published = [...a.publishes, ...b.publishes];
    expect(na + nb + nRest).toBe(120);
    expect(published).toHaveLength(120);
    expect(new Set(published.map((p) => p.msgID)).size).toBe(120);
    expect(published.filter((p) => p.duplicate)).toEqual([]);
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    expect(await unsent()).toBe(0);
    expect(await n.streamCount()).toBe(120);
  });

  it('publishes the envelope in headers: tenant, message id = outbox id = Nats-Msg-Id, correlation id, traceparent of the emitting request', async () => {
    const n = await nats('obheaders');
    const consumer = await consume(n, 'probe.headers');
    const correlationId = `corr-${randomUUID()}`;
    const tracer = trace.getTracer('outbox-spec');
    const { id, traceId } = await tracer.startActiveSpan('probe use case', async (span) => {
      try {
        const outboxId = await probe.uow.forTenant(tenant, (em) => outbox.emit(em, subject, partnerCreated(tenant, 'headers'), tenantContext(tenant, correlationId)));
        return { id: outboxId, traceId: span.spanContext().traceId };
      } finally {
        span.end();
      }
    });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    await relay(n).drain();

    const stored = await n.jsm.streams.getMessage(n.stream, { last_by_subj: n.prefix + subject });
    const h = stored.header;
    expect(h.get(HeaderNames.natsMsgId)).toBe(id);
    expect(h.get(HeaderNames.messageId)).toBe(id);
    expect(h.get(HeaderNames.tenantId)).toBe(tenant);
    expect(h.get(HeaderNames.correlationId)).toBe(correlationId);
    expect(JSON.parse(h.get(HeaderNames.actor))).toEqual({ kind: 'system', id: 'probe' });
    expect(h.get(HeaderNames.occurredAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(h.get(HeaderNames.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    expect(JSON.parse(new TextDecoder().decode(stored.data))).toMatchObject({ partner: { name: 'headers', tenantId: tenant } });

    // The consumer sees the same envelope and continues the same trace.
    await expectEventually(() => expect(consumer.calls).toHaveLength(1));
    expect(consumer.calls[0]).toMatchObject({ messageId: id, tenantId: tenant, correlationId, traceId, name: 'headers' });
    // The consumer's span ends just after the handler returns.
    await expectEventually(() => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['probe use case', `${subject} publish`, `${subject} process`]));
    });
  });
});

describe('outbox and inbox privileges (createOutboxAndInbox)', () => {
  const asRuntime = (sql: string, params?: unknown[]) => sqlOnce(db.url, PROBE_ROLES.app, sql, params);
  const other = randomUUID();

  it('the runtime role can write its own tenant\'s events but cannot read, change or delete the outbox', async () => {
    const insert = (t: string) => (em: { query: (sql: string, params?: unknown[]) => Promise<unknown> }) =>
      em.query(`INSERT INTO probe.outbox (id, tenant_id, subject, payload, headers) VALUES ($1, $2, 'x', '{}', '{}')`, [randomUUID(), t]);
    await expect(probe.uow.forTenant(tenant, insert(tenant))).resolves.toBeDefined();
    await expect(probe.uow.forTenant(tenant, insert(other))).rejects.toThrow(/row-level security/);
    await expect(probe.uow.forTenant(tenant, (em) => em.query(`SELECT * FROM probe.outbox`))).rejects.toThrow(/permission denied for table outbox/);
    await expect(asRuntime(`SELECT count(*) FROM probe.outbox`)).rejects.toThrow(/permission denied for table outbox/);
    await expect(probe.uow.forTenant(tenant, (em) => em.query(`UPDATE probe.outbox SET sent_at = now()`))).rejects.toThrow(/permission denied/);
    await expect(probe.uow.forTenant(tenant, (em) => em.query(`DELETE FROM probe.outbox`))).rejects.toThrow(/permission denied/);
    await expect(asRuntime(`ALTER TABLE probe.outbox DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
    expect(await probe.admin(`SELECT tenant_id FROM probe.outbox`)).toEqual([{ tenant_id: tenant }]);
  });

  it('the inbox is tenant-scoped for the runtime role; the relay role reads the outbox but no tenant table', async () => {
    await probe.admin(`INSERT INTO probe.inbox (consumer, message_id, tenant_id) VALUES ('c', 'm1', $1), ('c', 'm2', $2)`, [tenant, other]);
    await expect(probe.uow.forTenant(tenant, (em) => em.query(`SELECT message_id FROM probe.inbox`))).resolves.toEqual([{ message_id: 'm1' }]);
    await expect(asRuntime(`SELECT * FROM probe.inbox`)).resolves.toEqual([]);
    await expect(probe.uow.forTenant(tenant, (em) => em.query(`INSERT INTO probe.inbox (consumer, message_id, tenant_id) VALUES ('c', 'm3', $1)`, [other]))).rejects.toThrow(
      /row-level security/,
    );
    await expect(probe.relay.query(`SELECT count(*)::int AS n FROM probe.outbox`)).resolves.toEqual([{ n: 0 }]);
    await expect(probe.relay.query(`SELECT * FROM probe.notes`)).rejects.toThrow(/permission denied for table notes/);
    await expect(probe.relay.query(`SELECT * FROM probe.inbox`)).rejects.toThrow(/permission denied for table inbox/);
    const owners = await probe.admin<{ tableowner: string }>(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'probe'`);
    expect(owners).toEqual([{ tableowner: 'postgres' }]);
  });
});
