import type { SlaState, SupportPolicyDocument } from '@steward/support-domain';
import { feedChange, type FeedEntry, type SlaMarks } from './sla-feed';
import { evaluateSla, type SlaEvaluation, type SlaSubject, type StepRecord } from './ticket-sla';

export interface ReplayedSla {
  entries: FeedEntry[];
  states: Record<string, SlaState>;
  marks: SlaMarks;
  /** The clocks at `now`. */
  last: SlaEvaluation;
  breached: boolean;
  /** The steps the ticket went through (escalations on breaches included) and the one it is in. */
  steps: StepRecord[];
  step: number;
  escalations: number;
}

/** Breaching these moves a ticket one step up its chain (the engine's rule). */
export const ESCALATING_CLOCKS: ReadonlySet<string> = new Set(['firstResponse', 'resolution', 'handoff']);
const MAX_LOOKS = 20_000;

/** Leaves the current step at `at` with the hand-off outcome so far, and enters the next one. */
export function nextStep(steps: readonly StepRecord[], ev: SlaEvaluation, step: number, queue: string, teamId: string | null, at: string, reason: string): StepRecord[] {
  const handoff = ev.clocks.find((c) => c.key === `handoff@${step}`)?.clock;
  const from = steps[steps.length - 1];
  return [
    ...steps.slice(0, -1),
    { ...from, leftAt: at, leftBecause: reason, handoff: handoff?.breached ? 'breached' : handoff ? 'met' : null },
    { step: step + 1, queue, teamId, enteredAt: at, leftAt: null, leftBecause: null, handoff: null },
  ];
}

/**
 * Replays a ticket's whole history as the live service would have seen it: the clocks are
 * recomputed at its creation, at every status change and public comment, and at every instant
 * the SLA timer would have looked in between (each warning threshold and deadline), up to
 * `now`; a breach moves the ticket up its escalation chain as it would have live (the queue
 * of each step: `steps`; its team: `teamOf`). The metric-event feed, the warnings and breaches
 * reached, the steps and the clocks at `now` come out exactly as if the ticket had been
 * handled live with a timer that never lags.
 */
export function replaySla(doc: SupportPolicyDocument, subject: SlaSubject & { queues: readonly string[]; open: boolean }, now: string, teamOf: (queue: string) => string | null): ReplayedSla {
  const s = { ...subject, steps: [...subject.steps] };
  const created = new Date(s.timeline.statusChanges[0].at).toISOString();
  const instants = [...new Set([...s.timeline.statusChanges.map((c) => c.at), ...(s.timeline.responses ?? []).map((r) => r.at)].map((at) => new Date(at).toISOString()))]
    .filter((at) => at > created && at <= now)
    .sort();
  let states: Record<string, SlaState> = {};
  let marks: SlaMarks = {};
  const entries: FeedEntry[] = [];
  let breached = false;
  let escalations = 0;
  let looks = 0;
  const look = (at: string): SlaEvaluation => {
    for (;;) {
      if (++looks > MAX_LOOKS) throw new Error(`replaying the SLA took more than ${MAX_LOOKS} looks`);
      const ev = evaluateSla(doc, s, at);
      const change = feedChange(states, marks, ev.clocks, ev.signals, at);
      entries.push(...change.entries);
      states = change.states;
      marks = change.marks;
      if (ev.clocks.some((c) => c.clock.breached)) breached = true;
      const breach = change.signals.find((x) => x.signal === 'breach' && ESCALATING_CLOCKS.has(x.kind) && (x.kind !== 'handoff' || x.key === `handoff@${s.step}`));
      if (!breach || s.step >= s.queues.length - 1) return ev;
      const queue = s.queues[s.step + 1];
      s.steps = nextStep(s.steps, ev, s.step, queue, teamOf(queue), at, `sla-breach:${breach.kind}`);
      s.step += 1;
      escalations += 1;
    }
  };
  let ev = look(created);
  for (const at of [...instants, now]) {
    // The timer looks at each due time strictly before the next event (an event at the same instant owns it).
    while (ev.nextCheckAt !== null && ev.nextCheckAt < at) ev = look(ev.nextCheckAt);
    ev = look(at);
  }
  return { entries, states, marks, last: ev, breached, steps: s.steps, step: s.step, escalations };
}
