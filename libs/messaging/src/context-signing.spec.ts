import { headers as natsHeaders, MsgHdrs } from 'nats';
import { encodeActor, HeaderNames } from '@steward/contracts';
import { ContextKeys, ContextSigner, ContextVerdict, MIN_CONTEXT_KEY_BYTES } from './context-signing';

const KEY = 'k'.repeat(32);
const OTHER_KEY = 'o'.repeat(32);
const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const SUBJECT = 'p1.accounts.user.list.v1';
const BODY = new TextEncoder().encode('{"limit":10}');

function envelope(overrides: Record<string, string> = {}): MsgHdrs {
  const h = natsHeaders();
  const values: Record<string, string> = {
    [HeaderNames.messageId]: '0b9a6a8e-4a53-4b8e-9d1a-1b0f4c7d2e11',
    [HeaderNames.tenantId]: '7d5c1a8e-8f0b-4a0e-9c55-2f7b1d2c3e44',
    [HeaderNames.actor]: encodeActor({ kind: 'user', id: 'u1', role: 'viewer' }),
    [HeaderNames.correlationId]: 'c-1',
    [HeaderNames.occurredAt]: new Date(NOW).toISOString(),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ...overrides,
  };
  for (const [k, v] of Object.entries(values)) h.set(k, v);
  return h;
}

const signer = (now = NOW, keys: ContextKeys = { current: KEY }) => new ContextSigner(keys, { maxAgeMs: 60_000, now: () => now });

function signed(h = envelope(), s = signer()): MsgHdrs {
  s.sign(SUBJECT, h, BODY);
  return h;
}

describe('ContextSigner', () => {
  const cases: Array<{ scenario: string; verdict: ContextVerdict; run: () => ContextVerdict }> = [
    { scenario: 'a message signed with the current key verifies', verdict: 'ok', run: () => signer().verify(SUBJECT, signed(), BODY, { checkAge: true }) },
    { scenario: 'a message without a signature is unsigned', verdict: 'unsigned', run: () => signer().verify(SUBJECT, envelope(), BODY, { checkAge: true }) },
    { scenario: 'no headers at all is unsigned', verdict: 'unsigned', run: () => signer().verify(SUBJECT, undefined, BODY, { checkAge: true }) },
    {
      scenario: 'a forged tenant under a captured signature fails',
      verdict: 'bad-signature',
      run: () => {
        const h = signed();
        h.set(HeaderNames.tenantId, '11111111-1111-4111-8111-111111111111');
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
    {
      scenario: 'a promoted actor under a captured signature fails',
      verdict: 'bad-signature',
      run: () => {
        const h = signed();
        h.set(HeaderNames.actor, encodeActor({ kind: 'user', id: 'u1', role: 'admin' }));
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
    { scenario: 'another body under a captured signature fails', verdict: 'bad-signature', run: () => signer().verify(SUBJECT, signed(), new TextEncoder().encode('{"limit":11}'), { checkAge: true }) },
    { scenario: 'a signature replayed on another subject fails', verdict: 'bad-signature', run: () => signer().verify('p1.accounts.user.create.v1', signed(), BODY, { checkAge: true }) },
    {
      scenario: 'a Steward-* header added after signing fails (every envelope header is bound)',
      verdict: 'bad-signature',
      run: () => {
        const h = signed();
        h.set('Steward-Encoding', 'gzip');
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
    {
      scenario: 'a changed traceparent still verifies (transport headers are not bound)',
      verdict: 'ok',
      run: () => {
        const h = signed();
        h.set('traceparent', '00-11111111111111111111111111111111-2222222222222222-01');
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
    { scenario: 'a message signed with another key fails', verdict: 'bad-signature', run: () => signer().verify(SUBJECT, signed(envelope(), signer(NOW, { current: OTHER_KEY })), BODY, { checkAge: true }) },
    {
      scenario: 'during a rotation, a message signed with the previous key verifies',
      verdict: 'ok',
      run: () => signer(NOW, { current: KEY, previous: OTHER_KEY }).verify(SUBJECT, signed(envelope(), signer(NOW, { current: OTHER_KEY })), BODY, { checkAge: true }),
    },
    { scenario: 'a request signed 61 s ago is stale', verdict: 'stale', run: () => signer(NOW + 61_000).verify(SUBJECT, signed(), BODY, { checkAge: true }) },
    { scenario: 'a request dated 61 s in the future is stale', verdict: 'stale', run: () => signer(NOW - 61_000).verify(SUBJECT, signed(), BODY, { checkAge: true }) },
    { scenario: 'a request signed 59 s ago is fresh', verdict: 'ok', run: () => signer(NOW + 59_000).verify(SUBJECT, signed(), BODY, { checkAge: true }) },
    { scenario: 'an event signed a day ago verifies (events are not aged)', verdict: 'ok', run: () => signer(NOW + 86_400_000).verify(SUBJECT, signed(), BODY, { checkAge: false }) },
    {
      scenario: 'a signature of the wrong length is malformed',
      verdict: 'malformed',
      run: () => {
        const h = signed();
        h.set(HeaderNames.signature, 'v1=abc');
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
    {
      scenario: 'a signed message without a message id is malformed',
      verdict: 'malformed',
      run: () => {
        const h = envelope();
        h.delete(HeaderNames.messageId);
        signer().sign(SUBJECT, h, BODY);
        return signer().verify(SUBJECT, h, BODY, { checkAge: true });
      },
    },
  ];

  it.each(cases)('$scenario', ({ run, verdict }) => {
    expect(run()).toBe(verdict);
  });

  it(`refuses keys shorter than ${MIN_CONTEXT_KEY_BYTES} bytes, current or previous`, () => {
    expect(() => new ContextSigner({ current: 'short' })).toThrow(/current context key must be at least 32 bytes/);
    expect(() => new ContextSigner({ current: KEY, previous: 'short' })).toThrow(/previous context key/);
  });

  it('signs with the current key even when a previous one is configured', () => {
    const rotating = new ContextSigner({ current: KEY, previous: OTHER_KEY }, { now: () => NOW });
    const h = envelope();
    rotating.sign(SUBJECT, h, BODY);
    expect(signer().verify(SUBJECT, h, BODY, { checkAge: true })).toBe('ok');
    expect(new ContextSigner({ current: OTHER_KEY }, { now: () => NOW }).verify(SUBJECT, h, BODY, { checkAge: true })).toBe('bad-signature');
  });
});
