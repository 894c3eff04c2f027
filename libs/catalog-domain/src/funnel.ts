import { instant } from './periods';

export const TRIAL_STATUSES = ['active', 'converted', 'lapsed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export interface TrialFact {
  productId: string;
  /** How the account came: direct, partner or dealer (its lead channel when the trial started). */
  channel: string;
  startedAt: string;
  status: TrialStatus;
  convertedAt?: string | null;
}

export interface FunnelRow {
  productId: string;
  channel: string;
  started: number;
  active: number;
  converted: number;
  lapsed: number;
  /** converted / started, 4 decimals; 0 when none started. */
  conversionRate: number;
  /** Days from start to conversion over the converted trials, 2 decimals; null when none converted. */
  meanDaysToConvert: number | null;
  medianDaysToConvert: number | null;
}

const DAY = 86_400_000;
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The trial funnel per product and channel: trials started, still active, converted to a paid
 * subscription, lapsed; the conversion rate over started trials; mean and median time to
 * convert. Rows sorted by product id then channel.
 */
export function trialFunnel(trials: readonly TrialFact[]): FunnelRow[] {
  const groups = new Map<string, { productId: string; channel: string; statuses: TrialStatus[]; days: number[] }>();
  trials.forEach((t, i) => {
    const key = `${t.productId}\u0000${t.channel}`;
    const g = groups.get(key) ?? { productId: t.productId, channel: t.channel, statuses: [], days: [] };
    g.statuses.push(t.status);
    if (t.status === 'converted' && t.convertedAt) g.days.push((instant(t.convertedAt, `trials[${i}].convertedAt`) - instant(t.startedAt, `trials[${i}].startedAt`)) / DAY);
    groups.set(key, g);
  });
  return [...groups.values()]
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
    .map((g) => {
      const count = (s: TrialStatus) => g.statuses.filter((x) => x === s).length;
      const days = [...g.days].sort((a, b) => a - b);
      const mid = days.length / 2;
      const median = days.length === 0 ? null : days.length % 2 ? days[Math.floor(mid)] : (days[mid - 1] + days[mid]) / 2;
      return {
        productId: g.productId,
        channel: g.channel,
        started: g.statuses.length,
        active: count('active'),
        converted: count('converted'),
        lapsed: count('lapsed'),
        conversionRate: round(count('converted') / g.statuses.length, 4),
        meanDaysToConvert: days.length ? round(days.reduce((s, d) => s + d, 0) / days.length, 2) : null,
        medianDaysToConvert: median === null ? null : round(median, 2),
      };
    });
}
