import { mergeEntitlements, type Grant } from './entitlements';

const none: Grant = { supportLevel: null, slaTargets: {}, includedHours: 0, reviewVisitsPerYear: 0, seats: 0, features: [] };

describe('merging what several plans grant one account', () => {
  it('L2 premium support + an L1 managed operations contract: L1, the tighter urgent first response (30 of 60 min), 40 + 16 hours, features united', () => {
    const m = mergeEntitlements([
      { grant: { ...none, supportLevel: 'L2', slaTargets: { urgent: { firstResponse: 60, resolution: 480 } }, includedHours: 40, features: ['named-team'] }, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' },
      { grant: { ...none, supportLevel: 'L1', slaTargets: { urgent: { firstResponse: 30 }, high: { firstResponse: 120 } }, includedHours: 16, reviewVisitsPerYear: 2, seats: 8, features: ['bi-dashboards', 'named-team'] }, validFrom: '2026-03-01T00:00:00Z', validUntil: '2026-04-01T00:00:00Z' },
    ]);
    expect(m).toEqual({
      supportLevel: 'L1',
      slaTargets: { urgent: { firstResponse: 30, resolution: 480 }, high: { firstResponse: 120 } },
      includedHours: 56,
      reviewVisitsPerYear: 2,
      seats: 8,
      features: ['bi-dashboards', 'named-team'],
      validFrom: '2026-01-01T00:00:00.000Z',
      // The combination changes when the monthly contract's term ends.
      validUntil: '2026-04-01T00:00:00.000Z',
    });
  });

  it('nothing held grants nothing', () => {
    expect(mergeEntitlements([])).toEqual({ ...none, validFrom: null, validUntil: null });
  });

  it('an open-ended grant does not end the combination: validUntil is the other one’s end', () => {
    const m = mergeEntitlements([
      { grant: { ...none, supportLevel: 'L3' }, validFrom: '2026-01-01T00:00:00Z', validUntil: null },
      { grant: none, validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' },
    ]);
    expect([m.supportLevel, m.validUntil]).toEqual(['L3', '2026-05-01T00:00:00.000Z']);
  });
});
