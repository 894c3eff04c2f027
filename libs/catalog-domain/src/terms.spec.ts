import { cancellationEffectiveAt, currentTerm } from './terms';

describe('cancellation with a notice period', () => {
  const monthly = { anchor: '2026-01-01T00:00:00Z', unit: 'month' as const, noticeDays: 30 };
  it.each([
    // 1 April − 30 days = 2 March: a request on 2 March or earlier ends on 1 April.
    ['asked 2 March 00:00, 30 days notice: ends 1 April (exactly 30 days)', '2026-03-02T00:00:00Z', '2026-04-01T00:00:00.000Z'],
    ['asked 5 March: 1 April is only 27 days away, ends 1 May', '2026-03-05T00:00:00Z', '2026-05-01T00:00:00.000Z'],
    ['asked on the renewal instant 1 March: ends 1 April', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00.000Z'],
  ])('%s', (_name, requestedAt, effective) => {
    expect(cancellationEffectiveAt({ ...monthly, requestedAt })).toBe(effective);
  });

  it('an annual contract with 90 days notice asked in November ends at the end of the next year', () => {
    expect(cancellationEffectiveAt({ anchor: '2026-01-01T00:00:00Z', unit: 'year', noticeDays: 90, requestedAt: '2026-11-15T00:00:00Z' })).toBe('2028-01-01T00:00:00.000Z');
  });

  it('without notice, at the end of the current term', () => {
    expect(cancellationEffectiveAt({ ...monthly, noticeDays: 0, requestedAt: '2026-03-31T23:59:59Z' })).toBe('2026-04-01T00:00:00.000Z');
  });

  it('names the current term', () => {
    expect(currentTerm('2026-01-15T00:00:00Z', 'month', '2026-03-20T00:00:00Z')).toEqual({ index: 2, start: '2026-03-15T00:00:00.000Z', end: '2026-04-15T00:00:00.000Z' });
  });
});
