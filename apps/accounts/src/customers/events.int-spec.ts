import { EventConsumer } from '@steward/messaging';
import { UnitOfWork } from '@steward/persistence';
import { expectEventually } from '@steward/testing';
import { AccountTierChangedEvent, Events, ProjectWentLiveEvent, Subjects } from '@steward/contracts';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  h = await startAccountsHarness('acevents');
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await h?.close();
});

/** A durable consumer on the accounts stream, the way another service would subscribe. */
async function consume<S extends keyof typeof Events.accounts>(name: string, event: S) {
  const received: unknown[] = [];
  const consumer = new EventConsumer(h.nats.jetstream(), await h.nats.jetstreamManager(), new UnitOfWork(h.runtime.dataSource), {
    name,
    subject: Events.accounts[event],
    schema: 'accounts',
    prefix: h.prefix,
    handler: async (payload) => {
      received.push(payload);
    },
  });
  await consumer.start();
  stops.push(() => consumer.stop());
  return received;
}

const lastMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

describe('accounts events', () => {
  it('delivers account tier changed (old tier, new tier, reason) to a consumer after revenue changes', async () => {
    const tierChanged = (await consume('test-tier-changed', 'accountTierChanged')) as AccountTierChangedEvent[];
    const t = await h.tenant();
    const big = await h.client.request(s.accountCreate, { name: 'Big Co' }, { context: t.admin });
    const small = await h.client.request(s.accountCreate, { name: 'Small Co' }, { context: t.admin });
    await h.client.request(
      s.revenueBatch,
      {
        records: [
          { accountId: big.id, month: lastMonth(), productRevenue: 900_00, serviceRevenue: 0, grossMargin: 300_00, currency: 'EUR' },
          { accountId: small.id, month: lastMonth(), productRevenue: 100_00, serviceRevenue: 0, grossMargin: 30_00, currency: 'EUR' },
        ],
      },
      { context: t.admin },
    );
    // 900 of 1000 = 90% ≥ 80% → Big is Tier 1; Small is all of the remaining revenue → Tier 2.
    await expectEventually(() => expect(tierChanged.filter((e) => e.accountId === big.id || e.accountId === small.id)).toHaveLength(2));
    expect(tierChanged.find((e) => e.accountId === big.id)).toEqual({ accountId: big.id, oldTier: 3, newTier: 1, reason: 'tier1-revenue', revenue12m: 900_00, currency: 'EUR' });
    expect(tierChanged.find((e) => e.accountId === small.id)).toMatchObject({ oldTier: 3, newTier: 2, reason: 'tier2-revenue' });
    // A re-tier that changes nothing emits nothing.
    const again = await h.client.request(s.retier, {}, { context: t.admin });
    expect(again.changed).toBe(0);
  });

  it('emits project went live exactly once when a project goes live', async () => {
    const wentLive = (await consume('test-went-live', 'projectWentLive')) as ProjectWentLiveEvent[];
    const t = await h.tenant();
    const acc = await h.client.request(s.accountCreate, { name: 'Live Co' }, { context: t.admin });
    const p = await h.client.request(s.projectCreate, { accountId: acc.id, name: 'Plant MES', kind: 'project', size: 'large', lead: 'vendor' }, { context: t.admin });
    await h.client.request(s.projectUpdate, { id: p.id, status: 'live' }, { context: t.admin });
    await h.client.request(s.projectUpdate, { id: p.id, delivered: 'MES + 2 lines' }, { context: t.admin });
    await expectEventually(() => expect(wentLive.filter((e) => e.project.id === p.id)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(wentLive.filter((e) => e.project.id === p.id)).toHaveLength(1);
  });
});
