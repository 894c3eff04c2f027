import { assertIntegerInRange, fail } from '@steward/domain-kernel';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';
import { instant, termContaining, termEnd, type TermUnit } from './periods';

const DAY = 86_400_000;

/**
 * When a cancellation asked for at `requestedAt` takes effect: at the end of a term, and only
 * at a term end at least `noticeDays` after the request. With a 30-day notice on a monthly
 * subscription renewing on the 1st, a request on 10 March ends it on 1 April; one on 5 March
 * has missed that notice (1 April is 27 days away) and ends it on 1 May.
 */
export function cancellationEffectiveAt(input: { anchor: string; unit: TermUnit; noticeDays: number; requestedAt: string }): string {
  const anchor = instant(input.anchor, 'anchor');
  const at = instant(input.requestedAt, 'requestedAt');
  assertIntegerInRange(input.noticeDays, 0, 365, 'noticeDays', CHECK_CODES);
  if (at < anchor) fail(Code.InvalidTimestamp, 'requestedAt', 'is before the subscription started');
  let { index } = termContaining(anchor, input.unit, at);
  for (let guard = 0; guard < 500; guard++, index++) {
    const end = termEnd(anchor, input.unit, index);
    if (end - input.noticeDays * DAY >= at) return new Date(end).toISOString();
  }
  return fail(Code.OutOfRange, 'noticeDays', 'no term end far enough ahead');
}

/** The term [start, end) of a subscription anchored at `anchor` that contains `at`, as ISO instants, with its index. */
export function currentTerm(anchor: string, unit: TermUnit, at: string): { index: number; start: string; end: string } {
  const t = termContaining(instant(anchor, 'anchor'), unit, instant(at, 'at'));
  return { index: t.index, start: new Date(t.start).toISOString(), end: new Date(t.end).toISOString() };
}
