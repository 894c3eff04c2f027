import { mayOverrideTier, mayReadUser, parseActor } from './account-people';

describe('mayOverrideTier', () => {
  it('lets admins and managers override any account when the role may call the operation', () => {
    expect(mayOverrideTier(true, 'admin', null, 'u1')).toBe(true);
    expect(mayOverrideTier(true, 'manager', 'other', 'u1')).toBe(true);
  });
  it('lets a CSM override only the accounts he or she is the CSM of', () => {
    expect(mayOverrideTier(true, 'csm', 'u1', 'u1')).toBe(true);
    expect(mayOverrideTier(true, 'csm', 'u2', 'u1')).toBe(false);
    expect(mayOverrideTier(true, 'csm', null, 'u1')).toBe(false);
  });
  it('never when the role may not call it', () => {
    expect(mayOverrideTier(false, 'admin', null, 'u1')).toBe(false);
    expect(mayOverrideTier(false, 'viewer', null, 'u1')).toBe(false);
    expect(mayOverrideTier(true, undefined, null, undefined)).toBe(false);
  });
});

describe('mayReadUser', () => {
  it('admins and managers read anyone; others only themselves', () => {
    expect(mayReadUser(true, 'admin', 'me', 'x')).toBe(true);
    expect(mayReadUser(true, 'manager', 'me', 'x')).toBe(true);
    expect(mayReadUser(true, 'csm', 'me', 'x')).toBe(false);
    expect(mayReadUser(true, 'viewer', 'me', 'me')).toBe(true);
    expect(mayReadUser(true, 'admin', 'me', null)).toBe(false);
    expect(mayReadUser(false, 'admin', 'me', 'x')).toBe(false);
  });
});

describe('parseActor', () => {
  it('reads the API actor references', () => {
    expect(parseActor('user:123')).toEqual({ kind: 'user', id: '123' });
    expect(parseActor('api-key:k')).toEqual({ kind: 'api-key', id: 'k' });
    expect(parseActor('system:anonymous')).toEqual({ kind: 'system', id: 'anonymous' });
    expect(parseActor('operator')).toEqual({ kind: 'operator', id: null });
    expect(parseActor('weird')).toEqual({ kind: 'unknown', id: null });
    expect(parseActor(null)).toEqual({ kind: 'unknown', id: null });
  });
});
