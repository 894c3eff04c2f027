import fc from 'fast-check';
import { computeTiers, type TieringAccount, type TieringResult } from './tiering';

const NOW = '2026-03-01T12:00:00Z';

// Revenues mix small ties, big values and credit notes; ids are short so ties on id order matter.
const revenueArb = fc.oneof(fc.integer({ min: -1_000, max: 0 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 10_000_000_000 }));
const accountsArb = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^[A-Za-z0-9]{1,4}$/),
    revenue: revenueArb,
    strategic: fc.boolean(),
    highPotential: fc.boolean(),
  }),
  { selector: (a) => a.id, maxLength: 60 },
);
// Thresholds as whole percentages, so the properties check against p/100 independently of
// the library's decimal-to-fraction conversion.
const percentArb = fc.integer({ min: 1, max: 100 });

const big = BigInt;
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

function revenueTier(result: TieringResult, tier: 1 | 2): number[] {
  // Revenue of the accounts placed in `tier` by revenue, in rank order.
  return result.assignments
    .filter((a) => a.rank !== null && a.computedTier === tier && (tier === 1 || a.reason === 'tier2-revenue'))
    .sort((a, b) => a.rank! - b.rank!)
    .map((a) => a.revenue);
}

describe('computeTiers properties', () => {
  it('every account gets exactly one tier, in input order, and the summary adds up', () => {
    fc.assert(
      fc.property(accountsArb, percentArb, (accounts, p) => {
        const result = computeTiers(accounts, { now: NOW, threshold: p / 100 });
        expect(result.assignments.map((a) => a.accountId)).toEqual(accounts.map((a) => a.id));
        for (const a of result.assignments) expect([1, 2, 3]).toContain(a.tier);
        const rows = result.summary.tiers;
        expect(rows.map((r) => r.tier)).toEqual([1, 2, 3]);
        expect(sum(rows.map((r) => r.accounts))).toBe(accounts.length);
        expect(sum(rows.map((r) => r.revenue))).toBe(sum(accounts.map((a) => a.revenue)));
        for (const r of rows) {
          const inTier = result.assignments.filter((a) => a.tier === r.tier);
          expect(r.accounts).toBe(inTier.length);
          expect(r.revenue).toBe(sum(inTier.map((a) => a.revenue)));
        }
        const positive = sum(accounts.map((a) => Math.max(0, a.revenue)));
        expect(result.summary.totalPositiveRevenue).toBe(positive);
        expect(sum(rows.map((r) => r.share))).toBeCloseTo(positive > 0 ? 1 : 0, 9);
      }),
    );
  });

  it('Tier 1 reaches the threshold whenever there is positive revenue, and is minimal', () => {
    fc.assert(
      fc.property(accountsArb, percentArb, (accounts, p) => {
        const result = computeTiers(accounts, { now: NOW, threshold: p / 100 });
        const total = result.summary.totalPositiveRevenue;
        const tier1 = revenueTier(result, 1);
        if (total === 0) {
          expect(tier1).toEqual([]);
          return;
        }
        const cum = sum(tier1);
        // cum / total ≥ p / 100  ⇔  cum · 100 ≥ total · p  (exact, in BigInt)
        expect(big(cum) * 100n >= big(total) * big(p)).toBe(true);
        // Dropping the last Tier 1 account falls below the threshold.
        expect(big(cum - tier1.at(-1)!) * 100n < big(total) * big(p)).toBe(true);
      }),
    );
  });

  it('Tier 2 by revenue reaches the threshold of the remainder and is minimal', () => {
    fc.assert(
      fc.property(accountsArb, percentArb, (accounts, p) => {
        const result = computeTiers(accounts, { now: NOW, threshold: p / 100 });
        const remaining = result.summary.totalPositiveRevenue - sum(revenueTier(result, 1));
        const tier2 = revenueTier(result, 2);
        if (remaining === 0) {
          expect(tier2).toEqual([]);
          return;
        }
        const cum = sum(tier2);
        expect(big(cum) * 100n >= big(remaining) * big(p)).toBe(true);
        expect(big(cum - tier2.at(-1)!) * 100n < big(remaining) * big(p)).toBe(true);
      }),
    );
  });

  it('ranks follow revenue (descending), and a higher computed tier never has less revenue', () => {
    fc.assert(
      fc.property(accountsArb, (accounts) => {
        const ranked = computeTiers(accounts, { now: NOW })
          .assignments.filter((a) => a.rank !== null)
          .sort((a, b) => a.rank! - b.rank!);
        expect(ranked.map((a) => a.rank)).toEqual(ranked.map((_, i) => i + 1));
        for (let i = 1; i < ranked.length; i++) {
          const [prev, cur] = [ranked[i - 1]!, ranked[i]!];
          expect(prev.revenue > cur.revenue || (prev.revenue === cur.revenue && prev.accountId < cur.accountId)).toBe(true);
          expect(prev.cumulativeShare!).toBeLessThan(cur.cumulativeShare!);
          if (cur.computedTier === 1) expect(prev.computedTier).toBe(1);
        }
      }),
    );
  });

  it('flags only ever promote Tier 3 to Tier 2', () => {
    fc.assert(
      fc.property(accountsArb, (accounts) => {
        const unflagged = accounts.map((a) => ({ ...a, strategic: false, highPotential: false }));
        const plain = computeTiers(unflagged, { now: NOW }).assignments;
        computeTiers(accounts, { now: NOW }).assignments.forEach((a, i) => {
          const flagged = accounts[i]!.strategic || accounts[i]!.highPotential;
          expect(a.computedTier).toBe(plain[i]!.computedTier === 3 && flagged ? 2 : plain[i]!.computedTier);
        });
      }),
    );
  });

  it('the result does not depend on the input order', () => {
    fc.assert(
      fc.property(
        accountsArb.chain((accounts) => fc.tuple(fc.constant(accounts), fc.array(fc.nat(), { minLength: accounts.length, maxLength: accounts.length }))),
        percentArb,
        ([accounts, keys], p) => {
          const shuffled = accounts.map((a, i) => [keys[i]!, a] as const).sort((x, y) => x[0] - y[0]).map(([, a]) => a);
          const byId = (r: TieringResult) => [...r.assignments].sort((x, y) => (x.accountId < y.accountId ? -1 : 1));
          const a = computeTiers(accounts, { now: NOW, threshold: p / 100 });
          const b = computeTiers(shuffled, { now: NOW, threshold: p / 100 });
          expect(byId(b)).toEqual(byId(a));
          expect(b.summary).toEqual(a.summary);
        },
      ),
    );
  });

  it('an active override sets the tier; an expired one never does', () => {
    const overrideArb = fc.record({ tier: fc.constantFrom(1 as const, 2 as const, 3 as const), offsetMs: fc.option(fc.integer({ min: -86_400_000, max: 86_400_000 })) });
    fc.assert(
      fc.property(accountsArb, fc.array(overrideArb, { maxLength: 60 }), (accounts, overrides) => {
        const withOverrides: TieringAccount[] = accounts.map((a, i) => {
          const o = overrides[i];
          if (!o) return a;
          const expiresAt = o.offsetMs === null ? null : new Date(Date.parse(NOW) + o.offsetMs).toISOString();
          return { ...a, override: { tier: o.tier, reason: 'test', expiresAt } };
        });
        const plain = computeTiers(accounts, { now: NOW }).assignments;
        computeTiers(withOverrides, { now: NOW }).assignments.forEach((a, i) => {
          const o = overrides[i];
          const active = o !== undefined && (o.offsetMs === null || o.offsetMs > 0);
          expect(a.computedTier).toBe(plain[i]!.computedTier);
          expect(a.overrideExpired).toBe(o !== undefined && !active);
          expect(a.tier).toBe(active ? o.tier : plain[i]!.tier);
          expect(a.reason === 'override').toBe(active);
        });
      }),
    );
  });
});
