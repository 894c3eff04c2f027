import { ErrorCode, StewardError, Subjects } from '@steward/contracts';
import { makeEmail, makeTenantRequest } from '@steward/testing';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;

beforeAll(async () => {
  h = await startAccountsHarness('identity');
});
afterAll(async () => {
  await h?.close();
});

async function rejection(p: Promise<unknown>): Promise<StewardError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StewardError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('tenant bootstrap', () => {
  it('creates a tenant with its first admin who can log in', async () => {
    const req = makeTenantRequest();
    const res = await h.client.request(s.tenantCreate, req, { context: h.operator() });
    expect(res.tenant).toMatchObject({ name: req.name, slug: req.slug });
    expect(res.admin).toMatchObject({ email: req.admin.email, role: 'admin', active: true, tenantId: res.tenant.id });
    const session = await h.client.request(s.authLogin, { email: req.admin.email.toUpperCase(), password: req.admin.password }, { context: h.operator() });
    expect(session.user.id).toBe(res.admin.id);
    expect(session.tenant.slug).toBe(req.slug);
    expect(session.refreshToken).toMatch(/^rt_/);
  });

  it('rejects a taken slug with a typed error naming the field, leaving nothing half-written', async () => {
    const first = makeTenantRequest();
    await h.client.request(s.tenantCreate, first, { context: h.operator() });
    const second = makeTenantRequest({ slug: first.slug });
    const err = await rejection(h.client.request(s.tenantCreate, second, { context: h.operator() }));
    expect(err.code).toBe(ErrorCode.TenantSlugTaken);
    expect(err.details?.errors?.[0]).toMatchObject({ field: 'slug', rule: 'unique' });
    // The second admin's e-mail was not registered: it can still be used.
    const third = makeTenantRequest({ admin: second.admin });
    await expect(h.client.request(s.tenantCreate, third, { context: h.operator() })).resolves.toBeDefined();
  });

  it('is refused to anyone but the operator', async () => {
    const { admin } = await h.tenant();
    const err = await rejection(h.client.request(s.tenantCreate, makeTenantRequest(), { context: admin }));
    expect(err.code).toBe(ErrorCode.Forbidden);
  });

  it('names every invalid field and rejects unknown ones', async () => {
    const err = await rejection(
      h.client.request(s.tenantCreate, { name: '', slug: 'Bad Slug', admin: { email: 'nope', password: 'short', name: 'x' }, extra: 1 } as never, { context: h.operator() }),
    );
    expect(err.code).toBe(ErrorCode.ValidationFailed);
    const fields = err.details!.errors!.map((e) => `${e.field}:${e.rule}`).sort();
    expect(fields).toEqual(['admin.email:format', 'admin.password:min', 'extra:unknown-field', 'name:min', 'slug:format']);
  });
});

describe('login', () => {
  it('refuses a wrong password and an unknown e-mail with the same error', async () => {
    const t = await h.tenant();
    const wrong = await rejection(h.client.request(s.authLogin, { email: t.adminEmail, password: 'wrong password!' }));
    const unknown = await rejection(h.client.request(s.authLogin, { email: makeEmail(), password: 'whatever!!' }));
    expect(wrong.code).toBe(ErrorCode.InvalidCredentials);
    expect(unknown.code).toBe(ErrorCode.InvalidCredentials);
    expect(unknown.message).toBe(wrong.message);
  });

  it('rotates refresh tokens: a used token cannot be used again', async () => {
    const req = makeTenantRequest();
    await h.client.request(s.tenantCreate, req, { context: h.operator() });
    const first = await h.client.request(s.authLogin, { email: req.admin.email, password: req.admin.password });
    const second = await h.client.request(s.authRefresh, { refreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await rejection(h.client.request(s.authRefresh, { refreshToken: first.refreshToken }))).code).toBe(ErrorCode.Unauthenticated);
    // That reuse ended the whole session (sessions.int-spec.ts): nothing is left to log out.
    expect(await h.client.request(s.authLogout, { refreshToken: second.refreshToken })).toEqual({ revoked: false });
    expect((await rejection(h.client.request(s.authRefresh, { refreshToken: second.refreshToken }))).code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses a deactivated user', async () => {
    const t = await h.tenant();
    const email = makeEmail('agent');
    const user = await h.client.request(s.userCreate, { email, name: 'Agent', role: 'agent', password: 'agent password 1' }, { context: t.admin });
    await h.client.request(s.userUpdate, { id: user.id, active: false }, { context: t.admin });
    expect((await rejection(h.client.request(s.authLogin, { email, password: 'agent password 1' }))).code).toBe(ErrorCode.InvalidCredentials);
  });
});

describe('users', () => {
  it('lets an admin create, list and update users, with an audit trail', async () => {
    const t = await h.tenant();
    const created = await h.client.request(s.userCreate, { email: makeEmail('csm'), name: 'Casey', role: 'csm', password: 'csm password 12' }, { context: t.admin });
    const updated = await h.client.request(s.userUpdate, { id: created.id, role: 'manager', name: 'Casey M' }, { context: t.admin });
    expect(updated).toMatchObject({ role: 'manager', name: 'Casey M' });
    const page = await h.client.request(s.userList, { limit: 1 }, { context: t.admin });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const next = await h.client.request(s.userList, { limit: 10, cursor: page.nextCursor! }, { context: t.admin });
    expect([...page.items, ...next.items].map((u) => u.id).sort()).toEqual([t.adminId, created.id].sort());
    const audit = await h.client.request(s.auditList, { limit: 50, entityId: created.id }, { context: t.admin });
    expect(audit.items.map((a) => a.action)).toEqual(['user.updated', 'user.created']);
    expect(audit.items[0]).toMatchObject({ actor: `user:${t.adminId}`, before: { role: 'csm', name: 'Casey' }, after: { role: 'manager', name: 'Casey M' } });
    expect(JSON.stringify(audit.items)).not.toContain('password');
  });

  it('refuses an e-mail registered in another tenant', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const err = await rejection(h.client.request(s.userCreate, { email: a.adminEmail, name: 'Dup', role: 'agent', password: 'agent password 1' }, { context: b.admin }));
    expect(err.code).toBe(ErrorCode.EmailTaken);
    expect(err.details?.errors?.[0]?.field).toBe('email');
  });

  it('keeps at least one active admin', async () => {
    const t = await h.tenant();
    const err = await rejection(h.client.request(s.userUpdate, { id: t.adminId, role: 'viewer' }, { context: t.admin }));
    expect(err.code).toBe(ErrorCode.LastAdmin);
  });

  it('lets a viewer change their own name but not their role, nor read others', async () => {
    const t = await h.tenant();
    const v = await h.client.request(s.userCreate, { email: makeEmail('viewer'), name: 'Vic', role: 'viewer', password: 'viewer password' }, { context: t.admin });
    const self = h.as(t.tenantId, v.id, 'viewer');
    await expect(h.client.request(s.userUpdate, { id: v.id, name: 'Victor' }, { context: self })).resolves.toMatchObject({ name: 'Victor' });
    expect((await rejection(h.client.request(s.userUpdate, { id: v.id, role: 'admin' }, { context: self }))).code).toBe(ErrorCode.Forbidden);
    expect((await rejection(h.client.request(s.userGet, { id: t.adminId }, { context: self }))).code).toBe(ErrorCode.Forbidden);
  });

  it('does not find a user of another tenant', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    expect((await rejection(h.client.request(s.userGet, { id: a.adminId }, { context: b.admin }))).code).toBe(ErrorCode.NotFound);
  });
});

describe('partners and API keys', () => {
  it('issues a key shown once, verifies it, records its use, and revokes it', async () => {
    const t = await h.tenant();
    const partner = await h.client.request(s.partnerCreate, { name: 'Northwind Integrators', kind: 'system-integrator', region: 'EMEA' }, { context: t.admin });
    const created = await h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'ERP sync' }, { context: t.admin });
    expect(created.key).toMatch(/^stw_/);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    const verified = await h.client.request(s.apiKeyVerify, { key: created.key });
    expect(verified).toEqual({ tenantId: t.tenantId, partnerId: partner.id, keyId: created.apiKey.id, name: 'ERP sync', expiresAt: null, scopes: ['read', 'write'] });
    const listed = await h.client.request(s.apiKeyList, { partnerId: partner.id, limit: 10 }, { context: t.admin });
    expect(listed.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await h.client.request(s.apiKeyRevoke, { id: created.apiKey.id }, { context: t.admin });
    expect((await rejection(h.client.request(s.apiKeyVerify, { key: created.key }))).code).toBe(ErrorCode.ApiKeyRevoked);
    const tampered = created.key.slice(0, -4) + 'AAAA';
    expect((await rejection(h.client.request(s.apiKeyVerify, { key: tampered }))).code).toBe(ErrorCode.Unauthenticated);
  });

  it('refuses a key for a partner of another tenant', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const partner = await h.client.request(s.partnerCreate, { name: 'Dealer A', kind: 'dealer' }, { context: a.admin });
    expect((await rejection(h.client.request(s.apiKeyCreate, { partnerId: partner.id, name: 'x' }, { context: b.admin }))).code).toBe(ErrorCode.NotFound);
  });

  it('keeps partner keys away from identity operations', async () => {
    const t = await h.tenant();
    const keyCtx = { tenantId: t.tenantId, actor: { kind: 'api-key' as const, id: 'k', partnerId: 'p' }, correlationId: 'c' };
    expect((await rejection(h.client.request(s.userList, { limit: 10 }, { context: keyCtx }))).code).toBe(ErrorCode.Forbidden);
  });
});
