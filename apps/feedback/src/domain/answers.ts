import { DomainError, type DomainIssue } from '@steward/domain-kernel';
import type { Answers, SurveyDefinition, SurveyKind } from '@steward/contracts';
import { type EngagementResponse, type RollupKind, respondentEngagement } from '@steward/feedback-domain';
import { outcomeItem, scaleOf, SurveyRule } from './survey-definition';

/** What one response adds to the rollups: per rollup kind, its score (or engagement items). */
export type Contribution = { kind: 'nps' | 'enps' | 'csat' | 'ces'; score: number } | { kind: 'engagement'; response: EngagementResponse };

export interface CheckedAnswers {
  answers: Answers;
  /** The outcome item's score (NPS, CSAT, CES, eNPS); null for engagement surveys or when skipped. */
  score: number | null;
  contributions: Contribution[];
}

/**
 * Checks answers against the survey's items: only known keys, each of its item's type
 * and on its scale; with `complete`, every required item answered (scored items are
 * required unless the item says otherwise). Field paths are `<prefix>.<key>`. Throws one
 * DomainError listing every problem.
 */
export function checkAnswers(kind: SurveyKind, def: SurveyDefinition, given: Answers, { complete, prefix = 'answers' }: { complete: boolean; prefix?: string }): CheckedAnswers {
  const issues: DomainIssue[] = [];
  const add = (code: SurveyRule, key: string, message: string) => issues.push({ code, field: `${prefix}.${key}`, message });
  const byKey = new Map(def.items.map((i) => [i.key, i]));
  const answers: Answers = {};
  for (const [key, value] of Object.entries(given)) {
    const item = byKey.get(key);
    if (!item) {
      add(SurveyRule.UnknownItem, key, 'is not an item of this survey version');
      continue;
    }
    if (value === null) {
      answers[key] = null;
      continue;
    }
    const scale = scaleOf(item);
    if (scale) {
      if (typeof value !== 'number' || !Number.isInteger(value)) add(SurveyRule.AnswerType, key, `must be an integer from ${scale.min} to ${scale.max}`);
      else if (value < scale.min || value > scale.max) add(SurveyRule.OutOfRange, key, `must be from ${scale.min} to ${scale.max} (got ${value})`);
      else answers[key] = value;
    } else if (item.type === 'choice') {
      if (typeof value !== 'string' || !item.choices?.some((c) => c.value === value)) add(SurveyRule.AnswerType, key, `must be one of ${item.choices?.map((c) => c.value).join(', ')}`);
      else answers[key] = value;
    } else if (item.type === 'yes-no') {
      if (typeof value !== 'boolean') add(SurveyRule.AnswerType, key, 'must be true or false');
      else answers[key] = value;
    } else if (typeof value !== 'string') add(SurveyRule.AnswerType, key, 'must be a text');
    else answers[key] = value.trim();
  }
  if (complete) {
    for (const item of def.items) {
      const scored = item.type === 'nps' || item.type === 'enps' || item.type === 'csat' || item.type === 'ces' || item.type === 'engagement';
      if ((item.required ?? scored) && (answers[item.key] === undefined || answers[item.key] === null || answers[item.key] === '')) {
        if (!issues.some((i) => i.field === `${prefix}.${item.key}`)) add(SurveyRule.Required, item.key, 'must be answered');
      }
    }
  }
  DomainError.throwIfAny(issues);
  return { answers, score: scoreOf(kind, def, answers), contributions: contributionsOf(def, answers) };
}

function scoreOf(kind: SurveyKind, def: SurveyDefinition, answers: Answers): number | null {
  const item = outcomeItem(kind, def);
  const v = item ? answers[item.key] : undefined;
  return typeof v === 'number' ? v : null;
}

/**
 * The rollup contributions of a response: one per scored item type answered (an NPS survey
 * with a CES question feeds both), and engagement when all four levels have an answer.
 */
export function contributionsOf(def: SurveyDefinition, answers: Answers): Contribution[] {
  const out: Contribution[] = [];
  const levels: Record<string, number[]> = { confidence: [], integrity: [], pride: [], passion: [] };
  const seen = new Set<RollupKind>();
  for (const item of def.items) {
    const v = answers[item.key];
    if (typeof v !== 'number') continue;
    if (item.type === 'engagement' && item.level) levels[item.level]!.push(v);
    else if ((item.type === 'nps' || item.type === 'enps' || item.type === 'csat' || item.type === 'ces') && !seen.has(item.type)) {
      seen.add(item.type);
      out.push({ kind: item.type, score: v });
    }
  }
  if (Object.values(levels).every((l) => l.length > 0)) out.push({ kind: 'engagement', response: levels as unknown as EngagementResponse });
  return out;
}

/** The engagement profile of a response that has one (for the engagement-scored event). */
export function engagementOf(contributions: Contribution[]): { overall: number; levels: Record<string, number>; band: string } | null {
  const c = contributions.find((x) => x.kind === 'engagement');
  if (!c || c.kind !== 'engagement') return null;
  const r = respondentEngagement(c.response);
  return { overall: r.overall, levels: { ...r.levels }, band: r.band };
}

/** Driver item scores of a response, by driver name (missing ones absent). */
export function driverScores(def: SurveyDefinition, answers: Answers): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of def.items) if (item.type === 'rating' && item.driver && typeof answers[item.key] === 'number') out[item.driver] = answers[item.key] as number;
  return out;
}
