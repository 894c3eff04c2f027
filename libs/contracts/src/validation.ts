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

function customRule(issue: z.core.$ZodIssue): string | undefined {
  const rule = issue.code === 'custom' ? (issue.params as { rule?: unknown } | undefined)?.rule : undefined;
  return typeof rule === 'string' ? rule : undefined;
}

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
      // A refinement names its own rule with `params: { rule }` (e.g. 'past'); otherwise the code's.
      rule: missing ? 'required' : (customRule(issue) ?? RULES[issue.code] ?? issue.code),
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
  interface Frame {
    v: unknown;
    parent: Frame | null;
    key: PropertyKey | null;
    depth: number;
  }
  // Paths are built only for what is reported: a 10,000-row batch allocates no path at all.
  const pathOf = (f: Frame | null, last?: PropertyKey): PropertyKey[] => {
    const keys: PropertyKey[] = last === undefined ? [] : [last];
    for (let at = f; at && at.key !== null; at = at.parent) keys.push(at.key);
    return [...prefix, ...keys.reverse()];
  };
  const issues: FieldError[] = [];
  const text = (s: string, frame: Frame | null, key: PropertyKey | undefined, what: 'value' | 'name') => {
    const subject = what === 'name' ? 'the field name ' : '';
    if (s.includes('\u0000')) issues.push({ field: fieldPath(pathOf(frame, key)), rule: 'no-nul', message: `${subject}must not contain a NUL character` });
    else if (LONE_SURROGATE.test(s)) issues.push({ field: fieldPath(pathOf(frame, key)), rule: 'unicode', message: `${subject}must be valid Unicode (it holds a lone UTF-16 surrogate)` });
  };
  const stack: Frame[] = [{ v: value, parent: null, key: null, depth: 0 }];
  while (stack.length && issues.length < MAX_INPUT_ISSUES) {
    const frame = stack.pop()!;
    const v = frame.v;
    if (typeof v === 'string') text(v, frame, undefined, 'value');
    else if (v !== null && typeof v === 'object') {
      if (frame.depth >= maxDepth) {
        issues.push({ field: fieldPath(pathOf(frame)), rule: 'depth', message: `nests deeper than ${maxDepth} levels` });
        continue;
      }
      // Pushed in reverse, so fields are reported in their order.
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], parent: frame, key: i, depth: frame.depth + 1 });
      } else {
        const keys = Object.keys(v);
        for (const k of keys) text(k, frame, k, 'name');
        for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: (v as Record<string, unknown>)[keys[i]!], parent: frame, key: keys[i]!, depth: frame.depth + 1 });
      }
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
