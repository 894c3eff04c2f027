import type { FuzzRequest } from './generate';

/** What one request got, judged: a 5xx, or a 4xx that is not problem+json naming a field and rule, is a violation. */
export interface FuzzOutcome {
  request: FuzzRequest;
  /** 0 when the client refused to send it. */
  status: number;
  violation?: string;
  /** Why the HTTP client would not send it (the generator should never make such a request). */
  unsent?: string;
}

export interface EndpointReport {
  endpoint: string;
  requests: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  /** Answers breaking the promise: every 5xx, and each 4xx that is not problem+json naming a field and rule. */
  violations: number;
  /** Of those, the 4xx without a problem naming field and rule. */
  unnamed4xx: number;
  /** Statuses seen, e.g. { 400: 812, 404: 90 }. */
  statuses: Record<string, number>;
  /** Mutation kinds sent. */
  mutations: Record<string, number>;
}

/** Checks one answer against the platform's promise for malformed input. */
export function judge(status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `answered ${status}: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  if (!contentType.includes('application/problem+json')) return `${status} is ${contentType || 'without a content type'}, not application/problem+json: ${text.slice(0, 200)}`;
  let body: { status?: unknown; errors?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `${status} problem is not JSON: ${text.slice(0, 200)}`;
  }
  if (body.status !== status) return `${status} problem says status ${String(body.status)}`;
  const errors = body.errors;
  if (!Array.isArray(errors) || errors.length === 0) return `${status} problem names no field (no errors[]): ${text.slice(0, 200)}`;
  for (const e of errors as Array<{ field?: unknown; rule?: unknown }>) {
    if (typeof e.field !== 'string' || e.field === '' || typeof e.rule !== 'string' || e.rule === '') return `${status} problem has an error without field and rule: ${JSON.stringify(e).slice(0, 200)}`;
  }
  return undefined;
}

/** Sends the requests, `concurrency` at a time, and judges every answer. */
export async function send(baseUrl: string, requests: FuzzRequest[], concurrency = 8): Promise<FuzzOutcome[]> {
  const outcomes: FuzzOutcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i]!;
      try {
        const res = await fetch(baseUrl + r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        outcomes[i] = { request: r, status: res.status, violation: judge(res.status, res.headers.get('content-type') ?? '', text) };
      } catch (err) {
        // A request the client could not even send (an invalid header value) says nothing about the server.
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const clientSide = cause?.code === 'UND_ERR_INVALID_ARG' || ((err as Error).name === 'TypeError' && !cause?.code);
        outcomes[i] = clientSide
          ? { request: r, status: 0, unsent: `${(err as Error).message} ${cause?.message ?? ''}`.trim() }
          : { request: r, status: 0, violation: `no answer: ${(err as Error).message} (${cause?.code ?? (err as Error).name})` };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

export function report(endpoint: string, outcomes: FuzzOutcome[]): EndpointReport {
  const r: EndpointReport = { endpoint, requests: 0, '2xx': 0, '4xx': 0, '5xx': 0, violations: 0, unnamed4xx: 0, statuses: {}, mutations: {} };
  for (const o of outcomes) {
    if (o.unsent) continue;
    r.requests += 1;
    if (o.status >= 500) r['5xx'] += 1;
    else if (o.status >= 400) r['4xx'] += 1;
    else r['2xx'] += 1;
    if (o.violation) r.violations += 1;
    if (o.violation && o.status >= 400 && o.status < 500) r.unnamed4xx += 1;
    r.statuses[o.status] = (r.statuses[o.status] ?? 0) + 1;
    r.mutations[o.request.mutation] = (r.mutations[o.request.mutation] ?? 0) + 1;
  }
  return r;
}

/** A Markdown table of the reports (docs/reliability.md takes it as is). */
export function table(reports: EndpointReport[]): string {
  const rows = reports.map((r) => `| \`${r.endpoint}\` | ${r.requests} | ${r['2xx']} | ${r['4xx']} | ${r['5xx']} | ${r.unnamed4xx} |`);
  const sum = (k: 'requests' | '2xx' | '4xx' | '5xx' | 'unnamed4xx') => reports.reduce((n, r) => n + r[k], 0);
  return [
    '| endpoint | requests | 2xx | 4xx | 5xx | 4xx not naming field+rule |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    `| **all ${reports.length} write endpoints** | **${sum('requests')}** | **${sum('2xx')}** | **${sum('4xx')}** | **${sum('5xx')}** | **${sum('unnamed4xx')}** |`,
  ].join('\n');
}
