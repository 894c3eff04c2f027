import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCredential } from '@steward/contracts';

/**
 * Invitation tokens: `svy_<base64url(tenant id ‖ invitation id)>_<base64url(32-byte secret)>`
 * (the platform's credential shape, @steward/contracts credential-token.ts). The token is
 * the respondent's only credential: it names its tenant and invitation, so it resolves
 * without a cross-tenant read, and its 256-bit secret is checked against a SHA-256 in the
 * tenant's transaction. Only the hash is stored.
 */
export function mintInvitationToken(tenantId: string, invitationId: string): { token: string; hash: Buffer } {
  const secret = randomBytes(32);
  const ids = Buffer.concat([uuidBytes(tenantId), uuidBytes(invitationId)]).toString('base64url');
  return { token: `svy_${ids}_${secret.toString('base64url')}`, hash: digest(secret) };
}

/** The tenant, invitation and secret of a token; null when it does not have the shape. */
export const parseInvitationToken = (token: string) => parseCredential('svy', token);

export function tokenMatches(secret: Buffer, hash: Buffer): boolean {
  const actual = digest(secret);
  return actual.length === hash.length && timingSafeEqual(actual, hash);
}

const uuidBytes = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');
const digest = (secret: Buffer) => createHash('sha256').update(secret).digest();
