import { randomUUID } from 'node:crypto';
import type { StreamPublisher } from './stream-publisher';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, TestDatabase } from '@steward/testing';
import { OutboxRelay } from './outbox';
import { migrateProbe, openProbeDb, PROBE_SCHEMA, ProbeDb } from './__fixtures__/probe';

let db: TestDatabase;
let probe: ProbeDb;

beforeAll(async () => {
  db = await createTestDatabase('retention');
  await migrateProbe(db.url);
  probe = await openProbeDb(db.url);
});
afterAll(async () => {
  await probe?.close();
  await db?.drop();
});

describe('retention', () => {
  it('prunes sent outbox rows after a day and handled inbox ids after eight days, across tenants, keeping the rest', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const row = (tenant: string, sentAgo: string | null) =>
      probe.admin(`INSERT INTO probe.outbox (id, tenant_id, subject, payload, headers, sent_at) VALUES ($1, $2, 's', '{}', '{}', ${sentAgo ? `now() - interval '${sentAgo}'` : 'NULL'})`, [randomUUID(), tenant]);
    const handled = (tenant: string, ago: string, id: string) =>
      probe.admin(`INSERT INTO probe.inbox (consumer, message_id, tenant_id, handled_at) VALUES ('c', $1, $2, now() - interval '${ago}')`, [id, tenant]);
    await row(a, '2 days');
    await row(b, '2 days');
    await row(a, '1 hour');
    await row(b, null);
    await handled(a, '9 days', 'old-a');
    await handled(b, '9 days', 'old-b');
    await handled(a, '6 days', 'recent-a');

    // The relay never publishes here: prune is all we exercise.
    const relay = new OutboxRelay(probe.relay, {} as StreamPublisher, { schema: PROBE_SCHEMA, prefix: 'unused.' });
    await relay.prune(true);

    const outbox = await probe.admin<{ sent: boolean }>(`SELECT sent_at IS NOT NULL AS sent FROM probe.outbox ORDER BY sent`);
    expect(outbox).toEqual([{ sent: false }, { sent: true }]);
    const inbox = await probe.admin<{ message_id: string }>(`SELECT message_id FROM probe.inbox ORDER BY message_id`);
    expect(inbox).toEqual([{ message_id: 'recent-a' }]);
  });
});
