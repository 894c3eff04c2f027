import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Endpoints' signing secrets are stored encrypted (AES-256-GCM), never in the clear, and
 * never logged. The key is `STEWARD_WEBHOOKS_SECRET_KEY`, or one derived (HKDF-SHA256) from
 * the platform's context key when that is unset; set it explicitly before rotating the context
 * key. A `previous` key still decrypts during a rotation of the secret key; rotating an
 * endpoint's signing secret stores its secrets under the current key.
 *
 * Stored form: `v1.<iv base64url>.<ciphertext‖tag base64url>`.
 */
export class SecretBox {
  private readonly current: Buffer;
  private readonly previous: Buffer | null;

  constructor(keys: { current?: string; previous?: string }, contextKey: string) {
    this.current = keys.current ? derive(keys.current) : derive(contextKey);
    this.previous = keys.previous ? derive(keys.previous) : null;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, iv, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !body) throw new Error('not a sealed webhook secret');
    for (const key of this.previous ? [this.current, this.previous] : [this.current]) {
      try {
        const raw = Buffer.from(body, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(raw.subarray(raw.length - 16));
        return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        // try the next key
      }
    }
    throw new Error('a webhook secret could not be decrypted with STEWARD_WEBHOOKS_SECRET_KEY (or its previous key)');
  }
}

// The same derivation for both sources: moving from the derived key to an explicit one is
// STEWARD_WEBHOOKS_SECRET_KEY=<new> with STEWARD_WEBHOOKS_SECRET_KEY_PREVIOUS=<the context key>.
function derive(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'steward webhook secrets', 32));
}
