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
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !ROLES.includes(role)) throw new Error('malformed claims');
      return { userId: payload.sub, tenantId: payload.tid, role };
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new StewardError(ErrorCode.Unauthenticated, expired ? 'The access token has expired: refresh it' : 'The access token is invalid');
    }
  }
}
