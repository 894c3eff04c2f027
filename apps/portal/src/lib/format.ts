// Numbers, money and dates in the reader's locale. Money is in integer minor units (cents, fen)
// with its ISO 4217 currency, as the API gives it (docs/api.md).

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** The number of minor units in one major unit of a currency (JPY 0, CNY 2, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `formatMoney(123456, 'CNY', 'zh-CN')` → `¥1,234.56`; compact: `¥1235` → `¥1.2万`. */
export function formatMoney(minor: number | null | undefined, currency: string | null | undefined, locale: string, compact = false): string {
  if (minor === null || minor === undefined) return '—';
  if (!currency) return formatNumber(minor, locale);
  const major = minor / 10 ** minorDigits(currency);
  try {
    return numberFormat(locale, compact ? { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 } : { style: 'currency', currency }).format(major);
  } catch {
    return `${formatNumber(major, locale)} ${currency}`;
  }
}

export function formatNumber(value: number | null | undefined, locale: string, compact = false): string {
  if (value === null || value === undefined) return '—';
  return numberFormat(locale, compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}).format(value);
}

/** A share (0.8) as a percentage (`80%`, `80.5%`). */
export function formatPercent(share: number | null | undefined, locale: string, digits = 1): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** An ISO date (`2026-03-01`) or date-time, as a date in the locale (dates without time are not shifted by time zone). */
export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(dateOnly ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', ...(dateOnly ? { timeZone: 'UTC' } : {}) }).format(d);
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** A month (`2026-03`) as `Mar 2026` / `2026年3月`. */
export function formatMonth(month: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month);
  if (!m) return month;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}
