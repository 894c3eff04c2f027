import type { ScoreResult } from '@steward/contracts';
import { cesFromRollup, csatFromRollup, engagementFromRollup, enpsFromRollup, npsFromRollup, type Rollup, type RollupKind } from '@steward/feedback-domain';

const Z_95 = 1.96;

/**
 * A rollup's headline result, in one shape for every kind: NPS and eNPS with the library's
 * margin of error; CSAT (% of 4–5) with the binomial Wald half-width in points; CES (mean
 * 1–7) with 1.96 · s/√n from the counts; engagement with its levels and bands (no single
 * margin: four pooled means).
 */
export function scoreOf(kind: RollupKind, rollup: Rollup): ScoreResult {
  switch (kind) {
    case 'nps':
    case 'enps': {
      const r = kind === 'nps' ? npsFromRollup(rollup as Rollup<'nps'>) : enpsFromRollup(rollup as Rollup<'enps'>);
      return { n: r.n, score: r.nps, marginOfError: r.marginOfError, promoters: r.promoters, passives: r.passives, detractors: r.detractors };
    }
    case 'csat': {
      const r = csatFromRollup(rollup as Rollup<'csat'>);
      const p = r.n ? r.satisfied / r.n : 0;
      return { n: r.n, score: r.csat, marginOfError: r.n ? Z_95 * Math.sqrt((p * (1 - p)) / r.n) * 100 : null, satisfied: r.satisfied };
    }
    case 'ces': {
      const r = cesFromRollup(rollup as Rollup<'ces'>);
      let moe: number | null = null;
      if (r.n > 0 && r.ces !== null) {
        let ss = 0;
        rollup.counts.forEach((c, i) => (ss += c * (i + 1 - r.ces!) ** 2));
        moe = r.n > 1 ? Z_95 * Math.sqrt(ss / (r.n - 1) / r.n) : null;
      }
      return { n: r.n, score: r.ces, marginOfError: moe, easyShare: r.easyShare };
    }
    case 'engagement': {
      const r = engagementFromRollup(rollup as Rollup<'engagement'>);
      return { n: r.n, score: r.overall, marginOfError: null, levels: r.levels ? { ...r.levels } : {}, bands: { ...r.bands }, engagedShare: r.engagedShare, band: r.band };
    }
  }
}
