import { randomUUID } from 'node:crypto';
import { Events } from '@steward/contracts';
import { registry } from '@steward/telemetry';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, expectEventually, sleep, TestDatabase, testEnv, testPrefix } from '@steward/testing';
import { counterValue, migrateProbe, openProbeDb, openProbeNats, partnerCreated, ProbeConsumer, ProbeConsumerOptions, ProbeDb, ProbeNats, startProbeConsumer } from './__fixtures__/probe';

const subject = Events.accounts.partnerCreated;
let db: TestDatabase;
let probe: ProbeDb;
const tenant = randomUUID();

const consumers: ProbeConsumer[] = [];
const natsConns: ProbeNats[] = [];

beforeAll(async () => {
  db = await createTestDatabase('probe_inbox');
  await migrateProbe(db.url);
  probe = await openProbeDb(db.url);
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await Promise.all(natsConns.splice(0).map((n) => n.close()));
});

afterAll(async () => {
  await probe?.close();
  await db?.drop();
});

async function nats(label: string): Promise<ProbeNats> {
  const n = await openProbeNats(testEnv.natsUrl, testPrefix(label));
  natsConns.push(n);
  return n;
}

async function consume(n: ProbeNats, o: ProbeConsumerOptions): Promise<ProbeConsumer> {
  const c = await startProbeConsumer(n, probe, o);
  consumers.push(c);
  return c;
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const m = registry.getSingleMetric(name);
  return counterValue(m ? await m.get() : undefined, labels);
}

const notesOf = async (consumer: string, messageId: string) =>
  (await probe.admin<{ body: string }>(`SELECT body FROM probe.notes WHERE body LIKE $1 ORDER BY body`, [`${consumer}:${messageId}:%`])).map((r) => r.body);

describe('idempotent event consumer (inbox)', () => {
  it('a redelivered event (same message id, published twice past the duplicate window) is handled once', async () => {
    const n = await nats('ibdup');
    const name = `probe.dup-${randomUUID().slice(0, 8)}`;
    const consumer = await consume(n, { name });
    const messageId = randomUUID();
    // Two distinct Nats-Msg-Ids, so JetStream stores both: only the inbox can stop the second.
    await n.publishEvent(subject, partnerCreated(tenant, 'dup'), { messageId, tenantId: tenant, msgID: `${messageId}-a` });
    await n.publishEvent(subject, partnerCreated(tenant, 'dup'), { messageId, tenantId: tenant, msgID: `${messageId}-b` });
    expect(await n.streamCount()).toBe(2);

    // Both deliveries were processed: one handled, one recognised as a duplicate.
    await expectEventually(async () => {
      expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'handled' })).toBe(1);
      expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'duplicate' })).toBe(1);
    });
    expect(consumer.callsFor(messageId)).toBe(1);
    expect(await consumer.inboxCount()).toBe(1);
    expect(await notesOf(name, messageId)).toHaveLength(1);
    const info = await n.jsm.consumers.info(n.stream, consumer.consumer.durableName);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('a handler that throws on its first attempt is retried; only the successful attempt\'s writes land, once; redeliveries are counted', async () => {
    const n = await nats('ibretry');
    const name = `probe.retry-${randomUUID().slice(0, 8)}`;
    const redeliveriesBefore = await metric('steward_consumer_redeliveries_total', { consumer: name });
    const consumer = await consume(n, {
      name,
      after: (call) => {
        if (call.attempt === 1) throw new Error('transient failure after writing');
      },
    });
    const messageId = randomUUID();
    await n.publishEvent(subject, partnerCreated(tenant, 'retry'), { messageId, tenantId: tenant, msgID: messageId });

    await expectEventually(async () => expect(await consumer.inboxCount()).toBe(1));
    expect(consumer.calls.map((c) => c.attempt)).toEqual([1, 2]);
    // The first attempt wrote a note too, then threw: its transaction was rolled back.
    expect(await notesOf(name, messageId)).toEqual([`${name}:${messageId}:2`]);
    expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'failed' })).toBe(1);
    expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'handled' })).toBe(1);
    expect(await metric('steward_consumer_redeliveries_total', { consumer: name })).toBe(redeliveriesBefore + 1);

    await sleep(800);
    expect(consumer.calls).toHaveLength(2);
    expect(await notesOf(name, messageId)).toHaveLength(1);
    expect(await consumer.inboxCount()).toBe(1);
  });

  it('stopping and restarting the durable consumer resumes where it stopped, without re-handling', async () => {
    const n = await nats('ibrestart');
    const name = `probe.restart-${randomUUID().slice(0, 8)}`;
    const first = await consume(n, { name });
    const before = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of before) await n.publishEvent(subject, partnerCreated(tenant, 'before'), { messageId: id, tenantId: tenant, msgID: id });
    await expectEventually(() => expect(first.calls).toHaveLength(3));
    await expectEventually(async () => expect((await n.jsm.consumers.info(n.stream, first.consumer.durableName)).num_ack_pending).toBe(0));
    await first.stop();

    // Published while nobody consumes.
    const during = [randomUUID(), randomUUID()];
    for (const id of during) await n.publishEvent(subject, partnerCreated(tenant, 'during'), { messageId: id, tenantId: tenant, msgID: id });
    await sleep(300);
    expect(first.calls).toHaveLength(3);

    const started = Date.now();
    const second = await consume(n, { name });
    await expectEventually(() => expect(second.calls.map((c) => c.messageId).sort()).toEqual([...during].sort()), { timeoutMs: 20_000 });
    // Resumed promptly, not after an ack-wait timeout of lost in-flight messages.
    expect(Date.now() - started).toBeLessThan(5000);
    await sleep(800);
    expect(second.calls).toHaveLength(2);
    expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'duplicate' })).toBe(0);
    expect(await metric('steward_consumer_redeliveries_total', { consumer: name })).toBe(0);
    expect(await first.inboxCount()).toBe(5);
    const info = await n.jsm.consumers.info(n.stream, second.consumer.durableName);
    expect(info.delivered.consumer_seq).toBe(5);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('an event without a tenant header is never handled and does not block the ones behind it', async () => {
    const n = await nats('ibnotenant');
    const name = `probe.notenant-${randomUUID().slice(0, 8)}`;
    const consumer = await consume(n, { name, maxDeliver: 2 });
    await n.js.publish(n.prefix + subject, new TextEncoder().encode(JSON.stringify(partnerCreated(tenant, 'anon'))));
    const ok = randomUUID();
    await n.publishEvent(subject, partnerCreated(tenant, 'ok'), { messageId: ok, tenantId: tenant, msgID: ok });
    await expectEventually(() => expect(consumer.callsFor(ok)).toBe(1));
    await expectEventually(async () => expect(await metric('steward_consumer_messages_total', { consumer: name, outcome: 'terminated' })).toBe(1));
    expect(consumer.calls).toHaveLength(1);
  });
});
