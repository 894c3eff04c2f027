// The account's revenue as the page draws it: the last N months (oldest first, ending with the
// month of the `now` given — the page passes the last full month), every month present (a month without a record is 0), in one currency.

export interface RevenueRecordLike {
  month: string;
  productRevenue: number;
  serviceRevenue: number;
  grossMargin: number;
  currency: string;
}

export interface RevenueMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Integer minor units. */
  product: number;
  service: number;
  margin: number;
}

export interface RevenueSeries {
  months: RevenueMonth[];
  /** The currency every amount is in (null when there is nothing to show). */
  currency: string | null;
  /** Currencies of records left out (an account should have one; a stray record must not be summed into another currency). */
  otherCurrencies: string[];
}

export interface RevenueSummary {
  product: number;
  service: number;
  /** product + service. */
  revenue: number;
  margin: number;
  /** margin / revenue, null when the revenue is not positive. */
  marginShare: number | null;
}

/** `YYYY-MM` of a date, in the reader's calendar. */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** The `count` months ending with the month of `now`, oldest first. */
export function monthsBack(now: Date, count = 24): string[] {
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) months.push(monthOf(new Date(now.getFullYear(), now.getMonth() - i, 1)));
  return months;
}

/** The `from` and `to` query of the revenue list for the last `count` months. */
export function revenueRange(now: Date, count = 24): { from: string; to: string } {
  const months = monthsBack(now, count);
  return { from: months[0], to: months[months.length - 1] };
}

/** The currency to show: the account's when it has one, else the one most records use. */
export function chooseCurrency(records: readonly RevenueRecordLike[], preferred?: string | null): string | null {
  if (preferred) return preferred;
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  let best: string | null = null;
  let most = 0;
  for (const [currency, n] of counts) {
    if (n > most) {
      best = currency;
      most = n;
    }
  }
  return best;
}

/** The last `count` months up to `now`, gaps filled with 0, records of other currencies left out. */
export function shapeRevenue(records: readonly RevenueRecordLike[], now: Date, preferredCurrency?: string | null, count = 24): RevenueSeries {
  const currency = chooseCurrency(records, preferredCurrency);
  const months = monthsBack(now, count);
  const byMonth = new Map<string, RevenueMonth>(months.map((month) => [month, { month, product: 0, service: 0, margin: 0 }]));
  const others = new Set<string>();
  for (const r of records) {
    const slot = byMonth.get(r.month.slice(0, 7));
    if (!slot) continue;
    if (r.currency !== currency) {
      others.add(r.currency);
      continue;
    }
    slot.product += r.productRevenue;
    slot.service += r.serviceRevenue;
    slot.margin += r.grossMargin;
  }
  return { months: months.map((m) => byMonth.get(m)!), currency, otherCurrencies: [...others].sort() };
}

/** Totals of the last `last` months of a series (12 by default). */
export function summarize(months: readonly RevenueMonth[], last = 12): RevenueSummary {
  const window = months.slice(Math.max(0, months.length - last));
  const product = window.reduce((s, m) => s + m.product, 0);
  const service = window.reduce((s, m) => s + m.service, 0);
  const margin = window.reduce((s, m) => s + m.margin, 0);
  const revenue = product + service;
  return { product, service, revenue, margin, marginShare: revenue > 0 ? margin / revenue : null };
}

/** Whether a series has any amount at all (else the page says there is no revenue yet). */
export function hasRevenue(months: readonly RevenueMonth[]): boolean {
  return months.some((m) => m.product !== 0 || m.service !== 0 || m.margin !== 0);
}
