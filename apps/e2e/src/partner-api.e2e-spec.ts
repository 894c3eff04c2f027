import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createStewardClient, pages, StewardApiError, StewardClient, unwrap } from '@steward/api-client';
import { untypedOperations } from './api/client-types';
import { PlatformHarness, repoRoot, startPlatformHarness } from './platform-harness';

// A partner's integration, built the way a partner's engineers would: the published
// contract and the typed client generated from it, nothing else.
let h: PlatformHarness;
let admin: StewardClient;
beforeAll(async () => {
  h = await startPlatformHarness('e2eapi');
  const t = await h.tenant();
  admin = createStewardClient({ baseUrl: h.gatewayUrl, accessToken: t.token });
});
afterAll(async () => {
  await h?.close();
});

async function partnerWithKey(name: string, scopes?: Array<'read' | 'write'>) {
  const partner = await unwrap(admin.POST('/v1/partners', { body: { name, kind: 'reseller' } }));
  const issued = await unwrap(admin.POST('/v1/partners/{id}/api-keys', { params: { path: { id: partner.id } }, body: { name: `${name} sync`, ...(scopes ? { scopes } : {}) } }));
  return { partner, key: issued.key, client: createStewardClient({ baseUrl: h.gatewayUrl, apiKey: issued.key }) };
}

describe('the published contract', () => {
  it('is served at /openapi.json exactly as committed for the client (libs/api-client/openapi.json)', async () => {
    const served = (await h.http().get('/openapi.json').expect(200)).body as unknown;
    expect(served).toEqual(JSON.parse(readFileSync(repoRoot('libs/api-client/openapi.json'), 'utf8')));
  });

  it('gives a client generated from /openapi.json a typed success and problem body for every operation', async () => {
    const served = (await h.http().get('/openapi.json').expect(200)).body as { paths: object };
    expect(await untypedOperations(served, repoRoot())).toEqual([]);
    // And the check does fail on an untyped operation: the same document with one body emptied.
    const broken = structuredClone(served) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    broken.paths['/v1/accounts']!.get!.responses['200'] = { description: 'untyped' };
    expect((await untypedOperations(broken, repoRoot())).join('\n')).toMatch(/listAccounts/);
  });
});

describe('a partner integration with the typed client', () => {
  it('creates its accounts once however often it retries, and reads them back page by page', async () => {
    const { partner, client } = await partnerWithKey(`Reseller ${randomUUID().slice(0, 6)}`);
    const key = `sync-${randomUUID()}`;
    const body = { name: 'Acme Steel', externalId: `CRM-${randomUUID().slice(0, 8)}`, leadChannel: 'partner' as const };
    const first = await client.POST('/v1/accounts', { body, headers: { 'Idempotency-Key': key } });
    const again = await client.POST('/v1/accounts', { body, headers: { 'Idempotency-Key': key } });
    expect(first.response.status).toBe(201);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data?.id).toBe(first.data?.id);
    expect(first.data?.leadPartnerId).toBe(partner.id);

    for (let i = 0; i < 4; i++) await unwrap(client.POST('/v1/accounts', { body: { name: `Branch ${i}`, leadChannel: 'partner' } }));
    const seen: string[] = [];
    for await (const account of pages((cursor) => client.GET('/v1/accounts', { params: { query: { limit: 2, cursor } } }))) seen.push(account.name);
    expect(seen.sort()).toEqual(['Acme Steel', 'Branch 0', 'Branch 1', 'Branch 2', 'Branch 3']);
  });

  it("never sees another partner's accounts: 404, as if they did not exist", async () => {
    const a = await partnerWithKey(`A ${randomUUID().slice(0, 6)}`);
    const b = await partnerWithKey(`B ${randomUUID().slice(0, 6)}`);
    const mine = await unwrap(a.client.POST('/v1/accounts', { body: { name: 'Only A', leadChannel: 'partner' } }));
    const { error, response } = await b.client.GET('/v1/accounts/{id}', { params: { path: { id: mine.id } } });
    expect(response.status).toBe(404);
    expect(error?.code).toBe('NOT_FOUND');
    const listed = await unwrap(b.client.GET('/v1/accounts', { params: { query: { limit: 200 } } }));
    expect(listed.items.map((x) => x.id)).not.toContain(mine.id);
  });

  it('gets typed problems: the field and rule at fault on 400, 401 without a valid key, 403 with the reason for a read-only key', async () => {
    const { client } = await partnerWithKey(`C ${randomUUID().slice(0, 6)}`);
    const bad = await client.POST('/v1/accounts', { body: { name: '', leadChannel: 'partner' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.[0]).toMatchObject({ field: 'name' });

    const stranger = createStewardClient({ baseUrl: h.gatewayUrl, apiKey: 'stw_notakey_000000000000000000000000', retries: 0 });
    const anonymous = await stranger.GET('/v1/accounts');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.code).toBe('UNAUTHENTICATED');

    const reader = await partnerWithKey(`R ${randomUUID().slice(0, 6)}`, ['read']);
    const refused = await unwrap(reader.client.POST('/v1/accounts', { body: { name: 'Nope', leadChannel: 'partner' } })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StewardApiError);
    expect((refused as StewardApiError).status).toBe(403);
    expect((refused as StewardApiError).problem?.detail).toMatch(/write/);
  });
});
