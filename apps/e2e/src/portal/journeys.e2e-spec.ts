// The portal's main journeys in Debian's Chromium against the real stack (demo accounts seeded),
// each checked in the browser and, where it writes, against the API afterwards.
import { type Page } from 'playwright-core';
import { type PortalHarness, settle, startPortal, visit } from './harness';

jest.setTimeout(300_000);

let h: PortalHarness;
beforeAll(async () => {
  h = await startPortal('journeys');
});
afterAll(async () => {
  await h?.close();
});

/** The signed-in user's access token, as the portal keeps it. */
const tokenOf = async (page: Page): Promise<string> => (await page.evaluate(`JSON.parse(localStorage.getItem('steward.session') ?? '{}').accessToken`)) as string;

async function api<T>(path: string, auth: { token?: string; apiKey?: string }): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = auth.token ? { authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey ?? '' };
  const res = await fetch(`${h.baseUrl}${path}`, { headers });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

describe('an admin', () => {
  it('signs in, creates a user and a partner, issues an API key (shown once) and revokes it', async () => {
    const { page, errors } = await h.open('admin');
    const token = await tokenOf(page);

    await visit(page, '/admin/users');
    const email = `new.agent.${Date.now()}@demo.test`;
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-name').fill('Nadia Agent');
    await page.getByTestId('user-email').fill(email);
    await page.getByTestId('user-role').getByText('Support agent').click();
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-submit').click();
    // The API's rule, checked in the browser first: at least 10 characters.
    await page.locator('.ant-form-item-explain-error', { hasText: 'At least 10 characters.' }).waitFor();
    await page.getByTestId('user-password').fill('a-long-enough-password');
    await page.getByTestId('user-submit').click();
    await page.getByTestId('users-table').getByText(email).waitFor();
    const users = await api<{ items: Array<{ email: string; role: string }> }>('/v1/users?limit=200', { token });
    expect(users.body.items.find((u) => u.email === email)).toMatchObject({ role: 'agent' });

    await visit(page, '/admin/partners');
    const name = `Journey Partner ${Date.now()}`;
    await page.getByTestId('partner-create').click();
    await page.getByTestId('partner-name').fill(name);
    await page.getByTestId('partner-kind').locator('input[type="radio"]').first().check();
    await page.getByTestId('partner-submit').click();
    const row = page.getByTestId('partners-table').locator('tr', { hasText: name });
    await row.waitFor();
    await row.getByTestId('keys-open').click();
    await page.getByTestId('key-issue').click();
    await page.getByTestId('key-name').fill('ERP sync');
    await page.getByTestId('key-submit').click();
    const secret = (await page.getByTestId('key-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    expect((await api('/v1/partner/me', { apiKey: secret })).status).toBe(200);
    await page.getByTestId('key-secret-done').click();
    // Shown once: the drawer lists the key without its secret.
    const keys = page.getByTestId('keys-table');
    await keys.getByText('ERP sync').waitFor();
    expect(await keys.innerText()).not.toContain(secret);
    await keys.locator('tr', { hasText: 'ERP sync' }).getByTestId('key-revoke').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await keys.locator('tr', { hasText: 'ERP sync' }).getByText('Revoked').waitFor();
    expect((await api('/v1/partner/me', { apiKey: secret })).status).toBe(401);

    await visit(page, '/admin/audit');
    await page.getByTestId('audit-table').getByText('API key revoked').first().waitFor();
    expect(errors).toEqual([]);
  });
});

describe('a CSM', () => {
  it('filters the accounts, opens one of his, reads its stakeholder gaps and revenue, and sets a tier override', async () => {
    const admin = await h.open('admin');
    const adminToken = await tokenOf(admin.page);
    const users = await api<{ items: Array<{ id: string; email: string }> }>('/v1/users?limit=200', { token: adminToken });
    const me = users.body.items.find((u) => u.email === 'csm1@demo.test')!;
    // One of his accounts that has a stakeholder map and revenue (the demo maps some accounts only).
    const mine = await api<{ items: Array<{ id: string; name: string; tier: number }> }>(`/v1/accounts?csmId=${me.id}&limit=200`, { token: adminToken });
    let target: { id: string; name: string; tier: number } | undefined;
    for (const a of mine.body.items) {
      const contacts = await api<{ items: unknown[] }>(`/v1/accounts/${a.id}/contacts`, { token: adminToken });
      if (contacts.body.items.length >= 2) {
        target = a;
        break;
      }
    }
    expect(target).toBeDefined();

    const { page, errors } = await h.open('csm');
    await visit(page, `/accounts?csm=${me.id}`);
    await page.getByTestId('filter-tier').getByText(`Tier ${target!.tier}`).click();
    await settle(page);
    expect(new URL(page.url()).searchParams.get('tier')).toBe(String(target!.tier));
    await page.getByTestId('accounts-search').fill(target!.name);
    await page.getByTestId('accounts-search').press('Enter');
    await settle(page);
    // The filters survive a reload (they are the URL).
    await page.reload();
    await settle(page);
    await page.getByTestId('accounts-table').getByTestId('account-link').filter({ hasText: target!.name }).first().click();
    await settle(page);
    expect((await page.getByTestId('account-name').innerText()).trim()).toBe(target!.name);

    await page.getByTestId('stakeholder-graph').locator('canvas').waitFor();
    await page.getByTestId('contacts-table').waitFor();
    await page.getByTestId('stakeholder-gaps').waitFor();
    await page.getByTestId('revenue-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('revenue-summary').innerText()).toMatch(/€|EUR/);

    await page.getByTestId('override-open').click();
    await page.getByTestId('override-tier').getByText('Tier 1').click();
    await page.getByTestId('override-reason').fill('Executive sponsor signed the expansion');
    await page.getByTestId('override-submit').click();
    await page.getByTestId('tier-card').getByText('Executive sponsor signed the expansion').waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const account = await api<{ tier: number; tierOverride: { reason: string } | null }>(`/v1/accounts/${id}`, { token: await tokenOf(page) });
    expect(account.body).toMatchObject({ tier: 1, tierOverride: { reason: 'Executive sponsor signed the expansion' } });
    expect(errors).toEqual([]);
  });

  it('cannot override an account whose CSM is someone else (the button is not there)', async () => {
    const admin = await h.open('admin');
    const token = await tokenOf(admin.page);
    const users = await api<{ items: Array<{ id: string; email: string }> }>('/v1/users?limit=200', { token });
    const other = users.body.items.find((u) => u.email === 'csm2@demo.test')!;
    const accounts = await api<{ items: Array<{ id: string }> }>(`/v1/accounts?csmId=${other.id}&limit=1`, { token });
    const { page } = await h.open('csm');
    await visit(page, `/accounts/${accounts.body.items[0]!.id}`);
    await page.getByTestId('tier-card').waitFor();
    expect(await page.getByTestId('override-open').count()).toBe(0);
  });
});

describe('a manager', () => {
  it('imports a CSV with an error row, sees the error by line and field, then retiers', async () => {
    const { page, errors } = await h.open('manager');
    await visit(page, '/accounts');
    await page.getByTestId('import-open').click();
    const csv = ['externalId,name,leadChannel', 'JRN-1,Journey Good Co,direct', 'JRN-2,Journey Bad Co,telepathy', ''].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').locator('[data-count="created"]').innerText()).toMatch(/1/);
    expect(await page.getByTestId('import-result').locator('[data-count="rejected"]').innerText()).toMatch(/1/);
    const errorsTable = page.getByTestId('import-errors');
    const row = await errorsTable.locator('tbody tr').first().innerText();
    expect(row).toMatch(/3/);
    expect(row).toMatch(/leadChannel/);

    await visit(page, '/tiering');
    await page.getByTestId('retier').click();
    await page.getByTestId('retier-result').waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
  });
});

describe('the language switch', () => {
  it('shows the portal in Chinese, with no untranslated key, and remembers the choice', async () => {
    const { page, errors } = await h.open('admin', 'en');
    await visit(page, '/accounts');
    await page.getByText('中文', { exact: true }).click();
    await page.locator('nav').getByText('客户', { exact: true }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.reload();
    await settle(page);
    await page.locator('nav').getByText('客户', { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe('a viewer', () => {
  it('sees the accounts and an account but no write action anywhere', async () => {
    const { page } = await h.open('viewer');
    await visit(page, '/accounts');
    expect(await page.getByTestId('import-open').count()).toBe(0);
    await page.getByTestId('accounts-table').getByTestId('account-link').first().click();
    await settle(page);
    await page.getByTestId('tier-card').waitFor();
    expect(await page.locator('[data-action="write"]').count()).toBe(0);
    await visit(page, '/tiering');
    expect(await page.getByTestId('retier').count()).toBe(0);
  });
});
