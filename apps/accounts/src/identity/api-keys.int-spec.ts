import { ApiKeyRotatedEvent, ErrorCode, Events, StewardError, Subjects } from '@steward/contracts';
import { EventConsumer } from '@steward/messaging';
import { UnitOfWork } from '@steward/persistence';
import { fixedClock } from '@steward/service-kit';
import { expectEventually } from '@steward/testing';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
const HOUR = 3600_000;
// The service's clock: expiry and overlaps are decided by it, so the test moves time instead of waiting.
const clock = fixedClock(new Date());
let h: AccountsHarness;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  h = await startAccountsHarness('apikeys', { apiKeyRotation: { defaultOverlapSeconds: 24 * 3600, maxOverlapSeconds: 48 * 3600 } }, clock);
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await h?.close();
});

async function rejection(p: Promise<unknown>): Promise<StewardError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StewardError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

async function partnerOf() {
  const t = await h.tenant();
  const partner = await h.client.request(s.partnerCreate, { name: 'Contoso Integrators', kind: 'system-integrator' }, { context: t.admin });
  return { t, partner };
}

describe('API key scopes', () => {
  it('gives a key every scope unless the request names some, stores them in a fixed order and answers them on verify', async () => {
    const { t, partner } = await partnerOf();
    const full = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'full' }, { context: t.admin });
    const readOnly = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'reporting', scopes: ['read'] }, { context: t.admin });
    const both = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'both', scopes: ['write', 'read'] }, { context: t.admin });
    expect(full.apiKey.scopes).toEqual(['read', 'write']);
    expect(readOnly.apiKey.scopes).toEqual(['read']);
    expect(both.apiKey.scopes).toEqual(['read', 'write']);
    expect(await h.client.request(s.apiKeyVerify, { key: readOnly.key })).toMatchObject({ keyId: readOnly.apiKey.id, scopes: ['read'] });
  });

  it('refuses an empty, repeated or unknown scope, naming the field', async () => {
    const { t, partner } = await partnerOf();
    for (const scopes of [[], ['read', 'read'], ['admin']]) {
      const err = await rejection(h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'x', scopes: scopes as never }, { context: t.admin }));
      expect(err.code).toBe(ErrorCode.ValidationFailed);
      expect(err.details?.errors?.[0]?.field).toMatch(/^scopes/);
    }
  });

  it('keys issued before scopes existed keep full access (the migration default)', async () => {
    const { t, partner } = await partnerOf();
    const created = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'old' }, { context: t.admin });
    const [column] = await h.sqlAsRuntime<{ column_default: string }>(
      `SELECT column_default FROM information_schema.columns WHERE table_schema = 'accounts' AND table_name = 'api_keys' AND column_name = 'scopes'`,
    );
    expect(column?.column_default).toContain('{read,write}');
    expect((await h.client.request(s.apiKeyGet, { id: created.apiKey.id }, { context: t.admin })).scopes).toEqual(['read', 'write']);
  });
});

describe('API key rotation', () => {
  it('issues a new key with the same partner, name and scopes; the old one works until the overlap ends, then is refused; the list shows both with their expiry', async () => {
    const rotated: ApiKeyRotatedEvent[] = [];
    const consumer = new EventConsumer(h.nats.jetstream(), await h.nats.jetstreamManager(), new UnitOfWork(h.runtime.dataSource), {
      name: 'test-key-rotated',
      subject: Events.accounts.apiKeyRotated,
      schema: 'accounts',
      prefix: h.prefix,
      handler: async (payload) => {
        rotated.push(payload as ApiKeyRotatedEvent);
      },
    });
    await consumer.start();
    stops.push(() => consumer.stop());

    const { t, partner } = await partnerOf();
    const old = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'ERP sync', scopes: ['read'] }, { context: t.admin });
    const start = clock.now().getTime();
    const r = await h.client.request(s.apiKeyRotate, { id: old.apiKey.id, overlapSeconds: 3600 }, { context: t.admin });
    expect(r.key).not.toBe(old.key);
    expect(r.apiKey).toMatchObject({ partnerId: partner.id, name: 'ERP sync', scopes: ['read'], expiresAt: null, rotatedFromId: old.apiKey.id, replacedById: null });
    expect(r.previous).toMatchObject({ id: old.apiKey.id, replacedById: r.apiKey.id, expiresAt: new Date(start + HOUR).toISOString(), revokedAt: null });

    const listed = await h.client.request(s.apiKeyList, { partnerId: partner.id, limit: 10 }, { context: t.admin });
    expect(listed.items.map((k) => [k.id, k.expiresAt])).toEqual([
      [old.apiKey.id, new Date(start + HOUR).toISOString()],
      [r.apiKey.id, null],
    ]);

    // During the overlap both work.
    clock.advance(HOUR - 1000);
    await expect(h.client.request(s.apiKeyVerify, { key: old.key })).resolves.toMatchObject({ keyId: old.apiKey.id, expiresAt: new Date(start + HOUR).toISOString() });
    await expect(h.client.request(s.apiKeyVerify, { key: r.key })).resolves.toMatchObject({ keyId: r.apiKey.id, scopes: ['read'] });
    // After it, only the new one.
    clock.advance(1000);
    const refused = await rejection(h.client.request(s.apiKeyVerify, { key: old.key }));
    expect(refused.code).toBe(ErrorCode.Unauthenticated);
    expect(refused.message).toMatch(/rotated/);
    await expect(h.client.request(s.apiKeyVerify, { key: r.key })).resolves.toMatchObject({ keyId: r.apiKey.id });

    await expectEventually(() => expect(rotated.find((e) => e.previous.id === old.apiKey.id)).toMatchObject({ apiKey: { id: r.apiKey.id }, previous: { replacedById: r.apiKey.id } }));
    const audit = await h.client.request(s.auditList, { entityId: old.apiKey.id, limit: 10 }, { context: t.admin });
    expect(audit.items.map((a) => a.action)).toContain('api-key.rotated');
  });

  it('uses the configured default overlap (24 h), keeps an earlier expiry of the old key, and carries the old expiry to the new key unless told otherwise', async () => {
    const { t, partner } = await partnerOf();
    const now = clock.now().getTime();
    const plain = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'plain' }, { context: t.admin });
    const byDefault = await h.client.request(s.apiKeyRotate, { id: plain.apiKey.id }, { context: t.admin });
    expect(byDefault.previous.expiresAt).toBe(new Date(now + 24 * HOUR).toISOString());

    const soon = new Date(now + HOUR).toISOString();
    const expiring = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'expiring', expiresAt: soon }, { context: t.admin });
    const kept = await h.client.request(s.apiKeyRotate, { id: expiring.apiKey.id, overlapSeconds: 48 * 3600 }, { context: t.admin });
    expect(kept.previous.expiresAt).toBe(soon);
    expect(kept.apiKey.expiresAt).toBe(soon);

    const other = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'other', expiresAt: soon }, { context: t.admin });
    const forever = await h.client.request(s.apiKeyRotate, { id: other.apiKey.id, expiresAt: null }, { context: t.admin });
    expect(forever.apiKey.expiresAt).toBeNull();
  });

  it('refuses an overlap over the configured maximum, a key rotated already, a revoked key and an expired one', async () => {
    const { t, partner } = await partnerOf();
    const k = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'k' }, { context: t.admin });
    const tooLong = await rejection(h.client.request(s.apiKeyRotate, { id: k.apiKey.id, overlapSeconds: 48 * 3600 + 1 }, { context: t.admin }));
    expect(tooLong.code).toBe(ErrorCode.ValidationFailed);
    expect(tooLong.details?.errors?.[0]).toMatchObject({ field: 'overlapSeconds', rule: 'max' });

    await h.client.request(s.apiKeyRotate, { id: k.apiKey.id, overlapSeconds: 60 }, { context: t.admin });
    const twice = await rejection(h.client.request(s.apiKeyRotate, { id: k.apiKey.id }, { context: t.admin }));
    expect(twice.code).toBe(ErrorCode.Conflict);
    expect(twice.details?.errors?.[0]).toMatchObject({ field: 'path.id', rule: 'not-rotated' });

    const revoked = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'revoked' }, { context: t.admin });
    await h.client.request(s.apiKeyRevoke, { id: revoked.apiKey.id }, { context: t.admin });
    expect((await rejection(h.client.request(s.apiKeyRotate, { id: revoked.apiKey.id }, { context: t.admin }))).code).toBe(ErrorCode.Conflict);

    const expired = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'expired', expiresAt: new Date(clock.now().getTime() + 1000).toISOString() }, { context: t.admin });
    clock.advance(1000);
    expect((await rejection(h.client.request(s.apiKeyRotate, { id: expired.apiKey.id }, { context: t.admin }))).code).toBe(ErrorCode.Conflict);
  });

  it('is for admins only; revoking the new key does not touch the old one (each revocation is immediate)', async () => {
    const { t, partner } = await partnerOf();
    const k = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'k' }, { context: t.admin });
    const manager = h.as(t.tenantId, t.adminId, 'manager');
    expect((await rejection(h.client.request(s.apiKeyRotate, { id: k.apiKey.id }, { context: manager }))).code).toBe(ErrorCode.Forbidden);
    const r = await h.client.request(s.apiKeyRotate, { id: k.apiKey.id, overlapSeconds: 3600 }, { context: t.admin });
    await h.client.request(s.apiKeyRevoke, { id: r.apiKey.id }, { context: t.admin });
    expect((await rejection(h.client.request(s.apiKeyVerify, { key: r.key }))).code).toBe(ErrorCode.ApiKeyRevoked);
    await expect(h.client.request(s.apiKeyVerify, { key: k.key })).resolves.toMatchObject({ keyId: k.apiKey.id });
    await h.client.request(s.apiKeyRevoke, { id: k.apiKey.id }, { context: t.admin });
    expect((await rejection(h.client.request(s.apiKeyVerify, { key: k.key }))).code).toBe(ErrorCode.ApiKeyRevoked);
  });
});
