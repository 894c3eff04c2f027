import type { FaultPlatform } from './cluster';
import type { LoadResult } from './load';
import type { EventSink } from './sink';

export interface Reconciliation {
  writes: number;
  accepted: number;
  /** Writes not accepted before the deadline. */
  failed: number;
  /** Retried attempts, by reason (status or network error). */
  retries: Record<string, number>;
  /** Accepted replays of an earlier attempt (the write had happened; the retry got its reply). */
  replayed: number;
  storedRows: number;
  /** Accepted writes with no row. */
  lost: number;
  /** Writes stored more than once. */
  duplicatedRows: number;
  /** Stored partners whose created event never arrived. */
  eventsMissing: number;
  /** Partners with more than one distinct event (two events for one write). */
  eventsDuplicated: number;
  /** Deliveries of an event already delivered (JetStream redelivery; consumers' inboxes drop them). */
  redeliveries: number;
  stuckInOutbox: number;
  /** From the end of the fault to the first write accepted after it. */
  recoveryMs: number | null;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the outbox to empty and the events to arrive, then compares writes, rows and events. */
export async function reconcile(p: FaultPlatform, load: LoadResult, sink: EventSink, tag: string, faultEndedAt: number, settleMs = 60_000): Promise<Reconciliation> {
  const rows = async () => p.query<{ id: string; name: string }>(`SELECT id, name FROM accounts.partners WHERE name LIKE $1`, [`${tag} %`]);
  const pending = async () => Number((await p.query<{ n: string }>(`SELECT count(*) AS n FROM accounts.outbox WHERE sent_at IS NULL`))[0]!.n);
  const deadline = Date.now() + settleMs;
  let stored = await rows();
  for (;;) {
    const seen = sink.summary().byPartner;
    if ((await pending().catch(() => 1)) === 0 && stored.every((r) => seen.has(r.id))) break;
    if (Date.now() > deadline) break;
    await sleep(500);
    stored = await rows();
  }
  await sleep(1_000); // late duplicates, if any, would show up now
  stored = await rows();
  const { byPartner, redeliveries } = sink.summary();
  const names = new Map<string, number>();
  for (const r of stored) names.set(r.name, (names.get(r.name) ?? 0) + 1);
  const storedIds = new Set(stored.map((r) => r.id));
  const acceptedOutcomes = load.outcomes.filter((o) => o.id);
  const after = acceptedOutcomes.filter((o) => (o.acceptedAt ?? 0) >= faultEndedAt).map((o) => o.acceptedAt!);
  const r: Reconciliation = {
    writes: load.outcomes.length,
    accepted: load.accepted,
    failed: load.failed,
    retries: load.retriesByReason,
    replayed: load.replayed,
    storedRows: stored.length,
    lost: acceptedOutcomes.filter((o) => !storedIds.has(o.id!)).length,
    duplicatedRows: [...names.values()].filter((n) => n > 1).length,
    eventsMissing: stored.filter((row) => !byPartner.has(row.id)).length,
    eventsDuplicated: stored.filter((row) => (byPartner.get(row.id)?.size ?? 0) > 1).length,
    redeliveries,
    stuckInOutbox: await pending(),
    recoveryMs: after.length ? Math.min(...after) - faultEndedAt : null,
    ok: false,
  };
  r.ok = r.failed === 0 && r.lost === 0 && r.duplicatedRows === 0 && r.eventsMissing === 0 && r.eventsDuplicated === 0 && r.stuckInOutbox === 0;
  return r;
}
