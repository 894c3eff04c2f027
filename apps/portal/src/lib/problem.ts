// Problems (RFC 9457 problem+json) as people read them: a sentence, and the fields at fault.
import { StewardApiError, type Problem } from '@steward/api-client';

export interface FieldProblem {
  /** The API's dotted path (`admin.email`, `records[3].month`), a header or query name, or `(body)`. */
  field: string;
  rule: string;
  message: string;
}

export interface ReadableProblem {
  status?: number;
  code?: string;
  title: string;
  detail?: string;
  fields: FieldProblem[];
}

/** Anything thrown by a call (a StewardApiError, a network failure, a bug) as a readable problem. */
export function readProblem(error: unknown): ReadableProblem {
  if (error instanceof StewardApiError) {
    const p: Problem | undefined = error.problem;
    return {
      status: error.status,
      code: p?.code,
      title: p?.title ?? `HTTP ${error.status}`,
      detail: p?.detail,
      fields: (p?.errors ?? []).map((e) => ({ field: e.field, rule: e.rule, message: e.message })),
    };
  }
  if (error instanceof TypeError) return { code: 'NETWORK', title: 'network', detail: error.message, fields: [] };
  return { title: 'unexpected', detail: error instanceof Error ? error.message : String(error), fields: [] };
}

/**
 * The form field a problem's field names: `email` → ['email'], `admin.email` → ['admin', 'email'],
 * `records[3].month` → ['records', 3, 'month']. Headers and `(body)`-style names name no field.
 */
export function formPathOf(field: string): (string | number)[] | undefined {
  if (!field || field.startsWith('(')) return undefined;
  const path: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    path.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}
