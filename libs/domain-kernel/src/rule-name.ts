import type { DomainIssue } from './domain-error';

/**
 * The rule name a transport reports for an issue code: lower-kebab-case
 * (`OUT_OF_RANGE` → `out-of-range`, `ACCOUNTS_DUPLICATE_ID` → `accounts-duplicate-id`).
 */
export function toRuleName(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** One broken rule on one field, as a `VALIDATION_FAILED` error lists it in `details.errors`. */
export interface DomainFieldError {
  field: string;
  rule: string;
  message: string;
}

/** The `details.errors` entries for a domain error's issues, in order. */
export function toFieldErrors(issues: readonly DomainIssue[]): DomainFieldError[] {
  return issues.map((i) => ({ field: i.field, rule: toRuleName(i.code), message: i.message }));
}
