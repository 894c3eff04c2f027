import { instant } from './periods';

/** Support levels, best first (L1: the named delivery-centre team). WARNING: wire values. */
export const GRANTABLE_SUPPORT_LEVELS = ['L1', 'L2', 'L3'] as const;
export type GrantableSupportLevel = (typeof GRANTABLE_SUPPORT_LEVELS)[number];
export const SLA_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];
export const SLA_CLOCKS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;
export type SlaClockKey = (typeof SLA_CLOCKS)[number];

export type SlaOverrides = Partial<Record<SlaPriority, Partial<Record<SlaClockKey, number>>>>;

/** What one plan version grants. */
export interface Grant {
  supportLevel: GrantableSupportLevel | null;
  slaTargets: SlaOverrides;
  includedHours: number;
  reviewVisitsPerYear: number;
  seats: number;
  features: string[];
}

/** A grant held through one subscription or trial, for its term. */
export interface HeldGrant {
  grant: Grant;
  validFrom: string;
  /** null = no end. */
  validUntil: string | null;
}

export interface MergedEntitlements extends Grant {
  validFrom: string | null;
  validUntil: string | null;
}

/**
 * Merges what several live subscriptions grant one account (or project): the best support
 * level (L1 over L2 over L3), the tightest target per priority and clock, hours, visits and
 * seats summed, features united (sorted). `validFrom` is the earliest start; `validUntil` the
 * earliest end among the grants, i.e. when this combination next changes by itself (null when
 * none ends). No grant at all gives the empty set (no level, zeros, no features).
 */
export function mergeEntitlements(held: readonly HeldGrant[]): MergedEntitlements {
  let level: GrantableSupportLevel | null = null;
  const sla: SlaOverrides = {};
  const features = new Set<string>();
  let includedHours = 0;
  let reviewVisitsPerYear = 0;
  let seats = 0;
  let from: number | null = null;
  let until: number | null = null;
  held.forEach(({ grant: g, validFrom, validUntil }, i) => {
    if (g.supportLevel && (level === null || GRANTABLE_SUPPORT_LEVELS.indexOf(g.supportLevel) < GRANTABLE_SUPPORT_LEVELS.indexOf(level))) level = g.supportLevel;
    for (const p of SLA_PRIORITIES) {
      const o = g.slaTargets[p];
      if (!o) continue;
      for (const c of SLA_CLOCKS) {
        const v = o[c];
        if (v === undefined) continue;
        const cur = sla[p]?.[c];
        if (cur === undefined || v < cur) sla[p] = { ...sla[p], [c]: v };
      }
    }
    includedHours += g.includedHours;
    reviewVisitsPerYear += g.reviewVisitsPerYear;
    seats += g.seats;
    for (const f of g.features) features.add(f);
    const a = instant(validFrom, `held[${i}].validFrom`);
    from = from === null ? a : Math.min(from, a);
    if (validUntil !== null) {
      const b = instant(validUntil, `held[${i}].validUntil`);
      until = until === null ? b : Math.min(until, b);
    }
  });
  // Priorities and clocks in their canonical order, so equal sets serialise equally.
  const slaTargets: SlaOverrides = {};
  for (const p of SLA_PRIORITIES) {
    const o = sla[p];
    if (!o) continue;
    const ordered: Partial<Record<SlaClockKey, number>> = {};
    for (const c of SLA_CLOCKS) if (o[c] !== undefined) ordered[c] = o[c];
    slaTargets[p] = ordered;
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { supportLevel: level, slaTargets, includedHours, reviewVisitsPerYear, seats, features: [...features].sort(), validFrom: iso(from), validUntil: iso(until) };
}
