import { randomUUID } from 'node:crypto';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// Idempotency-Key outcomes are decided by the service that does the write, in the write's
// transaction (ADR 8): a gateway timeout, a retry racing the first request or another
// credential replaying the key can never run the write twice or leak its result.
const RPC_TIMEOUT_MS = 1500;
let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2eidem', { env: { gateway: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } } });
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const count = async (sql: string, params: unknown[]): Promise<number> => Number((await h.sql<{ n: unknown }>(sql, params))[0]!.n);

describe('Idempotency-Key, decided in the service', () => {
  it('a write that outlives the gateway timeout is not run again by the retry: the retry gets the stored reply', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    const body = { name: `Slow ${key.slice(0, 6)}`, kind: 'reseller' };
    const accounts = h.platform.procs.accounts!;
    process.kill(accounts.pid, 'SIGSTOP');
    let first;
    try {
      first = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body);
    } finally {
      process.kill(accounts.pid, 'SIGCONT');
    }
    expect(first.status).toBe(504);
    // The paused service answers the request it had received once it runs again.
    let retry;
    for (let i = 0; i < 40; i++) {
      retry = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body);
      if (retry.status === 201) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(retry!.status).toBe(201);
    const again = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry!.body);
    expect(await count(`SELECT count(*) AS n FROM accounts.partners WHERE name = $1`, [body.name])).toBe(1);
  });

  it('ten concurrent requests with one key write once and all get the same reply', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    const body = { name: `Burst ${key.slice(0, 6)}`, kind: 'dealer' };
    const replies = await Promise.all(Array.from({ length: 10 }, () => h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send(body)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(await count(`SELECT count(*) AS n FROM accounts.partners WHERE name = $1`, [body.name])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM accounts.outbox WHERE subject LIKE '%partner.created%' AND payload->'partner'->>'name' = $1`, [body.name])).toBe(1);
  });

  it("is scoped per credential: another partner replaying a partner's key and body gets its own write, never the other's account", async () => {
    const t = await h.tenant();
    const keyOf = async (name: string) => {
      const partner = await h.http().post('/v1/partners').set(bearer(t.token)).send({ name, kind: 'reseller' }).expect(201);
      const key = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(bearer(t.token)).send({ name: 'k' }).expect(201);
      return { partnerId: partner.body.id as string, apiKey: key.body.key as string };
    };
    const a = await keyOf('Partner A');
    const b = await keyOf('Partner B');
    const key = randomUUID();
    const body = { name: `Shared key ${key.slice(0, 6)}` };
    const mine = await h.http().post('/v1/accounts').set('x-api-key', a.apiKey).set('idempotency-key', key).send(body).expect(201);
    const theirs = await h.http().post('/v1/accounts').set('x-api-key', b.apiKey).set('idempotency-key', key).send(body).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.leadPartnerId).toBe(b.partnerId);
    // B still cannot read A's account.
    await h.http().get(`/v1/accounts/${mine.body.id}`).set('x-api-key', b.apiKey).expect(404);
  });

  it('refuses the same key with another body (422 naming the header) and keeps the first outcome', async () => {
    const t = await h.tenant();
    const key = randomUUID();
    const first = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send({ name: 'One', kind: 'reseller' }).expect(201);
    const other = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send({ name: 'Two', kind: 'reseller' }).expect(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'Idempotency-Key', rule: 'same-request' }] });
    const again = await h.http().post('/v1/partners').set(bearer(t.token)).set('idempotency-key', key).send({ name: 'One', kind: 'reseller' }).expect(201);
    expect(again.body.id).toBe(first.body.id);
  });
});
