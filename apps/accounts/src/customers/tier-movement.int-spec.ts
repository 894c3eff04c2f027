import { ErrorCode, Subjects } from '@steward/contracts';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;

beforeAll(async () => {
  h = await startAccountsHarness('tiermove');
});
afterAll(async () => {
  await h?.close();
});

const lastMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

describe('tier movement from the tier history', () => {
  it('counts each account once by its net move (first tier in the window → tier now), lists the latest, and starts empty', async () => {
    const t = await h.tenant();
    const none = await h.client.request(s.tierMovement, {}, { context: t.admin });
    expect(none).toMatchObject({ recordedSince: null, moves: [], upgraded: 0, downgraded: 0, accounts: [] });

    const big = await h.client.request(s.accountCreate, { name: 'Big Co' }, { context: t.admin });
    const small = await h.client.request(s.accountCreate, { name: 'Small Co' }, { context: t.admin });
    const flat = await h.client.request(s.accountCreate, { name: 'Flat Co' }, { context: t.admin });
    const before = new Date().toISOString();
    // 900 of 1000 = 90% ≥ 80% → Big is Tier 1; Small holds the rest → Tier 2 (both from 3).
    const rows = [
      { accountId: big.id, month: lastMonth(), productRevenue: 900_00, serviceRevenue: 0, grossMargin: 300_00, currency: 'EUR' },
      { accountId: small.id, month: lastMonth(), productRevenue: 100_00, serviceRevenue: 0, grossMargin: 30_00, currency: 'EUR' },
    ];
    await h.client.request(s.revenueBatch, { records: rows }, { context: t.admin });
    await h.client.request(s.retier, {}, { context: t.admin });
    // Flat goes 3 → 1 by override and back: no net move, not counted.
    await h.client.request(s.tierOverrideSet, { accountId: flat.id, tier: 1, reason: 'Trial' }, { context: t.admin });
    await h.client.request(s.tierOverrideClear, { accountId: flat.id }, { context: t.admin });
    // Small is pinned down to 3 again by hand: its net move is 3 → 3, also not counted.
    await h.client.request(s.tierOverrideSet, { accountId: small.id, tier: 3, reason: 'Churn risk, sized down' }, { context: t.admin });

    const moved = await h.client.request(s.tierMovement, { since: before }, { context: t.admin });
    expect(moved.moves).toEqual([{ fromTier: 3, toTier: 1, accounts: 1 }]);
    expect(moved).toMatchObject({ upgraded: 1, downgraded: 0, since: before });
    expect(moved.accounts).toEqual([expect.objectContaining({ accountId: big.id, name: 'Big Co', fromTier: 3, toTier: 1, reason: 'tier1-revenue' })]);
    expect(Date.parse(moved.recordedSince!)).toBeGreaterThanOrEqual(Date.parse(before));

    // Later: Big is pinned to 2 → since the start it is still an upgrade (3 → 2); since now a downgrade.
    const mid = new Date().toISOString();
    await h.client.request(s.tierOverrideSet, { accountId: big.id, tier: 2, reason: 'Budget frozen' }, { context: t.admin });
    const whole = await h.client.request(s.tierMovement, { since: before }, { context: t.admin });
    expect(whole.moves).toEqual([{ fromTier: 3, toTier: 2, accounts: 1 }]);
    const recent = await h.client.request(s.tierMovement, { since: mid, limit: 1 }, { context: t.admin });
    expect(recent).toMatchObject({ moves: [{ fromTier: 1, toTier: 2, accounts: 1 }], upgraded: 0, downgraded: 1 });
    expect(recent.accounts[0]).toMatchObject({ accountId: big.id, reason: 'override: Budget frozen' });

    // Another tenant sees none of it (row-level security), and the future is refused naming the field.
    const other = await h.tenant();
    expect((await h.client.request(s.tierMovement, { since: before }, { context: other.admin })).moves).toEqual([]);
    await expect(h.client.request(s.tierMovement, { since: new Date(Date.now() + 86_400_000).toISOString() }, { context: t.admin })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: { errors: [expect.objectContaining({ field: 'since', rule: 'past' })] },
    });
  });
});
