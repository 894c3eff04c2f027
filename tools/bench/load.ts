/**
 * Load generation for the HTTP benchmarks: a typed wrapper around autocannon (closed loop,
 * optionally rate-capped) and a small paced open-loop generator.
 *
 * Why both: autocannon's `overallRate` caps each connection at N requests per wall-clock
 * second, but within the second every connection sends back to back until its quota is
 * used, then idles. At half the peak rate that is ~0.5 s of full-speed load followed by
 * ~0.5 s of nothing, so its latencies are close to the peak-load ones. The paced generator
 * sends at evenly spaced instants and measures from the scheduled instant (no coordinated
 * omission), which is what "latency at half the peak rate" usually means.
 */
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';

export interface AutocannonOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  duration?: number;
  overallRate?: number;
}

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

export interface LoadFigures {
  /** responses per second over the run */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  /** non-2xx answers + transport errors + timeouts */
  failures: number;
  failureDetail: string;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runAutocannon(opts: AutocannonOptions): Promise<LoadFigures> {
  const r = await autocannon({ connections: 20, duration: 10, method: 'POST', ...opts });
  return {
    rps: round(r.requests.average, 0),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r['2xx'],
    failures: r.non2xx + r.errors + r.timeouts,
    failureDetail: `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
  };
}

export interface PacedOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** requests per second, evenly spaced */
  rate: number;
  durationSec: number;
  /** keep-alive sockets (like autocannon's connections); requests queue when all are busy */
  sockets: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Open-loop load at a fixed rate. Latency runs from the instant a request was due to the
 * end of its response, so queueing behind a slow server counts.
 */
export async function runPaced(o: PacedOptions): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.sockets });
  const url = new URL(o.url);
  const body = Buffer.from(o.body);
  const headers = { ...o.headers, 'content-length': String(body.length) };
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(o.rate * o.durationSec);
  const intervalNs = 1e9 / o.rate;
  const start = process.hrtime.bigint();

  const fire = (dueNs: bigint) =>
    new Promise<void>((resolve) => {
      const done = (ok: boolean, status?: number) => {
        if (!ok) errors++;
        else if (status === undefined || status < 200 || status >= 300) non2xx++;
        latencies.push(Number(process.hrtime.bigint() - dueNs) / 1e6);
        resolve();
      };
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, timeout: 10_000 }, (res) => {
        res.resume();
        res.once('end', () => done(true, res.statusCode));
        res.once('error', () => done(false));
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => done(false));
      req.end(body);
    });

  const pending: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - start);
      const due = Math.min(total, Math.floor(elapsed / intervalNs) + 1);
      while (sent < due) {
        pending.push(fire(start + BigInt(Math.round(sent * intervalNs))));
        sent++;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedSec = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: round(total / elapsedSec, 0),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
    total: total - non2xx - errors,
    failures: non2xx + errors,
    failureDetail: `${non2xx} non-2xx, ${errors} errors`,
  };
}
