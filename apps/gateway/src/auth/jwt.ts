import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ErrorCode, Role, ROLES, StewardError } from '@steward/contracts';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
}

const ISSUER = 'steward';
const AUDIENCE = 'steward-api';

/** Short-lived HS256 access tokens; refresh tokens are opaque and live in accounts. */
export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * Verified tokens until they expire: a portal session sends the same token many times,
   * and the HMAC check is the gateway's largest per-request cost after the network. Bounded;
   * the oldest entries go first.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();
  private static readonly CACHE_MAX = 10_000;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(c: AccessClaims): Promise<string> {
    return new SignJWT({ tid: c.tenantId, role: c.role, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAtMs > Date.now()) return cached.claims;
    if (cached) this.verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !ROLES.includes(role)) throw new Error('malformed claims');
      const claims = { userId: payload.sub, tenantId: payload.tid, role };
      if (this.verified.size >= AccessTokens.CACHE_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return claims;
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new StewardError(ErrorCode.Unauthenticated, expired ? 'The access token has expired: refresh it' : 'The access token is invalid');
    }
  }
}
