import { createHmac } from 'node:crypto';
import { newSigningSecret, signatureHeader, verifySignatureHeader } from './signing';

const SECRET = 'whsec_test-secret-0123456789abcdef0123456789ab';
const BODY = '{"id":"0190f3c2-7a4b-7cde-8f01-23456789abcd","type":"accounts.events.account.created.v1"}';
const T = 1_796_461_538;

describe('webhook signatures', () => {
  it('sign HMAC-SHA256 over "<timestamp>.<body>" with the secret as shown, in hex', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signatureHeader([SECRET], T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  it('carry one v1 per secret during a rotation, the current one first', () => {
    const previous = 'whsec_previous';
    const header = signatureHeader([SECRET, previous], T, BODY);
    expect(header.split(',')).toHaveLength(3);
    expect(verifySignatureHeader(SECRET, header, BODY, { nowSeconds: T })).toBe(true);
    expect(verifySignatureHeader(previous, header, BODY, { nowSeconds: T })).toBe(true);
    expect(verifySignatureHeader('whsec_other', header, BODY, { nowSeconds: T })).toBe(false);
  });

  it.each([
    ['a changed body', signatureHeader([SECRET], T, BODY), `${BODY} `, T],
    ['a timestamp outside the tolerance', signatureHeader([SECRET], T, BODY), BODY, T + 301],
    ['a timestamp moved by the sender', signatureHeader([SECRET], T, BODY).replace(`t=${T}`, `t=${T + 1}`), BODY, T],
    ['no timestamp', signatureHeader([SECRET], T, BODY).replace(`t=${T},`, ''), BODY, T],
    ['a truncated signature', signatureHeader([SECRET], T, BODY).slice(0, -2), BODY, T],
  ])('fail to verify with %s', (_what, header, body, now) => {
    expect(verifySignatureHeader(SECRET, header, body, { nowSeconds: now })).toBe(false);
  });

  it('use fresh 256-bit secrets', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(a);
  });
});
