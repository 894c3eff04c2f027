import { catalogs } from '../../i18n/catalogs';
import { actionKey, AUDIT_ACTIONS, changedFields, ENTITY_TYPES, entityTypeKey, keyActions, keyStatus, parseActor, parseAuditFilters, PARTNER_KINDS, problemFieldErrors, ROLES, withFilter } from './admin-labels';

/** The value of a dotted catalog key, or undefined. */
function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), catalog);
}

describe('admin vocabularies', () => {
  it.each(['en', 'zh-CN'] as const)('every audit action, entity type, partner kind, key status and actor kind has a %s label', (locale) => {
    const c = catalogs[locale];
    for (const action of Object.keys(AUDIT_ACTIONS)) expect({ action, label: typeof lookup(c, actionKey(action)) }).toEqual({ action, label: 'string' });
    for (const type of Object.keys(ENTITY_TYPES)) expect({ type, label: typeof lookup(c, entityTypeKey(type)) }).toEqual({ type, label: 'string' });
    for (const kind of PARTNER_KINDS) expect(typeof lookup(c, `admin.partners.kind.${kind}`)).toBe('string');
    for (const s of ['active', 'rotating', 'expired', 'revoked']) expect(typeof lookup(c, `admin.keys.status.${s}`)).toBe('string');
    for (const s of ['read', 'write']) expect(typeof lookup(c, `admin.keys.scope.${s}`)).toBe('string');
    for (const k of ['user', 'apiKey', 'operator', 'system', 'other']) expect(typeof lookup(c, `admin.audit.actor.${k}`)).toBe('string');
    for (const r of ROLES) expect(typeof lookup(c, `roles.${r}`)).toBe('string');
    expect(typeof lookup(c, actionKey('something.new'))).toBe('string');
    expect(typeof lookup(c, entityTypeKey('widget'))).toBe('string');
  });
});

describe('keyStatus', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const base = { revokedAt: null, expiresAt: null, replacedById: null };
  it('reads revoked, expired, rotating and active', () => {
    expect(keyStatus(base, now)).toBe('active');
    expect(keyStatus({ ...base, expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('active');
    expect(keyStatus({ ...base, expiresAt: '2026-05-01T00:00:00Z' }, now)).toBe('expired');
    expect(keyStatus({ ...base, replacedById: 'x', expiresAt: '2026-06-02T12:00:00Z' }, now)).toBe('rotating');
    expect(keyStatus({ ...base, replacedById: 'x', expiresAt: '2026-06-01T11:00:00Z' }, now)).toBe('expired');
    expect(keyStatus({ ...base, revokedAt: '2026-05-01T00:00:00Z', replacedById: 'x' }, now)).toBe('revoked');
  });
  it('allows rotating only active keys and revoking those still valid', () => {
    expect(keyActions('active')).toEqual({ rotate: true, revoke: true });
    expect(keyActions('rotating')).toEqual({ rotate: false, revoke: true });
    expect(keyActions('expired')).toEqual({ rotate: false, revoke: false });
    expect(keyActions('revoked')).toEqual({ rotate: false, revoke: false });
  });
});

describe('parseActor', () => {
  it('reads users, API keys, the operator and the rest', () => {
    expect(parseActor('user:42')).toEqual({ kind: 'user', id: '42' });
    expect(parseActor('api-key:k1')).toEqual({ kind: 'apiKey', id: 'k1' });
    expect(parseActor('operator')).toEqual({ kind: 'operator' });
    expect(parseActor('system:anonymous')).toEqual({ kind: 'system', id: 'anonymous' });
    expect(parseActor('robot:7')).toEqual({ kind: 'other', id: 'robot:7' });
    expect(parseActor('')).toEqual({ kind: 'other', id: undefined });
  });
});

describe('changedFields', () => {
  it('lists what differs between before and after, without bookkeeping', () => {
    expect(changedFields({ name: 'a', role: 'viewer', updatedAt: '1' }, { name: 'a', role: 'admin', updatedAt: '2' })).toEqual(['role']);
    expect(changedFields({ active: true }, { active: false, passwordChanged: true })).toEqual(['active', 'passwordChanged']);
    expect(changedFields({ scopes: ['read'] }, { scopes: ['read'] })).toEqual([]);
  });
  it('lists every field of a creation or a note', () => {
    expect(changedFields(null, { id: '1', tenantId: 't', name: 'x', kind: 'dealer', createdAt: 'now' })).toEqual(['kind', 'name']);
    expect(changedFields({ id: '1', revokedAt: null }, null)).toEqual(['revokedAt']);
    expect(changedFields(null, null)).toEqual([]);
  });
});

describe('audit filters in the URL', () => {
  const id = '0190f3c4-8a2b-7c1d-9e0f-123456789abc';
  it('reads the entity type and a UUID entity id', () => {
    expect(parseAuditFilters(new URLSearchParams(`entityType=user&entityId=${id.toUpperCase()}`))).toEqual({ entityType: 'user', entityId: id });
    expect(parseAuditFilters(new URLSearchParams(''))).toEqual({});
  });
  it('keeps an id that is not a UUID aside instead of sending it', () => {
    expect(parseAuditFilters(new URLSearchParams('entityId=nope'))).toEqual({ invalidEntityId: 'nope' });
    expect(parseAuditFilters(new URLSearchParams(`entityType=${'x'.repeat(51)}`))).toEqual({});
  });
  it('sets and clears one filter, keeping the others', () => {
    const p = withFilter(new URLSearchParams('entityType=user'), 'entityId', ` ${id} `);
    expect(p.toString()).toBe(`entityType=user&entityId=${id}`);
    expect(withFilter(p, 'entityType', '').toString()).toBe(`entityId=${id}`);
  });
});

describe('problemFieldErrors', () => {
  it('puts the problem fields the form has on the form', () => {
    const pathOf = (f: string) => (f.startsWith('(') ? undefined : f.split('.'));
    expect(problemFieldErrors([{ field: 'email', message: 'taken' }, { field: 'path.id', message: 'x' }, { field: '(body)', message: 'y' }], ['email', 'name'], pathOf)).toEqual([{ name: ['email'], errors: ['taken'] }]);
  });
});
