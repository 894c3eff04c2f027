import { randomUUID } from 'node:crypto';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2eacc');
});
afterAll(async () => {
  await h?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
type T = Awaited<ReturnType<PlatformHarness['tenant']>>;

async function account(t: T, body: Record<string, unknown> = {}) {
  const res = await h.http().post('/v1/accounts').set(bearer(t.token)).send({ name: `Acme ${randomUUID().slice(0, 6)}`, ...body });
  if (res.status !== 201) throw new Error(`create account: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function partnerKey(t: T, name = 'Partner') {
  const partner = await h.http().post('/v1/partners').set(bearer(t.token)).send({ name, kind: 'reseller' }).expect(201);
  const key = await h.http().post(`/v1/partners/${partner.body.id}/api-keys`).set(bearer(t.token)).send({ name: 'k' }).expect(201);
  return { partnerId: partner.body.id as string, key: key.body.key as string };
}

describe('accounts CRUD', () => {
  it('creates, reads, updates with a version check, soft-deletes and restores', async () => {
    const t = await h.tenant();
    const created = await account(t, { externalId: 'CRM-1', industry: 'Manufacturing', region: 'EMEA', sizeBand: '1000-4999', ownerId: t.adminId, strategic: true, customAttributes: { erp: 'SAP', seats: 40 } });
    expect(created).toMatchObject({ externalId: 'CRM-1', lifecycle: 'prospect', leadChannel: 'direct', tier: 3, version: 1, customAttributes: { erp: 'SAP', seats: 40 } });
    await h.http().get(`/v1/accounts/${created.id}`).set(bearer(t.token)).expect(200);
    const updated = await h.http().patch(`/v1/accounts/${created.id}`).set(bearer(t.token)).send({ lifecycle: 'active', expectedVersion: 1 }).expect(200);
    expect(updated.body).toMatchObject({ lifecycle: 'active', version: 2 });
    const stale = await h.http().patch(`/v1/accounts/${created.id}`).set(bearer(t.token)).send({ lifecycle: 'at-risk', expectedVersion: 1 }).expect(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', errors: [{ field: 'expectedVersion' }] });
    const deleted = await h.http().delete(`/v1/accounts/${created.id}`).set(bearer(t.token)).expect(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    const list = await h.http().get('/v1/accounts').set(bearer(t.token)).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(created.id);
    const withDeleted = await h.http().get('/v1/accounts?includeDeleted=true').set(bearer(t.token)).expect(200);
    expect(withDeleted.body.items.map((a: { id: string }) => a.id)).toContain(created.id);
    await h.http().patch(`/v1/accounts/${created.id}`).set(bearer(t.token)).send({ name: 'x' }).expect(409);
    const restored = await h.http().post(`/v1/accounts/${created.id}/restore`).set(bearer(t.token)).expect(200);
    expect(restored.body.deletedAt).toBeNull();
  });

  it('names the field for every invalid input', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/accounts').set(bearer(t.token)).send({ name: '', sizeBand: 'huge', leadChannel: 'friends', customAttributes: { 'bad key': 1 }, colour: 'red' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'customAttributes.bad key', 'leadChannel', 'name', 'sizeBand'].sort());
    const owner = await h.http().post('/v1/accounts').set(bearer(t.token)).send({ name: 'X', ownerId: randomUUID() }).expect(400);
    expect(owner.body.errors[0]).toMatchObject({ field: 'ownerId', rule: 'exists' });
    const partnerless = await h.http().post('/v1/accounts').set(bearer(t.token)).send({ name: 'X', leadChannel: 'partner' }).expect(400);
    expect(partnerless.body.errors[0]).toMatchObject({ field: 'leadPartnerId', rule: 'required' });
  });

  it('refuses a duplicate external id with 409 naming the field', async () => {
    const t = await h.tenant();
    await account(t, { externalId: 'DUP-1' });
    const res = await h.http().post('/v1/accounts').set(bearer(t.token)).send({ name: 'Other', externalId: 'DUP-1' }).expect(409);
    expect(res.body).toMatchObject({ code: 'EXTERNAL_ID_TAKEN', errors: [{ field: 'externalId' }] });
  });

  it('filters, sorts and pages with a cursor', async () => {
    const t = await h.tenant();
    const names = ['Delta Mining', 'alpha Foods', 'Charlie Energy', 'Bravo Foods', 'Echo Foods'];
    for (const [i, name] of names.entries()) await account(t, { name, industry: i % 2 ? 'Food' : 'Energy', region: 'APAC', csmId: i < 2 ? t.adminId : undefined });
    const page1 = await h.http().get('/v1/accounts?limit=2&sort=name').set(bearer(t.token)).expect(200);
    const page2 = await h.http().get(`/v1/accounts?limit=2&sort=name&cursor=${page1.body.nextCursor}`).set(bearer(t.token)).expect(200);
    const page3 = await h.http().get(`/v1/accounts?limit=2&sort=name&cursor=${page2.body.nextCursor}`).set(bearer(t.token)).expect(200);
    expect([...page1.body.items, ...page2.body.items, ...page3.body.items].map((a: { name: string }) => a.name)).toEqual(['alpha Foods', 'Bravo Foods', 'Charlie Energy', 'Delta Mining', 'Echo Foods']);
    expect(page3.body.nextCursor).toBeNull();
    const desc = await h.http().get('/v1/accounts?sort=-name&limit=1').set(bearer(t.token)).expect(200);
    expect(desc.body.items[0].name).toBe('Echo Foods');
    const food = await h.http().get('/v1/accounts?industry=Food&namePrefix=b').set(bearer(t.token)).expect(200);
    expect(food.body.items.map((a: { name: string }) => a.name)).toEqual(['Bravo Foods']);
    const mine = await h.http().get(`/v1/accounts?csmId=${t.adminId}`).set(bearer(t.token)).expect(200);
    expect(mine.body.items).toHaveLength(2);
    const wrongCursor = await h.http().get(`/v1/accounts?sort=-name&cursor=${page1.body.nextCursor}`).set(bearer(t.token)).expect(400);
    expect(wrongCursor.body.errors[0].field).toBe('cursor');
    await h.http().get('/v1/accounts?tier=4').set(bearer(t.token)).expect(400);
  });

  it('isolates tenants', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const acc = await account(a);
    await h.http().get(`/v1/accounts/${acc.id}`).set(bearer(b.token)).expect(404);
    await h.http().patch(`/v1/accounts/${acc.id}`).set(bearer(b.token)).send({ name: 'stolen' }).expect(404);
    const list = await h.http().get('/v1/accounts').set(bearer(b.token)).expect(200);
    expect(list.body.items).toEqual([]);
  });
});

describe('partner scope', () => {
  it('shows a partner only the accounts it leads, and 404 for the rest', async () => {
    const t = await h.tenant();
    const p1 = await partnerKey(t, 'P1');
    const p2 = await partnerKey(t, 'P2');
    const led = await account(t, { name: 'Led by P1', leadChannel: 'partner', leadPartnerId: p1.partnerId });
    const other = await account(t, { name: 'Led by P2', leadChannel: 'partner', leadPartnerId: p2.partnerId });
    const direct = await account(t, { name: 'Direct' });
    const list = await h.http().get('/v1/accounts').set('x-api-key', p1.key).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([led.id]);
    await h.http().get(`/v1/accounts/${other.id}`).set('x-api-key', p1.key).expect(404);
    await h.http().get(`/v1/accounts/${direct.id}`).set('x-api-key', p1.key).expect(404);
    await h.http().patch(`/v1/accounts/${other.id}`).set('x-api-key', p1.key).send({ lifecycle: 'active' }).expect(404);
    await h.http().get(`/v1/accounts/${other.id}/contacts`).set('x-api-key', p1.key).expect(404);
    await h.http().post(`/v1/accounts/${other.id}/projects`).set('x-api-key', p1.key).send({ name: 'x', kind: 'purchase', size: 'small', lead: 'direct' }).expect(404);
    // What a partner creates, it leads.
    const own = await h.http().post('/v1/accounts').set('x-api-key', p1.key).send({ name: 'New via P1' }).expect(201);
    expect(own.body).toMatchObject({ leadChannel: 'partner', leadPartnerId: p1.partnerId });
    const hijack = await h.http().post('/v1/accounts').set('x-api-key', p1.key).send({ name: 'X', leadPartnerId: p2.partnerId }).expect(400);
    expect(hijack.body.errors[0].field).toBe('leadPartnerId');
    // Contacts and projects of its own accounts work.
    await h.http().post(`/v1/accounts/${led.id}/contacts`).set('x-api-key', p1.key).send({ name: 'Pat', buyingRole: 'champion' }).expect(201);
    await h.http().post(`/v1/accounts/${led.id}/projects`).set('x-api-key', p1.key).send({ name: 'Rollout', kind: 'project', size: 'mid', lead: 'partner', partnerId: p1.partnerId }).expect(201);
    // Partners cannot delete, retier, import or read revenue: a valid key on a user-only route is 403, not 401.
    await h.http().delete(`/v1/accounts/${led.id}`).set('x-api-key', p1.key).expect(403);
    await h.http().post('/v1/accounts:retier').set('x-api-key', p1.key).expect(403);
  });
});

describe('stakeholder map', () => {
  it('builds the tree, flags gaps and rejects a reporting cycle with 422 naming the field', async () => {
    const t = await h.tenant();
    const acc = await account(t);
    const add = (body: Record<string, unknown>) => h.http().post(`/v1/accounts/${acc.id}/contacts`).set(bearer(t.token)).send(body);
    const ceo = (await add({ name: 'Chris CEO', title: 'CEO', buyingRole: 'economic-buyer', influence: 'high' }).expect(201)).body;
    const cto = (await add({ name: 'Tara CTO', buyingRole: 'influencer', influence: 'high', reportsToId: ceo.id, engaged: false }).expect(201)).body;
    const lead = (await add({ name: 'Lee Lead', title: 'Tech lead', buyingRole: 'end-user', influence: 'high', reportsToId: cto.id, engaged: false }).expect(201)).body;
    const map = await h.http().get(`/v1/accounts/${acc.id}/stakeholder-map`).set(bearer(t.token)).expect(200);
    expect(map.body.roots).toHaveLength(1);
    expect(map.body.roots[0].id).toBe(ceo.id);
    expect(map.body.roots[0].reports[0].reports[0]).toMatchObject({ id: lead.id, depth: 2, hiddenInfluencer: true });
    const gaps = map.body.gaps.map((g: { code: string }) => g.code);
    expect(gaps).toEqual(expect.arrayContaining(['no-decision-maker', 'single-threaded', 'no-champion']));
    const cycle = await h.http().patch(`/v1/contacts/${ceo.id}`).set(bearer(t.token)).send({ reportsToId: lead.id }).expect(422);
    expect(cycle.body).toMatchObject({ code: 'REPORTS_TO_CYCLE', errors: [{ field: 'reportsToId', rule: 'no-cycle' }] });
    const self = await h.http().patch(`/v1/contacts/${ceo.id}`).set(bearer(t.token)).send({ reportsToId: ceo.id }).expect(422);
    expect(self.body.errors[0].field).toBe('reportsToId');
    const otherAccount = await account(t);
    const foreign = await h.http().post(`/v1/accounts/${otherAccount.id}/contacts`).set(bearer(t.token)).send({ name: 'X', buyingRole: 'blocker', reportsToId: ceo.id }).expect(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'reportsToId', rule: 'same-account' });
    // Deleting a middle manager re-attaches its reports to its own manager.
    await h.http().delete(`/v1/contacts/${cto.id}`).set(bearer(t.token)).expect(200);
    const contacts = await h.http().get(`/v1/accounts/${acc.id}/contacts`).set(bearer(t.token)).expect(200);
    expect(contacts.body.items.find((c: { id: string }) => c.id === lead.id).reportsToId).toBe(ceo.id);
  });
});

describe('installed base', () => {
  it('records projects with their lead, and going live stamps the date', async () => {
    const t = await h.tenant();
    const acc = await account(t);
    const p = await partnerKey(t);
    const bad = await h.http().post(`/v1/accounts/${acc.id}/projects`).set(bearer(t.token)).send({ name: 'X', kind: 'project', size: 'large', lead: 'partner' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'partnerId', rule: 'required' });
    const created = await h.http().post(`/v1/accounts/${acc.id}/projects`).set(bearer(t.token)).send({ name: 'MES rollout', kind: 'project', size: 'large', lead: 'partner', partnerId: p.partnerId, region: 'EMEA' }).expect(201);
    expect(created.body).toMatchObject({ status: 'delivering', goLiveDate: null });
    const live = await h.http().patch(`/v1/projects/${created.body.id}`).set(bearer(t.token)).send({ status: 'live' }).expect(200);
    expect(live.body.goLiveDate).toBe(new Date().toISOString().slice(0, 10));
    const list = await h.http().get(`/v1/accounts/${acc.id}/projects`).set(bearer(t.token)).expect(200);
    expect(list.body.items).toHaveLength(1);
    await h.http().get(`/v1/projects/${created.body.id}`).set(bearer(t.token)).expect(200);
    await h.http().delete(`/v1/projects/${created.body.id}`).set(bearer(t.token)).expect(200);
    await h.http().get(`/v1/projects/${created.body.id}`).set(bearer(t.token)).expect(404);
  });
});

describe('CSV import and export', () => {
  it('imports good rows, reports bad ones by line and field, and is idempotent on externalId', async () => {
    const t = await h.tenant();
    const csv = [
      'externalId,name,industry,region,ownerEmail,strategic,lifecycle,attr.erp',
      `CRM-1,Acme Steel,Manufacturing,EMEA,${t.email},yes,active,SAP`,
      'CRM-2,Globex,Energy,APAC,,no,prospect,',
      ',No External Id,Energy,APAC,,,,',
      'CRM-3,Bad Lifecycle,Energy,APAC,,maybe,sleeping,',
      'CRM-4,Unknown Owner,Energy,APAC,nobody@example.test,,,',
    ].join('\n');
    const res = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ status: 'completed', totalRows: 5, processedRows: 5, created: 2, updated: 0, failed: 3 });
    const byLine = (line: number) => res.body.errors.filter((e: { line: number }) => e.line === line).map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(byLine(4)).toEqual(['externalId:required']);
    expect(byLine(5).sort()).toEqual(['lifecycle:enum', 'strategic:boolean']);
    expect(byLine(6)).toEqual(['ownerEmail:exists']);
    const again = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(csv).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 3 });
    const changed = csv.replace('Acme Steel', 'Acme Steel AG');
    const third = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').set('X-Filename', 'crm-export.csv').send(changed).expect(200);
    expect(third.body).toMatchObject({ created: 0, updated: 1, unchanged: 1, filename: 'crm-export.csv' });
    expect(again.body.filename).toBeNull();
    const job = await h.http().get(`/v1/account-imports/${third.body.id}`).set(bearer(t.token)).expect(200);
    expect(job.body.status).toBe('completed');
    const list = await h.http().get('/v1/accounts').set(bearer(t.token)).expect(200);
    expect(list.body.items.find((a: { externalId: string }) => a.externalId === 'CRM-1')).toMatchObject({ name: 'Acme Steel AG', strategic: true, ownerId: t.adminId, customAttributes: { erp: 'SAP' } });
  });

  it('does not count a different attribute column order as a change', async () => {
    const t = await h.tenant();
    const first = 'externalId,name,attr.b,attr.a\nORD-1,Order Co,2,1\n';
    const second = 'externalId,name,attr.a,attr.b\nORD-1,Order Co,1,2\n';
    await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(first).expect(200);
    const again = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(second).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('rejects a malformed file with 400', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send('externalId,name\n"unclosed,quote\n').expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: '(body)', rule: 'csv' });
  });

  it('exports the filtered list as CSV that imports back unchanged', async () => {
    const t = await h.tenant();
    await account(t, { externalId: 'E-1', name: 'Export One', industry: 'Food', customAttributes: { erp: 'Oracle' } });
    await account(t, { externalId: 'E-2', name: 'Export Two', industry: 'Mining' });
    const res = await h.http().get('/v1/accounts:export?industry=Food').set(bearer(t.token)).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('attr.erp');
    expect(lines[1]).toContain('Export One');
    const back = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(res.text).expect(200);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
  });

  it('exports formula-looking cells as text (OWASP CSV injection) and imports them back unchanged', async () => {
    const t = await h.tenant();
    const name = '=HYPERLINK("http://evil.test","Click")';
    await account(t, { externalId: 'F-1', name, industry: 'Formula', region: '@risk', customAttributes: { note: '+1+1', cmd: "-2+3+cmd|' /C calc'!A0" } });
    const res = await h.http().get('/v1/accounts:export?industry=Formula').set(bearer(t.token)).expect(200);
    const cells = res.text.split(/[\n,]/);
    for (const dangerous of cells.filter((c) => /^"?[=+@\t\r]/.test(c) || /^"?-[^0-9]/.test(c))) throw new Error(`a cell starts like a formula: ${dangerous}`);
    expect(res.text).toContain(`'=HYPERLINK(`);
    expect(res.text).toContain("'@risk");
    const back = await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(res.text).expect(200);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    const list = await h.http().get('/v1/accounts?industry=Formula').set(bearer(t.token)).expect(200);
    expect(list.body.items[0]).toMatchObject({ name, region: '@risk', customAttributes: { note: '+1+1', cmd: "-2+3+cmd|' /C calc'!A0" } });
  });
});

describe('revenue and tiering', () => {
  const month = (offset: number) => {
    const d = new Date();
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - offset, 1));
    return m.toISOString().slice(0, 7);
  };

  it('upserts a batch with per-row errors, idempotently, and re-tiers automatically', async () => {
    const t = await h.tenant();
    const big = await account(t, { name: 'Big' });
    const mid = await account(t, { name: 'Mid' });
    const small = await account(t, { name: 'Small', highPotential: true });
    const rows = [
      { accountId: big.id, month: month(1), productRevenue: 800_00, serviceRevenue: 0, grossMargin: 200_00, currency: 'EUR' },
      { accountId: mid.id, month: month(2), productRevenue: 150_00, serviceRevenue: 0, grossMargin: 50_00, currency: 'EUR' },
      { accountId: small.id, month: month(3), productRevenue: 50_00, serviceRevenue: 0, grossMargin: 10_00, currency: 'EUR' },
      { accountId: randomUUID(), month: month(1), productRevenue: 1, serviceRevenue: 0, grossMargin: 0, currency: 'EUR' },
      { accountId: big.id, month: '2026-13', productRevenue: 1.5, serviceRevenue: 0, grossMargin: 0, currency: 'EUR' },
      { accountId: big.id, month: month(1), productRevenue: 1, serviceRevenue: 0, grossMargin: 0, currency: 'EUR' },
      { accountId: mid.id, month: month(4), productRevenue: 1, serviceRevenue: 0, grossMargin: 0, currency: 'USD' },
    ];
    const res = await h.http().post('/v1/revenue-records:batch').set(bearer(t.token)).send({ records: rows }).expect(200);
    expect(res.body).toMatchObject({ accepted: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 4 });
    const fields = res.body.errors.map((e: { index: number; field: string }) => `${e.index}:${e.field}`);
    expect(fields).toEqual(expect.arrayContaining(['3:accountId', '4:month', '4:productRevenue', '5:month', '6:currency']));
    const again = await h.http().post('/v1/revenue-records:batch').set(bearer(t.token)).send({ records: rows }).expect(200);
    expect(again.body).toMatchObject({ accepted: 3, inserted: 0, updated: 0, unchanged: 3 });
    const revenue = await h.http().get(`/v1/accounts/${big.id}/revenue`).set(bearer(t.token)).expect(200);
    expect(revenue.body.items).toEqual([{ accountId: big.id, month: month(1), productRevenue: 800_00, serviceRevenue: 0, grossMargin: 200_00, currency: 'EUR' }]);

    // Debounced re-tiering: 800 of 1000 = 80% → Big is Tier 1; of the remaining 200, Mid makes 75% < 80% so Mid and Small are Tier 2.
    const deadline = Date.now() + 10_000;
    let tiers: Record<string, number> = {};
    while (Date.now() < deadline) {
      const list = await h.http().get('/v1/accounts').set(bearer(t.token)).expect(200);
      tiers = Object.fromEntries(list.body.items.map((a: { name: string; tier: number }) => [a.name, a.tier]));
      if (tiers.Big === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tiers).toEqual({ Big: 1, Mid: 2, Small: 2 });
    const summary = await h.http().get('/v1/tiering/summary').set(bearer(t.token)).expect(200);
    expect(summary.body.tiers).toEqual([
      { tier: 1, accounts: 1, revenue: 800_00, share: 0.8 },
      { tier: 2, accounts: 2, revenue: 200_00, share: 0.2 },
      { tier: 3, accounts: 0, revenue: 0, share: 0 },
    ]);
    expect(summary.body.cutoffs.tier1MinRevenue).toBe(800_00);
  });

  it('accepts the maximum batch of 10,000 rows (over 1 MB of JSON) and refuses 10,001', async () => {
    const t = await h.tenant();
    const csv = ['externalId,name', ...Array.from({ length: 417 }, (_, i) => `B-${i},Batch ${i}`)].join('\n');
    await h.http().post('/v1/accounts:import').set(bearer(t.token)).set('content-type', 'text/csv').send(csv).expect(200);
    const ids: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await h.http().get(`/v1/accounts?limit=200${cursor ? `&cursor=${cursor}` : ''}`).set(bearer(t.token)).expect(200);
      ids.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    }
    expect(ids).toHaveLength(417);
    const records = ids.flatMap((accountId) => Array.from({ length: 24 }, (_, m) => ({ accountId, month: month(m + 1), productRevenue: 1000 + m, serviceRevenue: 200, grossMargin: 300, currency: 'EUR' }))).slice(0, 10_000);
    expect(JSON.stringify({ records }).length).toBeGreaterThan(1_048_576);
    const res = await h.http().post('/v1/revenue-records:batch').set(bearer(t.token)).send({ records }).expect(200);
    expect(res.body).toMatchObject({ accepted: 10_000, inserted: 10_000, rejected: 0 });
    const tooMany = await h.http().post('/v1/revenue-records:batch').set(bearer(t.token)).send({ records: [...records, records[0]] }).expect(400);
    expect(tooMany.body.errors[0]).toMatchObject({ field: 'records', rule: 'max' });
  });

  it('applies and clears an override, and retiers on demand', async () => {
    const t = await h.tenant();
    const acc = await account(t, { name: 'Pinned' });
    await h.http().post('/v1/accounts:retier').set(bearer(t.token)).expect(200);
    const bad = await h.http().put(`/v1/accounts/${acc.id}/tier-override`).set(bearer(t.token)).send({ tier: 1, reason: 'x', expiresAt: '2001-01-01T00:00:00Z' }).expect(400);
    expect(bad.body.errors[0].field).toBe('expiresAt');
    const pinned = await h.http().put(`/v1/accounts/${acc.id}/tier-override`).set(bearer(t.token)).send({ tier: 1, reason: 'Board-level strategic partner' }).expect(200);
    expect(pinned.body).toMatchObject({ tier: 1, computedTier: 3, tierReason: 'override', tierOverride: { tier: 1, reason: 'Board-level strategic partner', by: `user:${t.adminId}` } });
    const retier = await h.http().post('/v1/accounts:retier').set(bearer(t.token)).expect(200);
    expect(retier.body).toMatchObject({ accounts: 1 });
    expect((await h.http().get(`/v1/accounts/${acc.id}`).set(bearer(t.token))).body.tier).toBe(1);
    const cleared = await h.http().delete(`/v1/accounts/${acc.id}/tier-override`).set(bearer(t.token)).expect(200);
    expect(cleared.body).toMatchObject({ tier: 3, tierOverride: null, tierReason: 'no-positive-revenue' });
    // A strategic account keeps its computed reason through an override and back.
    const strategic = await account(t, { name: 'Strategic', strategic: true });
    await h.http().put(`/v1/accounts/${strategic.id}/tier-override`).set(bearer(t.token)).send({ tier: 1, reason: 'CEO sponsor' }).expect(200);
    await h.http().post('/v1/accounts:retier').set(bearer(t.token)).expect(200);
    const back = await h.http().delete(`/v1/accounts/${strategic.id}/tier-override`).set(bearer(t.token)).expect(200);
    expect(back.body).toMatchObject({ tier: 2, computedTier: 2, tierReason: 'strategic' });

    // Pinned went 3 → 1 → 3 (no net move); Strategic was created in Tier 3, pinned to 1, and is 2 now: one upgrade.
    const movement = await h.http().get('/v1/tiering/movement').set(bearer(t.token)).expect(200);
    expect(movement.body).toMatchObject({ moves: [{ fromTier: 3, toTier: 2, accounts: 1 }], upgraded: 1, downgraded: 0 });
    expect(movement.body.accounts.map((a: { name: string }) => a.name)).toEqual(['Strategic']);
    const since = new Date().toISOString();
    await h.http().put(`/v1/accounts/${acc.id}/tier-override`).set(bearer(t.token)).send({ tier: 2, reason: 'Expansion deal' }).expect(200);
    const moved = await h.http().get(`/v1/tiering/movement?since=${encodeURIComponent(since)}&limit=5`).set(bearer(t.token)).expect(200);
    expect(moved.body).toMatchObject({ moves: [{ fromTier: 3, toTier: 2, accounts: 1 }], upgraded: 1, downgraded: 0 });
    expect(moved.body.accounts[0]).toMatchObject({ accountId: acc.id, name: 'Pinned', fromTier: 3, toTier: 2 });
    const future = await h.http().get('/v1/tiering/movement?since=2999-01-01T00:00:00Z').set(bearer(t.token)).expect(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'query.since', rule: 'past' });
    const badLimit = await h.http().get('/v1/tiering/movement?limit=0').set(bearer(t.token)).expect(400);
    expect(badLimit.body.errors[0]).toMatchObject({ field: 'query.limit', rule: 'min' });
  });
});
