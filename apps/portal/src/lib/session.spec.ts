import { isUsable, parseSession, refreshDueAt, sessionOf, type AccessSession } from './session';

const answer: AccessSession = {
  user: { id: '0b8f3a4e-5d55-4f3c-9a55-7a3b3c9d2e11', tenantId: '1b8f3a4e-5d55-4f3c-9a55-7a3b3c9d2e11', email: 'a@x.test', name: 'Ann', role: 'csm', active: true, createdAt: '2026-01-01T00:00:00Z' } as AccessSession['user'],
  tenant: { id: '1b8f3a4e-5d55-4f3c-9a55-7a3b3c9d2e11', name: 'Acme', slug: 'acme', createdAt: '2026-01-01T00:00:00Z' },
  accessToken: 'access',
  refreshToken: 'refresh-token',
  refreshExpiresAt: '2026-01-31T00:00:00.000Z',
  tokenType: 'Bearer',
  expiresIn: 900,
};
const now = Date.parse('2026-01-01T00:00:00Z');

describe('the session', () => {
  it('starts from a login answer: the access token lasts expiresIn seconds from now', () => {
    const s = sessionOf(answer, now);
    expect(s.accessExpiresAt - now).toBe(900_000);
    expect(s.refreshExpiresAt).toBe(Date.parse('2026-01-31T00:00:00Z'));
  });
  it('is refreshed at 80% of a 15-minute token (12 min), and at least 30 s before a short one ends', () => {
    expect(refreshDueAt(sessionOf(answer, now)) - now).toBe(720_000);
    expect(refreshDueAt(sessionOf({ ...answer, expiresIn: 60 }, now)) - now).toBe(30_000);
    expect(refreshDueAt(sessionOf({ ...answer, expiresIn: 10 }, now)) - now).toBe(0);
  });
  it('is usable until the refresh token expires', () => {
    const s = sessionOf(answer, now);
    expect(isUsable(s, now + 29 * 86_400_000)).toBe(true);
    expect(isUsable(s, now + 30 * 86_400_000)).toBe(false);
    expect(isUsable(null, now)).toBe(false);
  });
  it('round-trips through storage; anything else stored is no session', () => {
    const s = sessionOf(answer, now);
    expect(parseSession(JSON.stringify(s))).toEqual(s);
    for (const raw of [null, '', 'not json', '{}', JSON.stringify({ ...s, user: null }), JSON.stringify({ ...s, accessExpiresAt: 'soon' })]) expect(parseSession(raw)).toBeNull();
  });
});
