import { FaultPlatform } from './cluster';
import { runLoad } from './load';
import { reconcile, type Reconciliation } from './reconcile';
import type { Scenario } from './scenarios';
import { EventSink } from './sink';

export interface ScenarioResult extends Reconciliation {
  scenario: string;
  seconds: number;
  /** Relay and background set-up log lines over the whole run, all processes together. */
  relayLogLines: number;
  error?: string;
}

export interface RunOptions {
  full: boolean;
  writes: number;
  concurrency: number;
  log: (msg: string) => void;
}

async function json(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** One scenario on a platform of its own: the load runs, the fault hits a third of the way in, then everything is reconciled. */
export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const log = (m: string) => o.log(`  [${s.name}] ${m}`);
  let p: FaultPlatform | undefined;
  let sink: EventSink | undefined;
  try {
    p = await FaultPlatform.start({ natsNodes: s.natsNodes, replicas: s.replicas });
    const tag = `fault${Date.now().toString(36)}`;
    const created = await json(`${p.gateways[0]}/v1/tenants`, { name: 'Faults', slug: tag, admin: { email: `${tag}@example.test`, password: 'fault password 1', name: 'F' } }, { authorization: `Bearer ${p.ctx.operatorToken}` });
    if (created.status !== 201) throw new Error(`tenant: ${created.status} ${JSON.stringify(created.body)}`);
    const login = await json(`${p.gateways[0]}/v1/auth/login`, { email: `${tag}@example.test`, password: 'fault password 1' });
    const token = String(login.body.accessToken);
    sink = new EventSink(p.nats.url, 'STEWARD_ACCOUNTS', 'accounts.events.partner.created.v1', `fault-sink-${tag}`);
    await sink.start();
    let trigger!: () => void;
    const third = new Promise<void>((r) => (trigger = r));
    const loadDone = runLoad({ gateways: p.gateways, token, writes: o.writes, concurrency: o.concurrency, tag, deadlineMs: o.full ? 180_000 : 90_000, paceMs: 20 }, (done) => {
      if (done >= Math.floor(o.writes / 3)) trigger();
    });
    await Promise.race([third, loadDone]);
    log('injecting the fault');
    const faultStarted = Date.now();
    const faultEndedAt = await s.inject(p, { full: o.full, log });
    log(`fault over after ${((faultEndedAt - faultStarted) / 1000).toFixed(1)} s; waiting for the load to finish`);
    const load = await loadDone;
    const r = await reconcile(p, load, sink, tag, faultEndedAt);
    const relayLogLines = [...p.relayLogLines.values()].reduce((a, b) => a + b, 0);
    return { scenario: s.name, seconds: Math.round((Date.now() - started) / 100) / 10, relayLogLines, ...r };
  } catch (err) {
    const empty = { writes: o.writes, accepted: 0, failed: o.writes, retries: {}, replayed: 0, storedRows: 0, lost: 0, duplicatedRows: 0, eventsMissing: 0, eventsDuplicated: 0, redeliveries: 0, stuckInOutbox: 0, recoveryMs: null, ok: false };
    return { scenario: s.name, seconds: Math.round((Date.now() - started) / 100) / 10, relayLogLines: 0, ...empty, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  } finally {
    await sink?.stop().catch(() => undefined);
    await p?.stop().catch((e: unknown) => log(`stopping: ${String(e)}`));
  }
}

export function table(results: ScenarioResult[]): string {
  const rows = [['fault', 'accepted/writes', 'stored', 'lost', 'doubled rows', 'events missing', 'events doubled', 'redelivered', 'stuck in outbox', 'replayed', 'recovery', 'relay log lines', 'ok']];
  for (const r of results) {
    rows.push([
      r.scenario,
      `${r.accepted}/${r.writes}`,
      String(r.storedRows),
      String(r.lost),
      String(r.duplicatedRows),
      String(r.eventsMissing),
      String(r.eventsDuplicated),
      String(r.redeliveries),
      String(r.stuckInOutbox),
      String(r.replayed),
      r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(2)} s`,
      String(r.relayLogLines),
      r.error ? 'ERROR' : r.ok ? 'yes' : 'NO',
    ]);
  }
  return rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? `\n|${row.map(() => '---').join('|')}|` : ''}`).join('\n');
}
