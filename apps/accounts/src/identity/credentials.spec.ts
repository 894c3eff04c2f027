import { randomUUID } from 'node:crypto';
import { mintToken, parseToken, secretMatches } from './credentials';

describe('API key and refresh token format', () => {
  it.each(Array.from({ length: 200 }, (_, i) => i))('round-trips tenant id, token id and secret (sample %i)', () => {
    const tenantId = randomUUID();
    const id = randomUUID();
    const { token, secretHash } = mintToken('stw', tenantId, id);
    const parsed = parseToken('stw', token);
    expect(parsed).toMatchObject({ tenantId, id });
    expect(secretMatches(parsed!.secret, secretHash)).toBe(true);
  });

  it('rejects the wrong kind, a wrong length and a tampered secret', () => {
    const { token, secretHash } = mintToken('rt', randomUUID(), randomUUID());
    expect(parseToken('stw', token)).toBeNull();
    expect(parseToken('rt', token.slice(0, -1))).toBeNull();
    expect(parseToken('rt', 'rt_short_token')).toBeNull();
    const tampered = parseToken('rt', token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'))!;
    expect(secretMatches(tampered.secret, secretHash)).toBe(false);
  });
});
