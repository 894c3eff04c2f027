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

/** Parses input against a schema or throws a VALIDATION_FAILED error naming every bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw StewardError.validation(toFieldErrors(result.error));
  return result.data;
}
