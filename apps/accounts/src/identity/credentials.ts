import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { parseCredential, type ParsedCredential } from '@steward/contracts';

/**
 * Credentials. Passwords are low-entropy: argon2id. API keys and refresh tokens carry
 * 256 random bits: a SHA-256 of the secret is enough and keeps per-request checks cheap.
 * Both token kinds embed the tenant id and their own id, so they resolve without a
 * cross-tenant lookup; forging the ids gains nothing without the secret.
 */
export class PasswordHasher {
  constructor(private readonly memoryCost: number) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: this.memoryCost, timeCost: 2, parallelism: 1 });
  }

  verify(hashed: string, password: string): Promise<boolean> {
    return verify(hashed, password).catch(() => false);
  }
}

export type ParsedToken = ParsedCredential;

const uuidToBytes = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');

/** `<kind>_<base64url(tenant id ‖ token id)>_<base64url(32-byte secret)>` (the format: @steward/contracts credential-token.ts). */
export function mintToken(kind: 'stw' | 'rt', tenantId: string, id: string): { token: string; secretHash: Buffer } {
  const secret = randomBytes(32);
  const ids = Buffer.concat([uuidToBytes(tenantId), uuidToBytes(id)]).toString('base64url');
  return { token: `${kind}_${ids}_${secret.toString('base64url')}`, secretHash: digest(secret) };
}

export const parseToken = parseCredential;

export function secretMatches(secret: Buffer, expectedHash: Buffer): boolean {
  const actual = digest(secret);
  return actual.length === expectedHash.length && timingSafeEqual(actual, expectedHash);
}

function digest(secret: Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Injection token of the password hasher (its memory cost comes from the service settings). */
export const PASSWORD_HASHER = Symbol('PasswordHasher');
