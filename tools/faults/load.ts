/**
 * The fault suite's write load: writers that each create distinct partners through the
 * gateway with an Idempotency-Key, and retry the same key (with back-off) until it is
 * accepted or the deadline passes, as a careful client would. What they report is the set
 * of accepted writes that the reconciliation then looks for in the database and the events.
 */
export interface LoadOptions {
  /** Gateway base URLs; writers spread over them (several gateway replicas). */
  gateways: string[];
  token: string;
  /** Distinct writes to make. */
  writes: number;
  /** Writes in flight at once. */
  concurrency: number;
  /** Name prefix of every partner this run creates. */
  tag: string;
  /** A write not accepted by then counts as failed. */
  deadlineMs: number;
  /** Pause between writes of one writer (paces the load so faults land mid-stream). */
  paceMs?: number;
}

export interface WriteOutcome {
  key: string;
  name: string;
  /** The partner id of the accepted write. */
  id?: string;
  attempts: number;
  /** Statuses (or network errors) before acceptance. */
  failures: string[];
  acceptedAt?: number;
}

export interface LoadResult {
  outcomes: WriteOutcome[];
  accepted: number;
  failed: number;
  /** Accepted writes answered as replays of an earlier attempt (Idempotent-Replayed). */
  replayed: number;
  /** Every failed attempt, by status or error kind. */
  retriesByReason: Record<string, number>;
  startedAt: number;
  endedAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attempt(url: string, token: string, key: string, name: string): Promise<{ status: number; id?: string; replayed: boolean; reason?: string }> {
  try {
    const res = await fetch(`${url}/v1/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ name, kind: 'reseller' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
    return { status: res.status, id: body.id, replayed: res.headers.get('idempotent-replayed') === 'true', reason: res.ok ? undefined : `${res.status} ${body.code ?? ''}`.trim() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { status: 0, replayed: false, reason: `network ${cause}` };
  }
}

/** Runs the load to the end: every write accepted, or given up at the deadline. */
export async function runLoad(o: LoadOptions, onProgress?: (done: number) => void): Promise<LoadResult> {
  const startedAt = Date.now();
  const deadline = startedAt + o.deadlineMs;
  const outcomes: WriteOutcome[] = Array.from({ length: o.writes }, (_, i) => ({ key: `${o.tag}-${i}`, name: `${o.tag} ${i}`, attempts: 0, failures: [] }));
  let next = 0;
  let done = 0;
  let replayed = 0;
  const retriesByReason: Record<string, number> = {};
  const writer = async (w: number) => {
    for (;;) {
      const i = next++;
      if (i >= outcomes.length) return;
      const out = outcomes[i]!;
      for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 2, 2_000)) {
        out.attempts += 1;
        const gateway = o.gateways[(i + out.attempts + w) % o.gateways.length]!;
        const r = await attempt(gateway, o.token, out.key, out.name);
        if (r.status === 201) {
          out.id = r.id;
          out.acceptedAt = Date.now();
          if (r.replayed) replayed += 1;
          break;
        }
        out.failures.push(r.reason ?? String(r.status));
        retriesByReason[r.reason ?? String(r.status)] = (retriesByReason[r.reason ?? String(r.status)] ?? 0) + 1;
        await sleep(delay);
      }
      done += 1;
      onProgress?.(done);
      if (o.paceMs) await sleep(o.paceMs);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => writer(w)));
  const accepted = outcomes.filter((x) => x.id).length;
  return { outcomes, accepted, failed: outcomes.length - accepted, replayed, retriesByReason, startedAt, endedAt: Date.now() };
}
