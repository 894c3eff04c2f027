// Form rules from the API's own (BODY_RULES is generated from the OpenAPI document), so a form
// refuses on the client exactly what the gateway would refuse with a 400.
import { BODY_RULES, type FieldRule } from '@steward/api-client';
import type { FormRule } from 'antd';

export type Body = keyof typeof BODY_RULES;
type Translate = (key: string, values?: Record<string, unknown>) => string;

const PATTERNS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
};

/** The antd rules of one field of a request body, with messages in the reader's language. */
export function rulesOf<B extends Body>(body: B, field: keyof (typeof BODY_RULES)[B] & string, t: Translate): FormRule[] {
  const rule = (BODY_RULES[body] as Record<string, FieldRule>)[field];
  if (!rule) throw new Error(`${body} has no field ${field}`);
  return rulesFor(rule, t);
}

export function rulesFor(rule: FieldRule, t: Translate): FormRule[] {
  const rules: FormRule[] = [];
  // The required rule carries the field's type: without one antd checks the value as a string,
  // and a filled numeric choice (a tier of 1) would read as missing.
  if (rule.required) rules.push({ required: true, ...requiredType(rule), whitespace: rule.type === 'string', message: t('validation.required') });
  if (rule.type === 'string') {
    if (rule.format === 'email') rules.push({ type: 'email', message: t('validation.email') });
    const pattern = rule.format ? PATTERNS[rule.format] : undefined;
    if (pattern) rules.push({ pattern, message: t(`validation.format.${rule.format}`) });
    if (rule.minLength !== undefined && rule.minLength > 1) rules.push({ min: rule.minLength, message: t('validation.minLength', { count: rule.minLength }) });
    if (rule.maxLength !== undefined) rules.push({ max: rule.maxLength, message: t('validation.maxLength', { count: rule.maxLength }) });
  }
  if (rule.type === 'integer' || rule.type === 'number') {
    rules.push({ type: 'number', message: t('validation.number') });
    if (rule.minimum !== undefined) rules.push({ type: 'number', min: rule.minimum, message: t('validation.minimum', { value: rule.minimum }) });
    if (rule.maximum !== undefined) rules.push({ type: 'number', max: rule.maximum, message: t('validation.maximum', { value: rule.maximum }) });
  }
  if (rule.enum) rules.push({ type: 'enum', enum: [...rule.enum] as (string | number)[], message: t('validation.enum') });
  return rules;
}

function requiredType(rule: FieldRule): { type?: 'string' | 'number' | 'boolean' | 'enum'; enum?: (string | number)[] } {
  if (rule.type === 'string') return { type: 'string' };
  if (rule.type === 'integer' || rule.type === 'number') return { type: 'number' };
  if (rule.type === 'boolean') return { type: 'boolean' };
  if (rule.enum) return { type: 'enum', enum: [...rule.enum] as (string | number)[] };
  return {};
}
