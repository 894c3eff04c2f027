import { randomBytes, randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { ApiKeyDto, Events, EventSubject, Subjects, UserDto } from '@steward/contracts';
import { connectNats, ContextSigner, encode, ensureStream, RpcClient, RpcServer, writeHeaders } from '@steward/messaging';
import { registry } from '@steward/telemetry';
import { expectEventually, sleep, testEnv, testPrefix } from '@steward/testing';
import { ApiKeyVerifier } from './api-keys';
import { IdentityFeed } from './identity-feed';

const KEYS = { current: randomBytes(32).toString('base64url') };
const TENANT = randomUUID();
let nc: NatsConnection;
const prefix = testPrefix('idfeed');
const feeds: IdentityFeed[] = [];
let server: RpcServer;
let verifyCalls = 0;

const keyDto = (id: string): ApiKeyDto => ({
  id,
  partnerId: PARTNER,
  name: 'k',
  prefix: 'stw_AAAA',
  scopes: ['read', 'write'],
  createdAt: new Date().toISOString(),
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  rotatedFromId: null,
  replacedById: null,
});

beforeAll(async () => {
  nc = await connectNats({ url: testEnv.natsUrl, name: 'steward-identity-feed-test' });
  await ensureStream(await nc.jetstreamManager(), prefix, 'accounts');
  // Stands in for accounts' api-key.verify.v1: every key is valid, each call counted.
  server = new RpcServer(nc, prefix, 'accounts', { context: new ContextSigner(KEYS) });
  server.handle(Subjects.accounts.apiKeyVerify, async () => {
    verifyCalls++;
    return { tenantId: TENANT, partnerId: PARTNER, keyId: KEY_ID, name: 'k', expiresAt: null, scopes: ['read', 'write'] };
  });
});
afterAll(async () => {
  await Promise.all(feeds.map((f) => f.stop()));
  await server?.close();
  await (await nc.jetstreamManager()).streams.delete(`STEWARD_${prefix.replace(/[^A-Za-z0-9]+/g, '_')}ACCOUNTS`.toUpperCase()).catch(() => false);
  await nc?.close();
});

const PARTNER = randomUUID();
const KEY_ID = randomUUID();

function user(overrides: Partial<UserDto> = {}): UserDto {
  const at = new Date().toISOString();
  return { id: randomUUID(), tenantId: TENANT, email: 'u@example.test', name: 'U', role: 'manager', active: true, createdAt: at, updatedAt: at, ...overrides };
}

/** Publishes an accounts event the way accounts' relay does: envelope headers, signed (or not). */
async function publish(subject: EventSubject, payload: unknown, signer: ContextSigner | null = new ContextSigner(KEYS)): Promise<void> {
  const headers = writeHeaders({ messageId: randomUUID(), tenantId: TENANT, actor: { kind: 'system', id: 'accounts' }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
  const data = encode(payload);
  signer?.sign(prefix + subject, headers, data);
  await nc.jetstream().publish(prefix + subject, data, { headers });
}

function feed(apiKeys = new ApiKeyVerifier(new RpcClient(nc, prefix, 2000, new ContextSigner(KEYS)), 60_000)): { feed: IdentityFeed; apiKeys: ApiKeyVerifier } {
  const f = new IdentityFeed(nc.jetstream(), new ContextSigner(KEYS), apiKeys, { prefix, accessTokenTtlMs: 15 * 60_000 });
  feeds.push(f);
  f.start();
  return { feed: f, apiKeys };
}

const claims = (u: UserDto, role: UserDto['role'] = u.role) => ({ userId: u.id, tenantId: u.tenantId, role });

async function rejectedEvents(reason: string): Promise<number> {
  const m = await registry.getSingleMetric('steward_context_rejected_total')?.get();
  return m?.values.find((v) => v.labels.kind === 'event' && v.labels.reason === reason)?.value ?? 0;
}

describe('the gateway identity feed', () => {
  it('replays recent user changes when it starts (a gateway restart forgets nothing) and reports ready once it has caught up', async () => {
    const deactivated = user({ active: false });
    const demoted = user({ role: 'viewer' });
    await publish(Events.accounts.userUpdated, { user: deactivated });
    await publish(Events.accounts.userUpdated, { user: demoted });
    const { feed: f } = feed();
    await expectEventually(() => f.readiness());
    expect(f.check(claims(deactivated))).toBe('deactivated');
    expect(f.check(claims(demoted, 'manager'))).toBe('role-changed');
    expect(f.check(claims(demoted, 'viewer'))).toBe('ok');
    // Someone the feed knows nothing about: their token's role stands.
    const unknown = user();
    expect(f.check(claims(unknown))).toBe('ok');
  });

  it('applies live changes in order of their state, never letting an older event undo a newer one', async () => {
    const { feed: f } = feed();
    await expectEventually(() => f.readiness());
    const u = user({ role: 'admin' });
    const newer = { ...u, role: 'viewer' as const, updatedAt: new Date(Date.now() + 1000).toISOString() };
    await publish(Events.accounts.userUpdated, { user: newer });
    await publish(Events.accounts.userUpdated, { user: u }); // delivered later, but older
    await expectEventually(() => expect(f.check(claims(u, 'admin'))).toBe('role-changed'));
    await sleep(100);
    expect(f.check(claims(u, 'viewer'))).toBe('ok');
  });

  it('skips and counts events whose context is unsigned or signed with another key', async () => {
    const { feed: f } = feed();
    await expectEventually(() => f.readiness());
    const before = { unsigned: await rejectedEvents('unsigned'), bad: await rejectedEvents('bad-signature') };
    const victim = user({ active: false });
    await publish(Events.accounts.userUpdated, { user: victim });
    await expectEventually(() => expect(f.check(claims(victim))).toBe('deactivated'));
    // Forged "reactivations", newer than the real state.
    const forged = { user: { ...victim, active: true, updatedAt: new Date(Date.now() + 60_000).toISOString() } };
    await publish(Events.accounts.userUpdated, forged, null);
    await publish(Events.accounts.userUpdated, forged, new ContextSigner({ current: randomBytes(32).toString('base64url') }));
    await expectEventually(async () => {
      // Every running feed of this file sees them: at least one count each.
      expect(await rejectedEvents('unsigned')).toBeGreaterThan(before.unsigned);
      expect(await rejectedEvents('bad-signature')).toBeGreaterThan(before.bad);
    });
    expect(f.check(claims(victim))).toBe('deactivated');
  });

  it('resumes after the stream is deleted and created again (NATS restarted without its store)', async () => {
    const { feed: f } = feed();
    await expectEventually(() => f.readiness());
    const jsm = await nc.jetstreamManager();
    const stream = `STEWARD_${prefix.replace(/[^A-Za-z0-9]+/g, '_')}ACCOUNTS`.toUpperCase();
    await jsm.streams.delete(stream);
    await ensureStream(jsm, prefix, 'accounts');
    const u = user({ active: false });
    await publish(Events.accounts.userUpdated, { user: u });
    await expectEventually(() => expect(f.check(claims(u))).toBe('deactivated'), { timeoutMs: 20_000 });
  }, 30_000);

  it('forgets a cached API key when its revocation event arrives', async () => {
    const { apiKeys } = feed();
    const key = `stw_${'A'.repeat(43)}_${'B'.repeat(43)}`;
    const calls = verifyCalls;
    await apiKeys.verify(key);
    await apiKeys.verify(key);
    expect(verifyCalls).toBe(calls + 1);
    const revoked: ApiKeyDto = { ...keyDto(KEY_ID), revokedAt: new Date().toISOString() };
    await sleep(200); // the api-key feed starts from new events only
    await publish(Events.accounts.apiKeyRevoked, { apiKey: revoked });
    await expectEventually(() => expect(apiKeys.cached(key)).toBe(false));
    await apiKeys.verify(key);
    expect(verifyCalls).toBe(calls + 2);
  });

  it('forgets a cached API key when its rotation event arrives (its expiry is now the end of the overlap)', async () => {
    const { apiKeys } = feed();
    const key = `stw_${'A'.repeat(43)}_${'C'.repeat(43)}`;
    const calls = verifyCalls;
    await apiKeys.verify(key);
    expect(apiKeys.cached(key)).toBe(true);
    await sleep(200); // the api-key feeds start from new events only
    const successor = randomUUID();
    await publish(Events.accounts.apiKeyRotated, {
      apiKey: { ...keyDto(successor), rotatedFromId: KEY_ID },
      previous: { ...keyDto(KEY_ID), replacedById: successor, expiresAt: new Date(Date.now() + 1000).toISOString() },
    });
    await expectEventually(() => expect(apiKeys.cached(key)).toBe(false));
    await apiKeys.verify(key);
    expect(verifyCalls).toBe(calls + 2);
  });
});
