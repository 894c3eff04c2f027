import { trialFunnel, type TrialFact } from './funnel';

const t = (productId: string, channel: string, startedAt: string, status: TrialFact['status'], convertedAt?: string): TrialFact => ({ productId, channel, startedAt, status, convertedAt });

describe('the trial funnel per product and channel', () => {
  it('4 direct trials of BI: 2 converted after 10 and 21 days, 1 lapsed, 1 active → 50 %, mean 15.5, median 15.5 days; 1 partner trial converted after 3 days', () => {
    const rows = trialFunnel([
      t('bi', 'direct', '2026-03-01T00:00:00Z', 'converted', '2026-03-11T00:00:00Z'),
      t('bi', 'direct', '2026-03-01T00:00:00Z', 'converted', '2026-03-22T00:00:00Z'),
      t('bi', 'direct', '2026-03-05T00:00:00Z', 'lapsed'),
      t('bi', 'direct', '2026-03-20T00:00:00Z', 'active'),
      t('bi', 'partner', '2026-03-02T00:00:00Z', 'converted', '2026-03-05T00:00:00Z'),
    ]);
    expect(rows).toEqual([
      { productId: 'bi', channel: 'direct', started: 4, active: 1, converted: 2, lapsed: 1, conversionRate: 0.5, meanDaysToConvert: 15.5, medianDaysToConvert: 15.5 },
      { productId: 'bi', channel: 'partner', started: 1, active: 0, converted: 1, lapsed: 0, conversionRate: 1, meanDaysToConvert: 3, medianDaysToConvert: 3 },
    ]);
  });

  it('3 conversions after 1, 2 and 9 days: mean 4, median 2; none converted: null times', () => {
    const rows = trialFunnel([
      t('x', 'dealer', '2026-01-01T00:00:00Z', 'converted', '2026-01-02T00:00:00Z'),
      t('x', 'dealer', '2026-01-01T00:00:00Z', 'converted', '2026-01-03T00:00:00Z'),
      t('x', 'dealer', '2026-01-01T00:00:00Z', 'converted', '2026-01-10T00:00:00Z'),
      t('y', 'direct', '2026-01-01T00:00:00Z', 'lapsed'),
    ]);
    expect(rows.map((r) => [r.productId, r.meanDaysToConvert, r.medianDaysToConvert, r.conversionRate])).toEqual([
      ['x', 4, 2, 1],
      ['y', null, null, 0],
    ]);
  });
});
