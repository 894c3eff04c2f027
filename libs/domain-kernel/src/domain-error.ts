/** One problem with an input: the code of the broken rule, the path of the bad value, why. */
export interface DomainIssue {
  code: string;
  /** Dotted/bracketed path of the bad input, e.g. `accounts[3].revenue`, `targets.resolution`. */
  field: string;
  message: string;
}

/**
 * The one error the domain libraries throw on bad input. `code` is a value of the throwing
 * library's own code enum; `issues` holds every problem found when a validation collects
 * more than one (the first is this error's own `code`/`field`/message).
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly issues: readonly DomainIssue[];

  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    issues?: readonly DomainIssue[],
  ) {
    super(`${field}: ${message}`);
    this.issues = issues !== undefined && issues.length > 0 ? [...issues] : [{ code, field, message }];
  }

  /** Throws the first issue, carrying all of them; does nothing for an empty list. */
  static throwIfAny(issues: readonly DomainIssue[]): void {
    const first = issues[0];
    if (first !== undefined) throw new DomainError(first.code, first.field, first.message, {}, issues);
  }
}

/**
 * True for a `DomainError`, also one thrown by another copy of this module (a second
 * bundle, a test double): then the name and the shape decide.
 */
export function isDomainError(err: unknown): err is DomainError {
  if (err instanceof DomainError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  return e['name'] === 'DomainError' && typeof e['code'] === 'string' && typeof e['field'] === 'string' && Array.isArray(e['issues']);
}

/** Throws a `DomainError`; typed `never` so it also ends an expression (`?? fail(...)`). */
export function fail(code: string, field: string, message: string, details?: Readonly<Record<string, unknown>>): never {
  throw new DomainError(code, field, message, details);
}

/**
 * Runs one throwing check and appends its issues to `issues` instead of stopping, so a
 * validator can report every problem at once. Anything but a `DomainError` is rethrown.
 */
export function collectIssues(issues: DomainIssue[], check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!isDomainError(err)) throw err;
    issues.push(...err.issues);
  }
}
