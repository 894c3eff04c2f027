import { ErrorCode, Subjects } from '@steward/contracts';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;

beforeAll(async () => {
  h = await startAccountsHarness('tieroverride');
});
afterAll(async () => {
  await h?.close();
});

describe('who may pin an account to a tier', () => {
  it('a manager any account; a CSM only the accounts he or she is the CSM of; an agent or viewer none', async () => {
    const t = await h.tenant();
    const user = async (role: 'manager' | 'csm' | 'agent' | 'viewer', n: string) => {
      const u = await h.client.request(s.userCreate, { email: `${n}@override.test`, name: n, role, password: 'correct horse battery' }, { context: t.admin });
      return { id: u.id, ctx: h.as(t.tenantId, u.id, role) };
    };
    const manager = await user('manager', 'marta');
    const csm = await user('csm', 'chris');
    const otherCsm = await user('csm', 'sofia');
    const agent = await user('agent', 'alex');
    const viewer = await user('viewer', 'victor');
    const mine = await h.client.request(s.accountCreate, { name: 'Looked after by Chris', csmId: csm.id }, { context: t.admin });
    const unassigned = await h.client.request(s.accountCreate, { name: 'No CSM' }, { context: t.admin });
    const pin = { tier: 1 as const, reason: 'Strategic reference customer' };

    const pinned = await h.client.request(s.tierOverrideSet, { accountId: mine.id, ...pin }, { context: csm.ctx });
    expect(pinned).toMatchObject({ tier: 1, tierOverride: { tier: 1, reason: pin.reason } });
    const cleared = await h.client.request(s.tierOverrideClear, { accountId: mine.id }, { context: csm.ctx });
    expect(cleared.tierOverride).toBeNull();

    // Another CSM, or an account without a CSM: refused, nothing written.
    for (const [ctx, accountId] of [
      [otherCsm.ctx, mine.id],
      [csm.ctx, unassigned.id],
    ] as const) {
      await expect(h.client.request(s.tierOverrideSet, { accountId, ...pin }, { context: ctx })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    await h.client.request(s.tierOverrideSet, { accountId: mine.id, ...pin }, { context: manager.ctx });
    await expect(h.client.request(s.tierOverrideClear, { accountId: mine.id }, { context: otherCsm.ctx })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    for (const ctx of [agent.ctx, viewer.ctx]) {
      await expect(h.client.request(s.tierOverrideSet, { accountId: unassigned.id, ...pin }, { context: ctx })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    const after = await h.client.request(s.accountGet, { id: unassigned.id }, { context: t.admin });
    expect(after.tierOverride).toBeNull();
    expect((await h.client.request(s.accountGet, { id: mine.id }, { context: t.admin })).tierOverride).toMatchObject({ tier: 1 });
  });
});
