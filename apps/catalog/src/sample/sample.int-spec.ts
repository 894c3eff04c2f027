import { randomUUID } from 'node:crypto';
import { ErrorCode, Events, StewardError, Subjects } from '@steward/contracts';
import { streamName } from '@steward/messaging';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import type { CatalogSettings } from '../config';
import { catalogService } from '../service';

const s = Subjects.catalog;
let h: ServiceHarness<CatalogSettings>;

beforeAll(async () => {
  h = await startServiceHarness(catalogService, 'catalogsample', { settings: {} });
});
afterAll(async () => {
  await h?.close();
});

describe('catalog sample feature, through its NATS contract', () => {
  it('creates a sample, lists it, and publishes sample.created once', async () => {
    const tenant = randomUUID();
    const admin = h.as(tenant, randomUUID(), 'admin');
    const created = await h.client.request(s.sampleCreate, { label: '  First   sample ' }, { context: admin });
    expect(created).toMatchObject({ label: 'First sample', createdBy: `user:${admin.actor.id}` });
    const page = await h.client.request(s.sampleList, { limit: 50 }, { context: h.as(tenant, randomUUID(), 'viewer') });
    expect(page.items.map((x) => x.id)).toEqual([created.id]);

    await h.runtime.relay.drain();
    const jsm = await h.nats.jetstreamManager();
    const stored = await jsm.streams.getMessage(streamName(h.prefix, 'catalog'), { last_by_subj: h.prefix + Events.catalog.sampleCreated });
    expect(JSON.parse(new TextDecoder().decode(stored.data))).toEqual({ sample: created });
  });

  it("never shows one tenant another tenant's samples", async () => {
    const a = randomUUID();
    const b = randomUUID();
    await h.client.request(s.sampleCreate, { label: 'Only for A' }, { context: h.as(a, randomUUID(), 'admin') });
    const seen = await h.client.request(s.sampleList, { limit: 50 }, { context: h.as(b, randomUUID(), 'admin') });
    expect(seen.items).toEqual([]);
    // Row-level security, not a WHERE clause: with no tenant set the runtime role sees nothing.
    expect(await h.sqlAsRuntime('SELECT id FROM catalog.samples')).toEqual([]);
  });

  it('answers a broken domain rule with VALIDATION_FAILED naming the field and rule, and a viewer with FORBIDDEN', async () => {
    const tenant = randomUUID();
    const bad = await h.client.request(s.sampleCreate, { label: '12345' }, { context: h.as(tenant, randomUUID(), 'admin') }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StewardError);
    expect((bad as StewardError).code).toBe(ErrorCode.ValidationFailed);
    expect((bad as StewardError).details?.errors).toEqual([{ field: 'label', rule: 'label-not-descriptive', message: 'must contain at least one letter' }]);
    const denied = await h.client.request(s.sampleCreate, { label: 'Nope' }, { context: h.as(tenant, randomUUID(), 'viewer') }).catch((e: unknown) => e);
    expect((denied as StewardError).code).toBe(ErrorCode.Forbidden);
  });
});
