// The signed-in session: who, which tenant, and the tokens. The access token is short-lived
// (ACCESS_TOKEN_TTL_SECONDS, 15 min by default) and is refreshed before it expires; the refresh
// token rotates on every refresh. The session lives in localStorage so that every tab shares it:
// a refresh happens under a Web Lock (one tab at a time), and a sign-out in one tab signs out all.
import type { Schemas } from '@steward/api-client';

export type AccessSession = Schemas['AccessSession'];

export interface Session {
  user: Schemas['User'];
  tenant: Schemas['Tenant'];
  accessToken: string;
  /** When the access token was issued (epoch ms, this browser's clock). */
  accessIssuedAt: number;
  /** When the access token expires (epoch ms). */
  accessExpiresAt: number;
  refreshToken: string;
  /** When the refresh token expires (epoch ms). */
  refreshExpiresAt: number;
}

export const SESSION_KEY = 'steward.session';

/** The session an AccessSession answer (login or refresh) starts, as of `now`. */
export function sessionOf(answer: AccessSession, now: number): Session {
  return {
    user: answer.user,
    tenant: answer.tenant,
    accessToken: answer.accessToken,
    accessIssuedAt: now,
    accessExpiresAt: now + answer.expiresIn * 1000,
    refreshToken: answer.refreshToken,
    refreshExpiresAt: Date.parse(answer.refreshExpiresAt),
  };
}

/**
 * When to refresh: at 80% of the access token's life, and at least 30 s before it ends
 * (a slow network or a sleeping laptop must not leave a request holding an expired token).
 */
export function refreshDueAt(session: Session): number {
  const life = session.accessExpiresAt - session.accessIssuedAt;
  return Math.max(session.accessIssuedAt, Math.min(session.accessIssuedAt + life * 0.8, session.accessExpiresAt - 30_000));
}

/** Whether the session can still be used or renewed at `now`. */
export function isUsable(session: Session | null, now: number): session is Session {
  return !!session && session.refreshExpiresAt > now;
}

/** A stored session, or null when there is none or it is not one (a stale format, a manual edit). */
export function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    const ok =
      typeof s.accessToken === 'string' &&
      typeof s.refreshToken === 'string' &&
      typeof s.accessIssuedAt === 'number' &&
      typeof s.accessExpiresAt === 'number' &&
      typeof s.refreshExpiresAt === 'number' &&
      typeof s.user?.id === 'string' &&
      typeof s.user.role === 'string' &&
      typeof s.tenant?.name === 'string';
    return ok ? (s as Session) : null;
  } catch {
    return null;
  }
}
