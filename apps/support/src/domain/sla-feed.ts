import { clocksOf, type KeyedClock, type SlaResult, type SlaSignal, type SlaState } from '@steward/support-domain';

/**
 * A ticket's clocks keyed for its life: the hand-off clock of step n is `handoff@n`, so the
 * clock of each step has its own feed and its own warnings and breach.
 */
export function ticketClocks(result: SlaResult, step: number): KeyedClock[] {
  return clocksOf(result).map((c) => (c.kind === 'handoff' ? { ...c, key: `handoff@${step}` } : c));
}

/** The signals of a result with the same keys as {@link ticketClocks}. */
export function ticketSignals(signals: readonly SlaSignal[], step: number): SlaSignal[] {
  return signals.map((s) => (s.kind === 'handoff' ? { ...s, key: `handoff@${step}` } : s));
}

/** What was already reported per clock: warning fractions, the breach, the fulfilment. */
export type SlaMarks = Record<string, { w?: number[]; b?: true; f?: true }>;

export type FeedKind = 'activate' | 'pause' | 'resume' | 'fulfil' | 'warn' | 'breach';
export interface FeedEntry {
  kind: FeedKind | 'apply-policy';
  /** The clock's key; null for apply-policy (the whole ticket). */
  clock: string | null;
  /** When it happened on the clock (activation: the clock's start; fulfilment: its stop; breach: the deadline). */
  at: string;
  details: Record<string, unknown>;
}

export interface FeedChange {
  /** New entries for the ticket's metric-event feed, in order. */
  entries: FeedEntry[];
  /** Signals not reported before (to publish as `sla.warned` / `sla.breached`). */
  signals: SlaSignal[];
  /** Clocks that stopped in time since last reported (to publish as `sla.fulfilled`). */
  fulfilled: KeyedClock[];
  /** Each clock's state now (stored for the next comparison). */
  states: Record<string, SlaState>;
  marks: SlaMarks;
}

/**
 * The metric-event feed of one recomputation: compares the clocks' states with the states
 * stored at the previous change (activate, pause, resume, fulfil) and the signals with what
 * was already reported (warn, breach). A clock that disappeared while still owed (the
 * hand-off clock of a step the ticket left) is fulfilled `now`. Pure and idempotent: feeding
 * its own output back gives no entries.
 */
export function feedChange(prev: Readonly<Record<string, SlaState>>, marks: Readonly<SlaMarks>, clocks: readonly KeyedClock[], signals: readonly SlaSignal[], now: string): FeedChange {
  const entries: FeedEntry[] = [];
  const next: SlaMarks = structuredClone(marks) as SlaMarks;
  const states: Record<string, SlaState> = {};
  const fulfilled: KeyedClock[] = [];
  const fresh: SlaSignal[] = [];
  const details = (c: KeyedClock) => ({ target: c.clock.targetMinutes, due: c.clock.dueAt, elapsed: c.clock.elapsedMinutes });

  for (const c of clocks) {
    const before = prev[c.key];
    const state = c.clock.state;
    states[c.key] = state;
    if (before === undefined) entries.push({ kind: 'activate', clock: c.key, at: c.clock.startedAt, details: details(c) });
    if (state === 'paused' && before !== 'paused') entries.push({ kind: 'pause', clock: c.key, at: now, details: details(c) });
    if (state === 'running' && before === 'paused') entries.push({ kind: 'resume', clock: c.key, at: now, details: details(c) });
  }
  for (const s of signals) {
    const m = (next[s.key] ??= {});
    if (s.signal === 'breach') {
      if (m.b) continue;
      m.b = true;
    } else {
      const warned = m.w ?? [];
      if (warned.includes(s.fraction!) || m.b) continue;
      m.w = [...warned, s.fraction!];
    }
    fresh.push(s);
    entries.push({ kind: s.signal === 'breach' ? 'breach' : 'warn', clock: s.key, at: s.at, details: s.fraction === undefined ? {} : { fraction: s.fraction } });
  }
  for (const c of clocks) {
    if (c.clock.state !== 'met') continue;
    const m = (next[c.key] ??= {});
    if (m.f) continue;
    m.f = true;
    fulfilled.push(c);
    entries.push({ kind: 'fulfil', clock: c.key, at: c.clock.stoppedAt ?? now, details: details(c) });
  }
  for (const [key, before] of Object.entries(prev)) {
    if (key in states) continue;
    // Gone while still owed: the step it measured ended (an escalation meets a hand-off clock).
    if (before === 'running' || before === 'paused') {
      const m = (next[key] ??= {});
      if (!m.f && !m.b) {
        m.f = true;
        entries.push({ kind: 'fulfil', clock: key, at: now, details: { ended: 'step-left' } });
      }
    }
  }
  return { entries, signals: fresh, fulfilled, states, marks: next };
}
