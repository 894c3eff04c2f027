import { randomUUID } from 'node:crypto';
import { Subjects } from '@steward/contracts';
import { UnitOfWork } from '@steward/persistence';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;
let uow: UnitOfWork;

beforeAll(async () => {
  h = await startAccountsHarness('pscope');
  uow = new UnitOfWork(h.runtime.dataSource, h.config.dbRoles.partner);
});
afterAll(async () => {
  await h?.close();
});

describe('partner scope in the database', () => {
  it('limits hand-written SQL of a partner transaction to the accounts it leads and their rows', async () => {
    const t = await h.tenant();
    const p1 = await h.client.request(s.partnerCreate, { name: 'P1', kind: 'reseller' }, { context: t.admin });
    const p2 = await h.client.request(s.partnerCreate, { name: 'P2', kind: 'dealer' }, { context: t.admin });
    const mine = await h.client.request(s.accountCreate, { name: 'Mine', leadChannel: 'partner', leadPartnerId: p1.id }, { context: t.admin });
    const theirs = await h.client.request(s.accountCreate, { name: 'Theirs', leadChannel: 'dealer', leadPartnerId: p2.id }, { context: t.admin });
    await h.client.request(s.accountCreate, { name: 'Direct' }, { context: t.admin });
    await h.client.request(s.contactCreate, { accountId: theirs.id, name: 'Hidden', buyingRole: 'champion' }, { context: t.admin });

    const scope = { tenantId: t.tenantId, partnerId: p1.id };
    const seen = await uow.forScope(scope, async (em) => ({
      accounts: (await em.query('SELECT id FROM accounts.accounts')).map((r: { id: string }) => r.id),
      contacts: Number((await em.query('SELECT count(*) AS n FROM accounts.contacts'))[0].n),
      users: Number((await em.query('SELECT count(*) AS n FROM accounts.users'))[0].n),
      partners: (await em.query('SELECT id FROM accounts.partners')).map((r: { id: string }) => r.id),
      role: (await em.query('SELECT current_user AS r'))[0].r,
    }));
    expect(seen).toEqual({ accounts: [mine.id], contacts: 0, users: 0, partners: [p1.id], role: 'steward_accounts_partner' });

    // Writing a row for another partner is refused by the policy's WITH CHECK.
    await expect(
      uow.forScope(scope, (em) => em.query(`INSERT INTO accounts.accounts (id, tenant_id, name, lead_channel, lead_partner_id) VALUES ($1, $2, 'x', 'partner', $3)`, [randomUUID(), t.tenantId, p2.id])),
    ).rejects.toThrow(/row-level security/);
    // Revenue and imports are not a partner's business at all.
    await expect(uow.forScope(scope, (em) => em.query('SELECT * FROM accounts.revenue_records'))).rejects.toThrow(/permission denied/);
    await expect(uow.forScope(scope, (em) => em.query('SELECT * FROM accounts.import_jobs'))).rejects.toThrow(/permission denied/);

    // The same connection pool serves the tenant again as the runtime role, with every account.
    const tenantView = await uow.forTenant(t.tenantId, async (em) => ({
      accounts: Number((await em.query('SELECT count(*) AS n FROM accounts.accounts'))[0].n),
      role: (await em.query('SELECT current_user AS r'))[0].r,
    }));
    expect(tenantView).toEqual({ accounts: 3, role: 'steward_accounts' });
  });
});
