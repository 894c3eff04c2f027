import { createHash } from 'node:crypto';
import { ErrorBody, ErrorCode, StewardError, Subjects, VerifiedApiKey } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';

const MAX_ENTRIES = 10_000;
/** A refused key stays refused (unknown, revoked, expired): remembered this long. */
const REFUSED_MS = 5 * 60_000;

/**
 * Partner API keys as accounts verified them, remembered by the key's SHA-256 (never the
 * key): a verified key for `API_KEY_CACHE_SECONDS` (never past its expiry), a refused one
 * for five minutes, so neither a busy partner nor someone replaying a bad key costs a NATS
 * round trip per request. A revoked or rotated key is forgotten as soon as the gateway
 * learns of it: at once for changes made through this replica, from accounts'
 * `api-key.revoked` and `api-key.rotated` events for the others (identity-feed.ts); the
 * cache lifetime bounds it otherwise. A cached key carries its scopes and expiry: the guard
 * checks the scopes on every request, and an entry never outlives the key's expiry.
 */
export class ApiKeyVerifier {
  private readonly verified = new Map<string, { key: VerifiedApiKey; until: number }>();
  private readonly refused = new Map<string, { error: ErrorBody; until: number }>();
  private readonly byKeyId = new Map<string, string>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this key's answer is known here (no round trip needed). */
  cached(key: string): boolean {
    const h = digest(key);
    const now = this.now();
    return (this.verified.get(h)?.until ?? 0) > now || (this.refused.get(h)?.until ?? 0) > now;
  }

  async verify(key: string): Promise<VerifiedApiKey> {
    const h = digest(key);
    const now = this.now();
    const good = this.verified.get(h);
    // `until` is never past the key's expiry: an expired key is asked about again (and refused).
    if (good && good.until > now) return good.key;
    if (good) this.verified.delete(h);
    const bad = this.refused.get(h);
    if (bad && bad.until > now) throw StewardError.fromBody(bad.error);
    if (bad) this.refused.delete(h);
    try {
      const verified = await this.rpc.request(Subjects.accounts.apiKeyVerify, { key });
      const expires = verified.expiresAt ? Date.parse(verified.expiresAt) : Infinity;
      const until = Math.min(this.now() + this.cacheMs, expires);
      if (until > this.now()) {
        remember(this.verified, h, { key: verified, until });
        remember(this.byKeyId, verified.keyId, h);
      }
      return verified;
    } catch (err) {
      if (err instanceof StewardError && (err.code === ErrorCode.Unauthenticated || err.code === ErrorCode.ApiKeyRevoked)) remember(this.refused, h, { error: err.toBody(), until: this.now() + REFUSED_MS });
      throw err;
    }
  }

  /** A key was revoked, or rotated (its expiry moved to the end of the overlap): stop trusting what is cached about it. */
  forget(keyId: string): void {
    const h = this.byKeyId.get(keyId);
    if (!h) return;
    this.byKeyId.delete(keyId);
    this.verified.delete(h);
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Bounded: the oldest entry goes first. */
function remember<V>(map: Map<string, V>, k: string, v: V): void {
  map.delete(k);
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(k, v);
}
