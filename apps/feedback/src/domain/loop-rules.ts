import type { Contribution } from './answers';

/** Why a response opens a follow-up. */
export type LoopReason = 'detractor' | 'low-csat' | 'complaint';

/** Highest CSAT answer (1–5) that counts as low: dissatisfied or very dissatisfied. */
export const LOW_CSAT = 2;

/**
 * The closed-loop rule (DOMAIN.md §4): an NPS answer of 0–6 (a detractor), a CSAT of 1–2,
 * or a comment tagged as a complaint opens a follow-up case.
 */
export function loopReasons(contributions: readonly Contribution[], tags: readonly string[]): LoopReason[] {
  const reasons: LoopReason[] = [];
  if (contributions.some((c) => c.kind === 'nps' && c.score <= 6)) reasons.push('detractor');
  if (contributions.some((c) => c.kind === 'csat' && c.score <= LOW_CSAT)) reasons.push('low-csat');
  if (tags.includes('complaint')) reasons.push('complaint');
  return reasons;
}
