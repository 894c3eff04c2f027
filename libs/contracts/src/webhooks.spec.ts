import { randomUUID } from 'node:crypto';
import { event } from './define';
import { eventDefinitions } from './registry';
import { accountOfEvent, deliverableEvent, webhookEventTypes } from './webhooks';
import { z } from 'zod';

/** Nouns of accounts' identity plumbing: never sent outside the platform. */
const IDENTITY_NOUNS = ['tenant', 'user', 'partner', 'api-key'];

describe('webhook event types', () => {
  const types = webhookEventTypes();
  const byType = new Map(types.map((t) => [t.type, t]));

  it('are every public event the services emit, derived from the registry (the list a partner sees in GET /v1/webhooks/event-types)', () => {
    // Printed so a reviewer sees what leaves the platform; new public events appear here without code changes.
    console.log(`deliverable webhook event types (${types.length}):\n${types.map((t) => `  ${t.type}${t.partners ? '' : '  (tenants only)'}`).join('\n')}`);
    expect(types.filter((t) => t.service === 'accounts').map((t) => [t.type, t.partners])).toEqual([
      ['accounts.events.account.created.v1', true],
      ['accounts.events.account.updated.v1', true],
      ['accounts.events.account.deleted.v1', true],
      ['accounts.events.account.restored.v1', true],
      ['accounts.events.account.tier-changed.v1', true],
      ['accounts.events.contact.created.v1', true],
      ['accounts.events.contact.updated.v1', true],
      ['accounts.events.contact.deleted.v1', true],
      ['accounts.events.project.created.v1', true],
      ['accounts.events.project.updated.v1', true],
      ['accounts.events.project.deleted.v1', true],
      ['accounts.events.project.went-live.v1', true],
      ['accounts.events.revenue.changed.v1', false],
    ]);
  });

  it('never include identity events (users, partners, API keys, tenants)', () => {
    const identity = [...eventDefinitions().keys()].filter((s) => s.startsWith('accounts.events.') && IDENTITY_NOUNS.includes(s.split('.')[2]!));
    expect(identity.length).toBeGreaterThanOrEqual(6);
    for (const subject of identity) {
      expect({ subject, deliverable: byType.has(subject) }).toEqual({ subject, deliverable: false });
      expect(deliverableEvent(subject)).toBeUndefined();
    }
  });

  it('include every event of every other service unless it is marked internal (the default is public)', () => {
    for (const [subject, def] of eventDefinitions()) {
      if (subject.startsWith('accounts.')) continue;
      expect({ subject, deliverable: byType.has(subject) }).toEqual({ subject, deliverable: def.webhooks.audience !== 'internal' });
    }
    expect(types.some((t) => t.service !== 'accounts')).toBe(true);
  });
});

describe('the account an event is about', () => {
  const plain = { webhooks: {} };
  const a = randomUUID();
  const b = randomUUID();

  it.each([
    ['a top-level accountId', { accountId: a, oldTier: 'T1' }, a],
    ['an account', { account: { id: a, leadPartnerId: null } }, a],
    ['a nested accountId (a contact, a project, a ticket)', { contact: { id: b, accountId: a } }, a],
    ['the same account twice', { accountId: a, ticket: { accountId: a } }, a],
    ['two different accounts', { accountId: a, ticket: { accountId: b } }, null],
    ['none', { sample: { id: a } }, null],
    ['an array of rows (several accounts)', { records: [{ accountId: a }, { accountId: b }] }, null],
    ['not an object', 'x', null],
  ])('is found in %s', (_what, payload, expected) => {
    expect(accountOfEvent(plain, payload)).toBe(expected);
  });

  it("is the event's own when it declares how to find it", () => {
    const def = event('thing.happened.v1', z.object({ target: z.object({ customer: z.string() }) }), 'x', { accountOf: (p) => p.target.customer });
    expect(accountOfEvent(def, { target: { customer: a } })).toBe(a);
  });
});
