import { chooseCurrency, hasRevenue, monthOf, monthsBack, revenueRange, shapeRevenue, summarize, type RevenueRecordLike } from './account-revenue';

const rec = (month: string, productRevenue: number, serviceRevenue: number, grossMargin: number, currency = 'CNY'): RevenueRecordLike => ({ month, productRevenue, serviceRevenue, grossMargin, currency });
const NOW = new Date(2026, 2, 15); // 15 March 2026, local time

describe('account revenue months', () => {
  it('names a month as YYYY-MM', () => {
    expect(monthOf(new Date(2026, 0, 31))).toBe('2026-01');
    expect(monthOf(new Date(2026, 11, 1))).toBe('2026-12');
  });

  it('lists the 24 months ending with the current one, oldest first, across years', () => {
    const months = monthsBack(NOW);
    expect(months).toHaveLength(24);
    expect(months[0]).toBe('2024-04');
    expect(months[23]).toBe('2026-03');
    expect(months).toContain('2025-01');
    expect(new Set(months).size).toBe(24);
    expect(revenueRange(NOW)).toEqual({ from: '2024-04', to: '2026-03' });
    expect(monthsBack(new Date(2026, 0, 1), 3)).toEqual(['2025-11', '2025-12', '2026-01']);
  });
});

describe('shapeRevenue', () => {
  it('fills months without a record with 0 and keeps the order', () => {
    const s = shapeRevenue([rec('2026-03', 100, 50, 40), rec('2025-01', 10, 0, 2)], NOW);
    expect(s.currency).toBe('CNY');
    expect(s.months).toHaveLength(24);
    expect(s.months[23]).toEqual({ month: '2026-03', product: 100, service: 50, margin: 40 });
    expect(s.months.find((m) => m.month === '2025-01')).toEqual({ month: '2025-01', product: 10, service: 0, margin: 2 });
    expect(s.months.find((m) => m.month === '2025-02')).toEqual({ month: '2025-02', product: 0, service: 0, margin: 0 });
  });

  it('leaves out records outside the window, sums duplicates, accepts YYYY-MM-DD months', () => {
    const s = shapeRevenue([rec('2024-03', 999, 999, 999), rec('2026-04', 1, 1, 1), rec('2026-02-01', 5, 5, 5), rec('2026-02', 1, 2, 3)], NOW);
    expect(s.months.find((m) => m.month === '2026-02')).toEqual({ month: '2026-02', product: 6, service: 7, margin: 8 });
    expect(summarize(s.months, 24).revenue).toBe(13);
  });

  it('shows one currency: the account one first, and names the others left out', () => {
    const records = [rec('2026-01', 100, 0, 10, 'USD'), rec('2026-01', 7, 0, 1, 'CNY'), rec('2026-02', 5, 0, 1, 'USD')];
    expect(chooseCurrency(records)).toBe('USD');
    expect(chooseCurrency(records, 'CNY')).toBe('CNY');
    expect(chooseCurrency([])).toBeNull();
    const s = shapeRevenue(records, NOW, 'CNY');
    expect(s.currency).toBe('CNY');
    expect(s.otherCurrencies).toEqual(['USD']);
    expect(summarize(s.months).product).toBe(7);
  });

  it('is empty but complete with no records', () => {
    const s = shapeRevenue([], NOW);
    expect(s.currency).toBeNull();
    expect(s.months).toHaveLength(24);
    expect(hasRevenue(s.months)).toBe(false);
  });
});

describe('summarize', () => {
  it('totals the last 12 months and the margin share', () => {
    const s = shapeRevenue([rec('2026-03', 600, 400, 250), rec('2025-04', 100, 0, 50), rec('2025-03', 1000, 1000, 1000)], NOW);
    const sum = summarize(s.months);
    expect(sum).toEqual({ product: 700, service: 400, revenue: 1100, margin: 300, marginShare: 300 / 1100 });
    expect(hasRevenue(s.months)).toBe(true);
  });

  it('has no margin share without positive revenue (credit notes)', () => {
    const s = shapeRevenue([rec('2026-03', -100, 0, -20)], NOW);
    expect(summarize(s.months).marginShare).toBeNull();
    expect(summarize([]).marginShare).toBeNull();
  });
});
