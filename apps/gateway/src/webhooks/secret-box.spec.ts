import { SecretBox } from './secret-box';

const CONTEXT_KEY = 'context-key-0123456789abcdef0123456789abcdef';
const EXPLICIT = 'webhook-secret-key-0123456789abcdef0123456789';

describe('webhook secrets at rest', () => {
  it('are sealed with AES-256-GCM: never stored as given, opened back exactly', () => {
    const box = new SecretBox({}, CONTEXT_KEY);
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc');
  });

  it('refuse a tampered value and a wrong key', () => {
    const box = new SecretBox({}, CONTEXT_KEY);
    const sealed = box.seal('whsec_abc');
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => box.open(tampered)).toThrow(/could not be decrypted/);
    expect(() => new SecretBox({ current: EXPLICIT }, CONTEXT_KEY).open(sealed)).toThrow(/could not be decrypted/);
  });

  it('still open values sealed under the previous key during a key rotation (the derived key included)', () => {
    const derived = new SecretBox({}, CONTEXT_KEY).seal('whsec_old');
    const rotated = new SecretBox({ current: EXPLICIT, previous: CONTEXT_KEY }, CONTEXT_KEY);
    expect(rotated.open(derived)).toBe('whsec_old');
    expect(new SecretBox({ current: EXPLICIT }, 'another-context-key-0123456789abcdef').open(rotated.seal('whsec_new'))).toBe('whsec_new');
  });
});
