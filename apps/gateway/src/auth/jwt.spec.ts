import { SignJWT } from 'jose';
import { AccessTokens } from './jwt';

const SECRET = 'x'.repeat(40);

describe('access tokens', () => {
  it('round-trips the claims', async () => {
    const tokens = new AccessTokens(SECRET, 900);
    const token = await tokens.sign({ userId: 'u1', tenantId: 't1', role: 'csm' });
    await expect(tokens.verify(token)).resolves.toEqual({ userId: 'u1', tenantId: 't1', role: 'csm' });
    // Served from the cache the second time, same answer.
    await expect(tokens.verify(token)).resolves.toEqual({ userId: 'u1', tenantId: 't1', role: 'csm' });
  });

  it.each([
    ['signed with another key', async () => new AccessTokens('y'.repeat(40), 900).sign({ userId: 'u', tenantId: 't', role: 'admin' })],
    ['expired', async () => new SignJWT({ tid: 't', role: 'admin', typ: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('steward').setAudience('steward-api').setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(SECRET))],
    ['not an access token', async () => new SignJWT({ tid: 't', role: 'admin', typ: 'refresh' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('steward').setAudience('steward-api').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))],
    ['an unknown role', async () => new SignJWT({ tid: 't', role: 'root', typ: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('steward').setAudience('steward-api').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))],
    ['garbage', async () => 'a.b.c'],
  ])('refuses a token %s', async (_name, make) => {
    const tokens = new AccessTokens(SECRET, 900);
    await expect(tokens.verify(await make())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('does not serve an expired token from the cache', async () => {
    const tokens = new AccessTokens(SECRET, 60);
    const token = await tokens.sign({ userId: 'u1', tenantId: 't1', role: 'viewer' });
    await tokens.verify(token);
    // Only the clock moves (2 minutes later); timers and microtasks stay real.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate'], now: Date.now() + 120_000 });
    try {
      await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });
    } finally {
      jest.useRealTimers();
    }
  });
});
