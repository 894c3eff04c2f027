import { z } from 'zod';
import { FieldError, StewardError } from './errors';

/** Turns a zod path into the dotted/bracketed field name used in error responses. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

const RULES: Record<string, string> = {
  invalid_type: 'type',
  too_small: 'min',
  too_big: 'max',
  invalid_format: 'format',
  invalid_value: 'enum',
  unrecognized_keys: 'unknown-field',
  custom: 'custom',
  invalid_union: 'type',
  not_multiple_of: 'multiple-of',
};

/** Flattens zod issues to field errors, one per unknown key so each names its field. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: fieldPath([...issue.path, key]), rule: 'unknown-field', message: 'is not an allowed field' });
      continue;
    }
    const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
    out.push({
      field: fieldPath(issue.path),
      rule: missing ? 'required' : (RULES[issue.code] ?? issue.code),
      message: missing ? 'is required' : issue.message,
    });
  }
  return out;
}

/** Deepest nesting of objects and arrays any input may have (the contracts need far less). */
export const MAX_INPUT_DEPTH = 32;
const MAX_INPUT_ISSUES = 20;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What no schema should have to think about, found before any schema runs: a NUL character
 * (PostgreSQL refuses it in text and jsonb), a lone UTF-16 surrogate (not Unicode; jsonb
 * refuses it), in a value or a key, and nesting deeper than `maxDepth` (recursive code,
 * `JSON.stringify` included, overflows the stack on it). Iterative, so any input is safe
 * to check. Each issue names its field (`prefix` first, e.g. `query`) and its rule.
 */
export function unsafeInput(value: unknown, { maxDepth = MAX_INPUT_DEPTH, prefix = [] as PropertyKey[] } = {}): FieldError[] {
  const issues: FieldError[] = [];
  const text = (s: string, path: PropertyKey[], what: 'value' | 'name') => {
    const subject = what === 'name' ? 'the field name ' : '';
    if (s.includes('\u0000')) issues.push({ field: fieldPath(path), rule: 'no-nul', message: `${subject}must not contain a NUL character` });
    else if (LONE_SURROGATE.test(s)) issues.push({ field: fieldPath(path), rule: 'unicode', message: `${subject}must be valid Unicode (it holds a lone UTF-16 surrogate)` });
  };
  const stack: Array<{ v: unknown; path: PropertyKey[]; depth: number }> = [{ v: value, path: prefix, depth: 0 }];
  while (stack.length && issues.length < MAX_INPUT_ISSUES) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') text(v, path, 'value');
    else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) {
        issues.push({ field: fieldPath(path), rule: 'depth', message: `nests deeper than ${maxDepth} levels` });
        continue;
      }
      const entries: Array<[PropertyKey, unknown]> = Array.isArray(v) ? v.map((child, i) => [i, child]) : Object.entries(v);
      for (const [k] of entries) if (typeof k === 'string') text(k, [...path, k], 'name');
      // Reversed onto the stack, so fields are reported in their order.
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i]![1], path: [...path, entries[i]![0]], depth: depth + 1 });
    }
  }
  return issues;
}

/**
 * Parses input against a schema or throws a VALIDATION_FAILED error naming every bad field.
 * Input no schema can handle safely ({@link unsafeInput}) is refused first.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const unsafe = unsafeInput(input);
  if (unsafe.length) throw StewardError.validation(unsafe);
  const result = schema.safeParse(input);
  if (!result.success) throw StewardError.validation(toFieldErrors(result.error));
  return result.data;
}
