import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme (docs/webhooks.md, "Verifying a webhook"):
 *
 *   Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=<…>]
 *
 * The key is the endpoint's secret exactly as shown (`whsec_…`, its UTF-8 bytes). During a
 * rotation's overlap a second `v1=` is computed with the previous secret, so a receiver that
 * still holds only the old one keeps verifying. The timestamp is signed with the body, so a
 * captured request cannot be replayed later than the receiver's tolerance.
 */

/** A new signing secret: 32 random bytes, `whsec_<base64url>`. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Steward-Signature` header: one `v1=` per secret that signs now (current first). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(',');
}

/**
 * Verifies a `Steward-Signature` header as a receiver would (the documented snippet, used
 * by the tests): any `v1=` matching, with the timestamp within `toleranceSeconds` of now.
 */
export function verifySignatureHeader(secret: string, header: string, body: string, { toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000) } = {}): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return parts
    .filter(([k]) => k === 'v1')
    .some(([, v]) => {
      const given = Buffer.from(v ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
