import { DomainError, type DomainIssue } from '@steward/domain-kernel';
import type { FeedbackLanguage, Questionnaire, SurveyDefinition, SurveyItem, SurveyItemType, SurveyKind } from '@steward/contracts';

/** Why a survey definition or an answer is refused (rules reported as `kebab-case` of these codes). */
export enum SurveyRule {
  MissingLanguage = 'MISSING_LANGUAGE',
  DuplicateKey = 'DUPLICATE_KEY',
  OutcomeItem = 'OUTCOME_ITEM',
  EngagementLevels = 'ENGAGEMENT_LEVELS',
  ItemShape = 'ITEM_SHAPE',
  DuplicateDriver = 'DUPLICATE_DRIVER',
  UnknownItem = 'UNKNOWN_ITEM',
  AnswerType = 'ANSWER_TYPE',
  OutOfRange = 'OUT_OF_RANGE',
  Required = 'REQUIRED',
  UnknownLanguage = 'UNKNOWN_LANGUAGE',
}

/** The scale of each item type with a numeric answer. */
export function scaleOf(item: Pick<SurveyItem, 'type' | 'scale'>): { min: number; max: number } | null {
  switch (item.type) {
    case 'nps':
    case 'enps':
      return { min: 0, max: 10 };
    case 'csat':
    case 'engagement':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: 7 };
    case 'rating':
      return item.scale ?? { min: 1, max: 5 };
    default:
      return null;
  }
}

/** The item type that carries a survey kind's headline score. */
const OUTCOME_TYPE: Record<SurveyKind, SurveyItemType | null> = { nps: 'nps', csat: 'csat', ces: 'ces', pulse: 'enps', engagement: null };

/** The outcome item of a survey (the NPS, CSAT, CES or eNPS question); null for engagement surveys. */
export function outcomeItem(kind: SurveyKind, def: SurveyDefinition): SurveyItem | null {
  const type = OUTCOME_TYPE[kind];
  return type ? (def.items.find((i) => i.type === type) ?? null) : null;
}

/** Who a kind of survey asks: the employee pulse asks employees, the rest customers. */
export function audienceOf(kind: SurveyKind): 'customers' | 'employees' {
  return kind === 'pulse' ? 'employees' : 'customers';
}

/**
 * Checks a survey definition against its kind: every text in every language of the
 * survey, unique item keys and driver names, exactly one outcome item of the kind's type
 * (NPS, CSAT, CES, eNPS), the four engagement levels for engagement surveys, choices only on
 * choice items. Throws one DomainError listing every problem, with `definition.…` paths.
 */
export function checkDefinition(kind: SurveyKind, def: SurveyDefinition): void {
  const issues: DomainIssue[] = [];
  const add = (code: SurveyRule, field: string, message: string) => issues.push({ code, field: `definition.${field}`, message });
  const languages = [...new Set(def.languages)];
  if (languages.length !== def.languages.length) add(SurveyRule.DuplicateKey, 'languages', 'lists a language twice');
  const texts = (t: Record<string, string | undefined> | undefined, field: string) => {
    if (!t) return;
    for (const l of languages) if (!t[l]) add(SurveyRule.MissingLanguage, `${field}.${l}`, `is required: the survey is in ${languages.join(' and ')}`);
  };
  texts(def.title, 'title');
  texts(def.intro, 'intro');
  const keys = new Set<string>();
  const drivers = new Set<string>();
  def.items.forEach((item, i) => {
    const at = `items[${i}]`;
    texts(item.text, `${at}.text`);
    if (keys.has(item.key)) add(SurveyRule.DuplicateKey, `${at}.key`, `"${item.key}" is used by another item`);
    keys.add(item.key);
    if (item.driver !== undefined) {
      if (item.type !== 'rating') add(SurveyRule.ItemShape, `${at}.driver`, 'only rating items name a key driver');
      if (drivers.has(item.driver)) add(SurveyRule.DuplicateDriver, `${at}.driver`, `"${item.driver}" is measured by another item`);
      drivers.add(item.driver);
    }
    if (item.level !== undefined && item.type !== 'engagement') add(SurveyRule.ItemShape, `${at}.level`, 'only engagement items have a level');
    if (item.type === 'engagement' && item.level === undefined) add(SurveyRule.ItemShape, `${at}.level`, 'is required on engagement items (confidence, integrity, pride or passion)');
    if (item.scale !== undefined && item.type !== 'rating') add(SurveyRule.ItemShape, `${at}.scale`, 'only rating items have their own scale');
    if (item.type === 'choice') {
      if (!item.choices) add(SurveyRule.ItemShape, `${at}.choices`, 'is required on choice items');
      else {
        const values = new Set<string>();
        item.choices.forEach((c, j) => {
          texts(c.text, `${at}.choices[${j}].text`);
          if (values.has(c.value)) add(SurveyRule.DuplicateKey, `${at}.choices[${j}].value`, `"${c.value}" is offered twice`);
          values.add(c.value);
        });
      }
    } else if (item.choices !== undefined) add(SurveyRule.ItemShape, `${at}.choices`, 'only choice items have choices');
  });
  const type = OUTCOME_TYPE[kind];
  if (type) {
    const outcome = def.items.filter((i) => i.type === type).length;
    if (outcome !== 1) add(SurveyRule.OutcomeItem, 'items', `a ${kind} survey has exactly one ${type} item (found ${outcome})`);
  } else {
    for (const level of ['confidence', 'integrity', 'pride', 'passion'] as const) {
      if (!def.items.some((i) => i.type === 'engagement' && i.level === level)) add(SurveyRule.EngagementLevels, 'items', `an engagement survey has at least one ${level} item`);
    }
  }
  DomainError.throwIfAny(issues);
}

/** The drivers a survey measures: its rating items that name one, with their scale. */
export function driversOf(def: SurveyDefinition): Array<{ driver: string; key: string; scale: { min: number; max: number } }> {
  return def.items.filter((i) => i.type === 'rating' && i.driver).map((i) => ({ driver: i.driver!, key: i.key, scale: scaleOf(i)! }));
}

/** The questionnaire in one language (the first of the survey's when `language` is not one of them). */
export function questionnaire(s: { id: string; kind: SurveyKind; version: number }, def: SurveyDefinition, language?: FeedbackLanguage): Questionnaire {
  const lang = language && def.languages.includes(language) ? language : def.languages[0]!;
  const t = (x: Record<string, string | undefined> | undefined) => (x ? (x[lang] ?? Object.values(x).find(Boolean) ?? '') : null);
  return {
    surveyId: s.id,
    version: s.version,
    kind: s.kind,
    language: lang,
    title: t(def.title) ?? '',
    intro: t(def.intro),
    items: def.items.map((i) => ({
      key: i.key,
      type: i.type,
      text: t(i.text) ?? '',
      required: i.required ?? isScored(i.type),
      scale: scaleOf(i),
      choices: i.choices ? i.choices.map((c) => ({ value: c.value, text: t(c.text) ?? '' })) : null,
    })),
  };
}

const isScored = (type: SurveyItemType) => type === 'nps' || type === 'enps' || type === 'csat' || type === 'ces' || type === 'engagement';
