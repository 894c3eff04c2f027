import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, deleteTestStreams, expectEventually, sleep, TestDatabase, testEnv, testPrefix } from '@steward/testing';
import { jobProbeService, ProbeSlow, ProbeWork } from '../__fixtures__/job-probe';
import type { ServiceConfig } from '../config';
import type { ServiceRuntime } from '../service';
import { JOBS } from '../tokens';
import type { JobQueue } from './job-queue';
import type { EnqueueOptions } from './job-queue';
import type { JobDef } from './job';

const JOBS_SETTINGS = { pollMs: 50, leaseMs: 900, retryBaseMs: 200, concurrency: 4 };
/** The probe service on a fresh database and NATS prefix, configured from its environment as in production. */
let h: { db: TestDatabase; prefix: string; config: ServiceConfig<undefined>; runtime: ServiceRuntime<undefined> };
const replicas: Array<ServiceRuntime<undefined>> = [];
/** The replica running jobs in each test (the first runtime only enqueues). */
let runner: ServiceRuntime<undefined>;

beforeAll(async () => {
  const db = await createTestDatabase('jobprobe');
  await jobProbeService.migrate(db.url);
  const prefix = testPrefix('jobprobe');
  const config = jobProbeService.loadConfig({
    DATABASE_URL: db.url,
    NATS_URL: testEnv.natsUrl,
    STEWARD_NATS_PREFIX: prefix,
    STEWARD_CONTEXT_KEY: randomBytes(32).toString('base64url'),
    STEWARD_CURSOR_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '5',
    JOBS_POLL_MS: '50',
    JOBS_LEASE_MS: '900',
    JOBS_RETRY_BASE_MS: '200',
    JOBS_CONCURRENCY: '4',
  });
  expect(config.jobs).toEqual({ ...JOBS_SETTINGS });
  h = { db, prefix, config, runtime: await jobProbeService.start(config, { ops: false, jobs: false }) };
});
beforeEach(async () => {
  runner = await replica();
});
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await h?.runtime.close();
  await h?.db.drop();
  if (h) await deleteTestStreams(h.prefix);
});

/** Another replica of the service on the same database and NATS prefix. */
async function replica(jobs = JOBS_SETTINGS): Promise<ServiceRuntime<undefined>> {
  const r = await jobProbeService.start({ ...h.config, jobs }, { ops: false });
  replicas.push(r);
  return r;
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: h.db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const queueOf = (r: ServiceRuntime<undefined>) => r.app.get<JobQueue>(JOBS);

async function enqueue<P, In>(def: JobDef<P, In>, payload: In, tenantId = randomUUID(), options: EnqueueOptions = {}, runtime: ServiceRuntime<undefined> = h.runtime) {
  const id = await runtime.uow.forTenant(tenantId, (tx) => queueOf(runtime).enqueue(tx, def, payload, options));
  return { id, tenantId };
}

const job = async (id: string) => (await sql<{ status: string; attempts: number; progress: unknown; last_error: string | null }>(`SELECT * FROM jobprobe.jobs WHERE id = $1`, [id]))[0]!;
const attempts = (id: string) =>
  sql<{ attempt: number; replica: string; started_at: Date; ended_at: Date | null; outcome: string | null }>(`SELECT * FROM jobprobe.attempts WHERE job_id = $1 ORDER BY id`, [id]);
const steps = (id: string) => sql<{ step: number; replica: string }>(`SELECT step, replica FROM jobprobe.steps WHERE job_id = $1 ORDER BY step`, [id]);

async function finished(id: string, timeoutMs = 15_000) {
  let last: Awaited<ReturnType<typeof job>> | undefined;
  await expectEventually(async () => {
    last = await job(id);
    expect(['completed', 'failed']).toContain(last.status);
  }, { timeoutMs });
  return last!;
}

describe('durable jobs', () => {
  it('runs a job after the transaction that enqueued it commits, reporting progress while it runs', async () => {
    const { id, tenantId } = await enqueue(ProbeWork, { steps: 6, stepMs: 60 });
    const seen: number[] = [];
    await expectEventually(async () => {
      const view = await h.runtime.uow.forTenant(tenantId, (tx) => queueOf(h.runtime).get(tx, id));
      if (view?.progress) seen.push(view.progress.done);
      expect(view?.status).toBe('completed');
    }, { timeoutMs: 10_000, intervalMs: 20 });
    expect(seen.some((d) => d > 0 && d < 6)).toBe(true);
    const done = await job(id);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, progress: { done: 6, total: 6 } });
    expect((await steps(id)).map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('never runs a job whose transaction rolled back', async () => {
    const tenantId = randomUUID();
    let id = '';
    await expect(
      h.runtime.uow.forTenant(tenantId, async (tx) => {
        id = await queueOf(h.runtime).enqueue(tx, ProbeWork, { steps: 1 });
        throw new Error('the use case failed after enqueueing');
      }),
    ).rejects.toThrow('the use case failed');
    await sleep(300);
    expect(await sql(`SELECT 1 FROM jobprobe.jobs WHERE id = $1`, [id])).toEqual([]);
  });

  it('counts a delay from when the job is enqueued, not from the start of the transaction that enqueues it', async () => {
    const tenantId = randomUUID();
    const ids = await h.runtime.uow.forTenant(tenantId, async (tx) => {
      await tx.query(`SELECT pg_sleep(0.3)`);
      return [
        await queueOf(h.runtime).enqueue(tx, ProbeWork, { steps: 0 }, { delayMs: 60_000 }),
        await queueOf(h.runtime).enqueue(tx, ProbeWork, { steps: 0 }, { delayMs: 60_000, debounce: { key: 'late' } }),
      ];
    });
    // created_at is the transaction's start: the delay begins at least 300 ms after it.
    const rows = await sql<{ ms: number }>(`SELECT extract(epoch FROM run_at - created_at) * 1000 AS ms FROM jobprobe.jobs WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Number(r.ms)).toBeGreaterThanOrEqual(60_300);
  });

  it('is invisible to other tenants', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 0 });
    expect(await h.runtime.uow.forTenant(randomUUID(), (tx) => queueOf(h.runtime).get(tx, id))).toBeNull();
  });

  it('retries a failing attempt with exponential backoff, then completes', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 2, failAttempts: 2 });
    expect(await finished(id)).toMatchObject({ status: 'completed', attempts: 3, last_error: 'boom 2' });
    const runs = await attempts(id);
    expect(runs.map((r) => r.outcome)).toEqual(['Error', 'Error', 'done']);
    const gap = (a: number) => runs[a + 1]!.started_at.getTime() - runs[a]!.started_at.getTime();
    // retryBaseMs 200: the first retry waits 200-240 ms, the second 400-480 ms.
    expect(gap(0)).toBeGreaterThanOrEqual(200);
    expect(gap(1)).toBeGreaterThanOrEqual(400);
    expect(gap(1)).toBeGreaterThan(gap(0));
  });

  it('fails for good after its last attempt, keeping the reason, and the feature records it in the same transaction', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 1, failAttempts: 99 });
    expect(await finished(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
    expect(await sql(`SELECT reason FROM jobprobe.failures WHERE job_id = $1`, [id])).toEqual([{ reason: 'boom 3' }]);
    expect(await steps(id)).toEqual([]);
  });

  it('fails at once, without retrying, when the handler says it cannot succeed', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 1, failForGood: true });
    expect(await finished(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'this job cannot succeed' });
    expect(await sql(`SELECT reason FROM jobprobe.failures WHERE job_id = $1`, [id])).toEqual([{ reason: 'this job cannot succeed' }]);
  });

  it('aborts an attempt that runs past its timeout, even when the handler ignores the signal', async () => {
    const { id } = await enqueue(ProbeSlow, { hang: true });
    const done = await finished(id, 5_000);
    expect(done).toMatchObject({ status: 'failed', attempts: 1 });
    expect(done.last_error).toMatch(/timed out after 300 ms/);
  });

  it('with two replicas, runs every job exactly once and no job on both at the same time', async () => {
    const other = await replica();
    const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => enqueue(ProbeWork, { steps: 4, stepMs: 15, label: String(i) }, randomUUID(), {}, i % 2 ? other : runner)));
    for (const { id } of ids) expect(await finished(id)).toMatchObject({ status: 'completed', attempts: 1 });
    const all = await sql<{ job_id: string; attempt: number; replica: string }>(`SELECT job_id, attempt, replica FROM jobprobe.attempts WHERE job_id = ANY($1)`, [ids.map((j) => j.id)]);
    expect(all).toHaveLength(16);
    expect(new Set(all.map((a) => a.replica)).size).toBe(2);
    const stepRows = await sql<{ n: string }>(`SELECT count(*) AS n FROM jobprobe.steps WHERE job_id = ANY($1)`, [ids.map((j) => j.id)]);
    expect(Number(stepRows[0]!.n)).toBe(16 * 4);
  });

  it('takes over a job whose runner lost its lease; the steps done before are kept, none is done twice', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 12, stepMs: 80 });
    await expectEventually(async () => expect(((await job(id)).progress as { done: number } | null)?.done ?? 0).toBeGreaterThanOrEqual(3), { timeoutMs: 10_000, intervalMs: 10 });
    // What a runner that stopped (paused VM, partition) looks like to the others: its lease
    // expired and its token is no longer the job's.
    await sql(`UPDATE jobprobe.jobs SET lease_token = gen_random_uuid(), lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
    await replica();
    expect(await finished(id)).toMatchObject({ status: 'completed', attempts: 2 });
    // Resumed where it stopped (on whichever replica claimed it): every step once.
    expect((await steps(id)).map((x) => x.step)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const runs = await attempts(id);
    expect(runs.map((r) => r.outcome)).toEqual(['JobLeaseLost', 'done']);
  });

  it('hands a running job back on graceful shutdown; another replica resumes it without counting an attempt', async () => {
    const { id } = await enqueue(ProbeWork, { steps: 10, stepMs: 80 });
    await expectEventually(async () => expect(((await job(id)).progress as { done: number } | null)?.done ?? 0).toBeGreaterThanOrEqual(2), { timeoutMs: 10_000, intervalMs: 10 });
    expect(runner.jobs.running).toEqual([id]);
    const other = await replica();
    await runner.close();
    replicas.splice(replicas.indexOf(runner), 1);
    expect(await finished(id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await steps(id)).map((s) => s.step)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const runs = await attempts(id);
    // The stopped attempt was not counted: the job resumed as attempt 1 again, where it stopped.
    expect(runs.map((r) => r.attempt)).toEqual([1, 1]);
    expect(runs[1]!.outcome).toBe('done');
    expect(other.jobs.running).toEqual([]);
  });

  it('debounces: enqueues of one key while it waits make one job, run once after the last', async () => {
    const tenantId = randomUUID();
    const ids: string[] = [];
    for (const label of ['a', 'b', 'c']) {
      ids.push((await enqueue(ProbeWork, { steps: 1, label }, tenantId, { delayMs: 400, debounce: { key: 'tenant' } })).id);
      await sleep(150);
    }
    expect(new Set(ids).size).toBe(1);
    const created = Date.now();
    await finished(ids[0]!);
    expect(Date.now() - created).toBeGreaterThanOrEqual(400 - 150 - 50);
    const rows = await sql<{ payload: { label: string } }>(`SELECT payload FROM jobprobe.jobs WHERE tenant_id = $1`, [tenantId]);
    expect(rows.map((r) => r.payload.label)).toEqual(['c']);
    expect(await attempts(ids[0]!)).toHaveLength(1);
  });

  it('a debounce pushed again and again still runs once its maximum delay has passed', async () => {
    const tenantId = randomUUID();
    const started = Date.now();
    const ids: string[] = [];
    while (Date.now() - started < 1500) {
      ids.push((await enqueue(ProbeWork, { steps: 0 }, tenantId, { delayMs: 300, debounce: { key: 'tenant', maxDelayMs: 600 } })).id);
      await sleep(50);
    }
    // Pushed every 50 ms, a 300 ms debounce would never run; capped at 600 ms it ran, and
    // later enqueues started the next job.
    const first = ids[0]!;
    const ran = await attempts(first);
    expect(ran).toHaveLength(1);
    expect(ran[0]!.started_at.getTime() - started).toBeGreaterThanOrEqual(550);
    expect(ran[0]!.started_at.getTime() - started).toBeLessThan(1450);
    expect(new Set(ids).size).toBeGreaterThanOrEqual(2);
  });
});

