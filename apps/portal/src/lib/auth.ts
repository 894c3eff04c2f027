// The session store every part of the portal reads: sign in, refresh before expiry, sign out,
// and the typed API client that carries the current access token.
import { createStewardClient, StewardApiError, unwrap, type StewardClient } from '@steward/api-client';
import { isUsable, parseSession, refreshDueAt, SESSION_KEY, sessionOf, type Session } from './session';

type Listener = () => void;
/** Why the session ended, for the sign-in page to say so. */
export type EndReason = 'signed-out' | 'expired' | 'revoked';

export class SessionStore {
  private session: Session | null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<Session | null> | undefined;
  private readonly listeners = new Set<Listener>();
  endReason: EndReason | undefined;
  /** The API client of the signed-in user. */
  readonly api: StewardClient;
  /** Sign-in, refresh and sign-out carry no access token (a refresh must not wait for itself). */
  private readonly auth: StewardClient;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    baseUrl: string,
    private readonly now: () => number = Date.now,
    fetch?: (request: Request) => Promise<Response>,
  ) {
    this.session = parseSession(storage.getItem(SESSION_KEY));
    if (!isUsable(this.session, now())) this.session = null;
    this.api = createStewardClient({ baseUrl, accessToken: () => this.accessToken(), retries: 2, fetch });
    this.auth = createStewardClient({ baseUrl, retries: 2, fetch });
    // A 401 on a signed-in request: the user was deactivated, or the session revoked elsewhere.
    this.api.use({
      onResponse: ({ request, response }) => {
        if (response.status === 401 && request.headers.get('authorization')?.startsWith('Bearer ')) this.end('revoked');
        return response;
      },
    });
    this.schedule();
  }

  current(): Session | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(email: string, password: string): Promise<Session> {
    const answer = await unwrap(this.auth.POST('/v1/auth/login', { body: { email, password } }));
    this.endReason = undefined;
    this.set(sessionOf(answer, this.now()));
    return this.session!;
  }

  async signOut(): Promise<void> {
    const s = this.session;
    this.end('signed-out');
    if (s) await this.auth.POST('/v1/auth/logout', { body: { refreshToken: s.refreshToken } }).catch(() => undefined);
  }

  /** Another tab changed the stored session: adopt it (a refresh, a sign-in, a sign-out). */
  adopt(raw: string | null): void {
    const next = parseSession(raw);
    if (next?.accessToken === this.session?.accessToken) return;
    this.session = isUsable(next, this.now()) ? next : null;
    if (!this.session) this.endReason = 'signed-out';
    this.schedule();
    this.emit();
  }

  /** The current access token, refreshed first when it is (about to be) expired. */
  private async accessToken(): Promise<string> {
    const s = this.session;
    if (!s) return '';
    if (s.accessExpiresAt - this.now() > 5_000) return s.accessToken;
    return (await this.refresh())?.accessToken ?? '';
  }

  /** Renews the access token with the refresh token (one refresh at a time across tabs). */
  refresh(): Promise<Session | null> {
    this.refreshing ??= this.withLock(async () => {
      // Another tab may have refreshed while this one waited for the lock: its session is in storage.
      const stored = parseSession(this.storage.getItem(SESSION_KEY));
      if (stored && this.session && stored.refreshToken !== this.session.refreshToken && stored.accessExpiresAt - this.now() > 30_000) {
        this.set(stored);
        return stored;
      }
      const s = this.session;
      if (!s) return null;
      try {
        const answer = await unwrap(this.auth.POST('/v1/auth/refresh', { body: { refreshToken: s.refreshToken } }));
        this.set(sessionOf(answer, this.now()));
        return this.session;
      } catch (err) {
        if (err instanceof StewardApiError && (err.status === 401 || err.status === 400)) this.end('expired');
        return null;
      }
    }).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? locks.request('steward.session.refresh', work) : work();
  }

  private set(session: Session): void {
    this.session = session;
    this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    this.schedule();
    this.emit();
  }

  private end(reason: EndReason): void {
    if (!this.session) return;
    this.session = null;
    this.endReason = reason;
    this.storage.removeItem(SESSION_KEY);
    this.schedule();
    this.emit();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.session;
    if (!s) return;
    const wait = Math.max(0, refreshDueAt(s) - this.now());
    this.timer = setTimeout(() => void this.refresh(), Math.min(wait, 2 ** 31 - 1));
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
