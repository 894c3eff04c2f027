import { z } from 'zod';
import { defineService, event, rpc } from './define';
import { CONTRACTS, ErrorCode, EventSchemas, Events, isErrorCode, RequestOf, RequestSchemas, ResponseOf, ResponseSchemas, Subjects } from './index';
import type { UserDto } from './accounts/identity';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeIs = <T extends true>(): T => true as T;

describe('service contracts', () => {
  it('derive each subject from its one declaration, typed as the literal', () => {
    const s: 'accounts.user.create.v1' = Subjects.accounts.userCreate;
    const e: 'accounts.events.account.tier-changed.v1' = Events.accounts.accountTierChanged;
    expect(s).toBe('accounts.user.create.v1');
    expect(e).toBe('accounts.events.account.tier-changed.v1');
    typeIs<Equal<ResponseOf<'accounts.user.get.v1'>, UserDto>>();
    typeIs<Equal<RequestOf<'accounts.user.get.v1'>, { id: string }>>();
    // @ts-expect-error an undeclared subject has no request type
    type _Unknown = RequestOf<'accounts.user.fly.v1'>;
  });

  it('have a request, a response and (for events) a payload schema for every subject', () => {
    for (const c of CONTRACTS) {
      for (const d of Object.values(c.rpc)) {
        expect(RequestSchemas[d.subject as keyof typeof RequestSchemas]).toBe(d.request);
        expect(ResponseSchemas[d.subject as keyof typeof ResponseSchemas]).toBe(d.response);
        expect(d.subject).toMatch(new RegExp(`^${c.service}\\.[a-z-]+(\\.[a-z-]+)*\\.v\\d+$`));
      }
      for (const d of Object.values(c.events)) {
        expect(EventSchemas[d.subject as keyof typeof EventSchemas]).toBe(d.payload);
        expect(d.subject.startsWith(`${c.service}.events.`)).toBe(true);
      }
    }
  });

  it('declare every subject once across all services', () => {
    const all = CONTRACTS.flatMap((c) => [...Object.values(c.rpc), ...Object.values(c.events)].map((d) => d.subject));
    expect(new Set(all).size).toBe(all.length);
  });

  it('union the common, gateway and service error codes', () => {
    expect(ErrorCode.NotFound).toBe('NOT_FOUND');
    expect(ErrorCode.IdempotencyKeyReused).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(ErrorCode.StaleVersion).toBe('STALE_VERSION');
    expect(isErrorCode('STALE_VERSION')).toBe(true);
    expect(isErrorCode('NOT_A_CODE')).toBe(false);
  });

  it('refuse badly shaped wire names at load time', () => {
    expect(() => defineService('probe', { rpc: { x: rpc('Thing.Get', z.object({}), z.object({}), 'x') }, events: {} })).toThrow(/must look like noun.verb.v1/);
    expect(() => defineService('probe', { rpc: {}, events: { y: event('thing.created', z.object({}), 'y') } })).toThrow(/must look like noun.verb.v1/);
    expect(() => defineService('Probe', { rpc: {}, events: {} })).toThrow(/invalid service name/);
    const ok = defineService('probe', { rpc: { get: rpc('thing.get.v1', z.object({}), z.object({ n: z.number() }), 'x') }, events: { made: event('thing.made.v2', z.object({}), 'y') } });
    const subject: 'probe.thing.get.v1' = ok.rpc.get.subject;
    const ev: 'probe.events.thing.made.v2' = ok.events.made.subject;
    expect([subject, ev]).toEqual(['probe.thing.get.v1', 'probe.events.thing.made.v2']);
  });
});
