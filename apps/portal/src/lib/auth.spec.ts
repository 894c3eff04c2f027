import { SessionStore } from './auth';
import { SESSION_KEY, type AccessSession } from './session';

const T0 = Date.parse('2026-06-01T08:00:00Z');
const user = { id: '0b8f3a4e-5d55-4f3c-9a55-7a3b3c9d2e11', tenantId: '1b8f3a4e-5d55-4f3c-9a55-7a3b3c9d2e11', email: 'csm@x.test', name: 'Chris', role: 'csm', active: true, createdAt: '2026-01-01T00:00:00Z' } as AccessSession['user'];
const tenant = { id: user.tenantId, name: 'Acme', slug: 'acme', createdAt: '2026-01-01T00:00:00Z' };
const answer = (n: number): AccessSession => ({ user, tenant, accessToken: `access-${n}`, refreshToken: `refresh-token-${n}`, refreshExpiresAt: '2026-07-01T00:00:00.000Z', tokenType: 'Bearer', expiresIn: 900 });

/** A gateway that answers login/refresh/logout and one API route, recording what it was sent. */
function fakeGateway() {
  let issued = 0;
  const calls: Array<{ path: string; auth: string | null; body: unknown }> = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' } });
  const state = { refreshFails: false, meStatus: 200 };
  const fetch = async (req: Request) => {
    const path = new URL(req.url).pathname;
    const body = req.method === 'GET' ? undefined : await req.json();
    calls.push({ path, auth: req.headers.get('authorization'), body });
    if (path === '/v1/auth/login') return json(200, answer(++issued));
    if (path === '/v1/auth/refresh') return state.refreshFails ? json(401, { type: 'about:blank', title: 'Unauthenticated', status: 401, code: 'UNAUTHENTICATED', detail: 'expired' }) : json(200, answer(++issued));
    if (path === '/v1/auth/logout') return json(200, { revoked: true });
    if (path === '/v1/me') return state.meStatus === 200 ? json(200, user) : json(state.meStatus, { type: 'about:blank', title: 'x', status: state.meStatus, code: 'UNAUTHENTICATED', detail: 'x' });
    return json(404, {});
  };
  return { fetch, calls, state };
}

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), map: m };
}

describe('the session store', () => {
  let now = T0;
  beforeEach(() => {
    now = T0;
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => jest.useRealTimers());

  it('signs in, stores the session for other tabs, and sends the access token on API calls', async () => {
    const gw = fakeGateway();
    const storage = memoryStorage();
    const store = new SessionStore(storage, 'http://portal.test', () => now, gw.fetch);
    await store.signIn('csm@x.test', 'secret-password');
    expect(JSON.parse(storage.getItem(SESSION_KEY)!)).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-token-1' });
    await store.api.GET('/v1/me');
    expect(gw.calls.at(-1)).toMatchObject({ path: '/v1/me', auth: 'Bearer access-1' });
    expect(gw.calls[0].auth).toBeNull();
  });

  it('refreshes at 80% of the token life (12 of 15 minutes), before it expires', async () => {
    const gw = fakeGateway();
    const store = new SessionStore(memoryStorage(), 'http://portal.test', () => now, gw.fetch);
    await store.signIn('csm@x.test', 'secret-password');
    now = T0 + 11 * 60_000;
    await jest.advanceTimersByTimeAsync(11 * 60_000);
    expect(gw.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(0);
    now = T0 + 12 * 60_000;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(gw.calls.filter((c) => c.path === '/v1/auth/refresh')).toEqual([{ path: '/v1/auth/refresh', auth: null, body: { refreshToken: 'refresh-token-1' } }]);
    expect(store.current()?.accessToken).toBe('access-2');
  });

  it('a call made with an expired token refreshes first, once, however many calls wait', async () => {
    const gw = fakeGateway();
    const store = new SessionStore(memoryStorage(), 'http://portal.test', () => now, gw.fetch);
    await store.signIn('csm@x.test', 'secret-password');
    now = T0 + 16 * 60_000; // the laptop slept: the timer did not fire
    await Promise.all([store.api.GET('/v1/me'), store.api.GET('/v1/me'), store.api.GET('/v1/me')]);
    expect(gw.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(1);
    expect(gw.calls.filter((c) => c.path === '/v1/me').map((c) => c.auth)).toEqual(['Bearer access-2', 'Bearer access-2', 'Bearer access-2']);
  });

  it('a refused refresh ends the session (expired); a 401 on a call ends it (revoked)', async () => {
    const gw = fakeGateway();
    const storage = memoryStorage();
    const store = new SessionStore(storage, 'http://portal.test', () => now, gw.fetch);
    await store.signIn('csm@x.test', 'secret-password');
    gw.state.refreshFails = true;
    await store.refresh();
    expect(store.current()).toBeNull();
    expect(store.endReason).toBe('expired');
    expect(storage.getItem(SESSION_KEY)).toBeNull();

    gw.state.refreshFails = false;
    await store.signIn('csm@x.test', 'secret-password');
    gw.state.meStatus = 401;
    await store.api.GET('/v1/me');
    expect(store.current()).toBeNull();
    expect(store.endReason).toBe('revoked');
  });

  it('signs out: revokes the refresh token and forgets the session', async () => {
    const gw = fakeGateway();
    const storage = memoryStorage();
    const store = new SessionStore(storage, 'http://portal.test', () => now, gw.fetch);
    const seen: Array<string | undefined> = [];
    store.subscribe(() => seen.push(store.current()?.accessToken));
    await store.signIn('csm@x.test', 'secret-password');
    await store.signOut();
    expect(gw.calls.at(-1)).toMatchObject({ path: '/v1/auth/logout', body: { refreshToken: 'refresh-token-1' } });
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(seen).toEqual(['access-1', undefined]);
  });

  it("adopts another tab's sign-in, refresh and sign-out", async () => {
    const gw = fakeGateway();
    const other = new SessionStore(memoryStorage(), 'http://portal.test', () => now, gw.fetch);
    const here = new SessionStore(memoryStorage(), 'http://portal.test', () => now, gw.fetch);
    await other.signIn('csm@x.test', 'secret-password');
    here.adopt(JSON.stringify(other.current()));
    expect(here.current()?.accessToken).toBe('access-1');
    here.adopt(null);
    expect(here.current()).toBeNull();
    here.adopt('garbage');
    expect(here.current()).toBeNull();
  });

  it('a stored session whose refresh token expired is no session at start', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, JSON.stringify({ user, tenant, accessToken: 'a', accessIssuedAt: T0, accessExpiresAt: T0 + 1, refreshToken: 'r-long-enough', refreshExpiresAt: T0 - 1 }));
    expect(new SessionStore(storage, 'http://portal.test', () => now, fakeGateway().fetch).current()).toBeNull();
  });
});
