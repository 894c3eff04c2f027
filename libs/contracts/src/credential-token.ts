/**
 * The shape of Steward's opaque credentials: partner API keys (`stw_…`), refresh tokens
 * (`rt_…`) and survey invitation tokens (`svy_…`, feedback) are `<kind>_<base64url(tenant id ‖ token id)>_<base64url(32-byte secret)>`.
 * accounts mints and checks them; the gateway reads the ids (never the secret) to refuse a
 * malformed credential without a round trip and to throttle failures per credential.
 *
 * WARNING: wire format. Issued keys and tokens carry it.
 */
export type CredentialKind = 'stw' | 'rt' | 'svy';

export interface ParsedCredential {
  tenantId: string;
  /** The key's or token's own id (not secret). */
  id: string;
  secret: Buffer;
}

const ID_CHARS = 43; // base64url of 32 bytes

const bytesToUuid = (b: Buffer): string => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** Reads a credential of `kind`; null when it does not have the shape. */
export function parseCredential(kind: CredentialKind, token: string): ParsedCredential | null {
  // Fixed positions: base64url itself may contain '_'.
  const head = `${kind}_`;
  if (token.length !== head.length + ID_CHARS + 1 + ID_CHARS || !token.startsWith(head) || token[head.length + ID_CHARS] !== '_') return null;
  const ids = Buffer.from(token.slice(head.length, head.length + ID_CHARS), 'base64url');
  const secret = Buffer.from(token.slice(head.length + ID_CHARS + 1), 'base64url');
  if (ids.length !== 32 || secret.length !== 32) return null;
  return { tenantId: bytesToUuid(ids.subarray(0, 16)), id: bytesToUuid(ids.subarray(16)), secret };
}
