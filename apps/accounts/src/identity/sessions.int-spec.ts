import { ErrorCode, SessionResponse, StewardError, Subjects } from '@steward/contracts';
import { makeEmail } from '@steward/testing';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;

beforeAll(async () => {
  h = await startAccountsHarness('sessions');
});
afterAll(async () => {
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

/** A tenant with one agent who has logged in twice (two sessions, two refresh-token families). */
async function agentWithTwoSessions() {
  const t = await h.tenant();
  const email = makeEmail();
  const password = 'agent password 1';
  const agent = await h.client.request(s.userCreate, { email, name: 'Agent', role: 'agent', password }, { context: t.admin });
  const login = () => h.client.request(s.authLogin, { email, password });
  return { t, agent, first: await login(), second: await login() };
}

const refresh = (session: Pick<SessionResponse, 'refreshToken'>) => h.client.request(s.authRefresh, { refreshToken: session.refreshToken });

describe('refresh-token families', () => {
  it('reuse of a rotated token revokes its whole family: the thief and the owner both lose that session, other sessions live on, and the reuse is audited', async () => {
    const { t, agent, first, second } = await agentWithTwoSessions();
    const rotated = await refresh(first); // the owner rotates: `first` is now used
    const current = await refresh(rotated); // and again: `rotated` is used, `current` is live

    // Someone presents the stolen, already used first token.
    expect((await rejection(refresh(first))).code).toBe(ErrorCode.Unauthenticated);
    // The family is gone: the latest token of that session no longer works either.
    expect((await rejection(refresh(current))).code).toBe(ErrorCode.Unauthenticated);
    // The other login (its own family) is untouched.
    await expect(refresh(second)).resolves.toMatchObject({ user: { id: agent.id } });

    const audit = await h.client.request(s.auditList, { entityType: 'user', entityId: agent.id, limit: 50 }, { context: t.admin });
    expect(audit.items.map((e) => e.action)).toContain('session.token-reused');
    // The reuse of `first` revoked the one live token of its family (`current`); presenting
    // `current` afterwards is itself a reuse, with nothing left to revoke.
    const reuses = audit.items.filter((e) => e.action === 'session.token-reused').map((e) => e.after);
    expect(reuses).toEqual([expect.objectContaining({ revokedTokens: 0 }), expect.objectContaining({ revokedTokens: 1 })]);
  });

  it('a second reuse finds nothing left to revoke and is still refused', async () => {
    const { first } = await agentWithTwoSessions();
    await refresh(first);
    expect((await rejection(refresh(first))).code).toBe(ErrorCode.Unauthenticated);
    expect((await rejection(refresh(first))).code).toBe(ErrorCode.Unauthenticated);
  });

  it('two refreshes racing with one token end that session (one of them is a reuse)', async () => {
    const { first, second, agent } = await agentWithTwoSessions();
    const results = await Promise.allSettled([refresh(first), refresh(first)]);
    const won = results.filter((r): r is PromiseFulfilledResult<SessionResponse> => r.status === 'fulfilled');
    expect(won.length).toBeLessThanOrEqual(1);
    for (const w of won) expect((await rejection(refresh(w.value))).code).toBe(ErrorCode.Unauthenticated);
    await expect(refresh(second)).resolves.toMatchObject({ user: { id: agent.id } });
  });

  it('logout ends the whole session: a token rotated earlier in it cannot come back', async () => {
    const { first, second, agent } = await agentWithTwoSessions();
    const rotated = await refresh(first);
    expect(await h.client.request(s.authLogout, { refreshToken: rotated.refreshToken })).toEqual({ revoked: true });
    expect((await rejection(refresh(rotated))).code).toBe(ErrorCode.Unauthenticated);
    expect((await rejection(refresh(first))).code).toBe(ErrorCode.Unauthenticated);
    await expect(refresh(second)).resolves.toMatchObject({ user: { id: agent.id } });
  });

  it('deactivating a user revokes all their sessions, which stay revoked after a reactivation', async () => {
    const { t, agent, first, second } = await agentWithTwoSessions();
    await h.client.request(s.userUpdate, { id: agent.id, active: false }, { context: t.admin });
    await h.client.request(s.userUpdate, { id: agent.id, active: true }, { context: t.admin });
    expect((await rejection(refresh(first))).code).toBe(ErrorCode.Unauthenticated);
    expect((await rejection(refresh(second))).code).toBe(ErrorCode.Unauthenticated);
  });
});

describe('API key verification', () => {
  it('answers when the key expires, so the gateway never caches it past that', async () => {
    const t = await h.tenant();
    const partner = await h.client.request(s.partnerCreate, { name: 'P', kind: 'reseller' }, { context: t.admin });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const withExpiry = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'expiring', expiresAt }, { context: t.admin });
    const forever = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'forever' }, { context: t.admin });
    expect(await h.client.request(s.apiKeyVerify, { key: withExpiry.key })).toMatchObject({ keyId: withExpiry.apiKey.id, partnerId: partner.id, expiresAt });
    expect(await h.client.request(s.apiKeyVerify, { key: forever.key })).toMatchObject({ keyId: forever.apiKey.id, expiresAt: null });
  });
});
