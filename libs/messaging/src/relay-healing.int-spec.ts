import { randomUUID } from 'node:crypto';
import { Events } from '@steward/contracts';
import { registry } from '@steward/telemetry';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, expectEventually, sleep, TestDatabase, testEnv, testPrefix } from '@steward/testing';
import { Outbox, OutboxRelay } from './outbox';
import { JetStreamPublisher } from './stream-publisher';
import { ensureStream } from './streams';
import { migrateProbe, openProbeDb, openProbeNats, partnerCreated, PROBE_SCHEMA, ProbeDb, ProbeNats, tenantContext } from './__fixtures__/probe';

// The relay heals itself (issue 14, item 2): a stream lost with NATS's store is recreated and
// what went to the lost stream is published again; a relay that cannot publish says so in its
// health report and metrics while it retries with back-off; pending and lag are measured
// whether or not publishing works.
const subject = Events.accounts.partnerCreated;
let db: TestDatabase;
let probe: ProbeDb;
let n: ProbeNats;
let relay: OutboxRelay | undefined;
const outbox = new Outbox(PROBE_SCHEMA);
const tenant = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('probe_healing');
  await migrateProbe(db.url);
  probe = await openProbeDb(db.url);
  n = await openProbeNats(testEnv.natsUrl, testPrefix('heal'));
});
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});
afterAll(async () => {
  await n?.close();
  await probe?.close();
  await db?.drop();
});

const commit = (label: string) => probe.uow.forTenant(tenant, (em) => outbox.emit(em, subject, partnerCreated(tenant, label), tenantContext(tenant)));
const gauge = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

function start(): OutboxRelay {
  relay = new OutboxRelay(probe.relay, new JetStreamPublisher(n.nc), {
    schema: PROBE_SCHEMA,
    prefix: n.prefix,
    pollMs: 50,
    ensureStream: () => ensureStream(n.jsm, n.prefix, 'accounts'),
    streamCreated: async () => (await n.jsm.streams.info(n.stream)).created,
  });
  outbox.onWrite(relay.nudge);
  relay.start();
  return relay;
}

describe('a relay that heals itself', () => {
  it('recreates a lost stream, publishes again what the lost stream held, and reports failing meanwhile', async () => {
    const r = start();
    const before = [await commit('a'), await commit('b')];
    await expectEventually(async () => expect(await n.streamCount()).toBe(2));
    await sleep(1_100); // the relay has seen the stream's creation time

    // The stream disappears (as when NATS restarts without its store).
    await n.jsm.streams.delete(n.stream);
    const after = await commit('c');
    // The relay fails to publish, backs off, recreates the stream and publishes a, b and c there.
    await expectEventually(
      async () => {
        const msgs = await n.jsm.streams.info(n.stream).then((i) => i.state.messages);
        expect(msgs).toBe(3);
      },
      { timeoutMs: 20_000 },
    );
    const ids: string[] = [];
    for (let seq = 1; seq <= 3; seq++) ids.push((await n.jsm.streams.getMessage(n.stream, { seq })).header.get('Nats-Msg-Id'));
    expect(ids.sort()).toEqual([...before, after].sort());
    await expectEventually(() => expect(r.health()).toEqual({ ok: true }));
    expect(await gauge('steward_outbox_publishing')).toBe(1);
    expect(await gauge('steward_outbox_publish_failures_total')).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it('measures pending and lag while it cannot publish, and reports failing with back-off (no retry per commit)', async () => {
    const r = new OutboxRelay(probe.relay, new JetStreamPublisher(n.nc), { schema: PROBE_SCHEMA, prefix: 'nowhere.', pollMs: 50 }); // no stream captures this prefix
    relay = r;
    outbox.onWrite(r.nudge);
    r.start();
    await commit('stuck-1');
    await expectEventually(() => expect(r.health()).toMatchObject({ ok: false, attempts: expect.any(Number) }), { timeoutMs: 10_000 });
    // Commits nudge the relay, but do not cut its back-off short.
    const attempts = (r.health() as { attempts: number }).attempts;
    for (let i = 0; i < 20; i++) await commit(`stuck-more-${i}`);
    await sleep(1_200);
    expect((r.health() as { attempts: number }).attempts - attempts).toBeLessThanOrEqual(3);
    await expectEventually(async () => {
      expect(await gauge('steward_outbox_pending')).toBeGreaterThanOrEqual(21);
      expect(await gauge('steward_outbox_lag_seconds')).toBeGreaterThan(0);
      expect(await gauge('steward_outbox_publishing')).toBe(0);
    });
    await probe.admin(`DELETE FROM probe.outbox WHERE sent_at IS NULL`);
  }, 30_000);
});
