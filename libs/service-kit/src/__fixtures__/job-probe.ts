/**
 * Test-only "jobprobe" service: the smallest service with durable jobs. Its one job kind
 * records every attempt and every step in tenant tables (a step's row has a primary key,
 * so a step done twice fails loudly), so integration specs can check what ran, where and
 * how often. Behaviour per job comes from the payload.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module } from '@nestjs/common';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { enableTenantRls, serviceRoles, Tx, UnitOfWork } from '@steward/persistence';
import { declareService } from '../service';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '../handlers';
import { UNIT_OF_WORK } from '../tokens';
import { createJobsTable, dropJobsTable } from '../migration-helpers/v1';
import { defineJob, JobFailed, RunningJob } from '../jobs/job';

const { app } = serviceRoles('jobprobe');

export class JobProbeInit1700000000000 implements MigrationInterface {
  name = 'JobProbeInit1700000000000';

  async up(qr: QueryRunner): Promise<void> {
    await createJobsTable(qr, 'jobprobe', 'jobprobe');
    await qr.query(`CREATE TABLE jobprobe.attempts (id bigserial PRIMARY KEY, job_id uuid NOT NULL, attempt int NOT NULL, replica text NOT NULL, tenant_id uuid NOT NULL,
      started_at timestamptz NOT NULL DEFAULT clock_timestamp(), ended_at timestamptz, outcome text)`);
    await enableTenantRls(qr, 'jobprobe.attempts', app);
    await qr.query(`GRANT USAGE ON SEQUENCE jobprobe.attempts_id_seq TO ${app}`);
    await qr.query(`CREATE TABLE jobprobe.steps (job_id uuid NOT NULL, step int NOT NULL, replica text NOT NULL, tenant_id uuid NOT NULL, PRIMARY KEY (job_id, step))`);
    await enableTenantRls(qr, 'jobprobe.steps', app);
    await qr.query(`CREATE TABLE jobprobe.failures (job_id uuid PRIMARY KEY, reason text NOT NULL, tenant_id uuid NOT NULL)`);
    await enableTenantRls(qr, 'jobprobe.failures', app);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['failures', 'steps', 'attempts']) await qr.query(`DROP TABLE IF EXISTS jobprobe.${t}`);
    await dropJobsTable(qr, 'jobprobe');
  }
}

export const ProbeWork = defineJob(
  'jobprobe.work',
  z.object({
    steps: z.number().int().min(0),
    /** Pause after each step (outside its transaction). */
    stepMs: z.number().int().min(0).default(0),
    /** The first this-many attempts throw before doing anything. */
    failAttempts: z.number().int().min(0).default(0),
    /** Throw JobFailed (no retry) at the start. */
    failForGood: z.boolean().default(false),
    /** Never finish and ignore the abort signal (a hung handler). */
    hang: z.boolean().default(false),
    label: z.string().optional(),
  }),
  { maxAttempts: 3 },
);
export type ProbeWork = z.input<typeof ProbeWork.payload>;

/** Another kind with a short timeout. */
export const ProbeSlow = defineJob('jobprobe.slow', z.object({ hang: z.boolean() }), { maxAttempts: 1, timeoutMs: 300 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class ProbeWorker {
  /** One per Nest application: tells replicas in the same process apart. */
  readonly replica = randomUUID().slice(0, 8);

  constructor(@Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork) {}

  async run(job: RunningJob<z.output<typeof ProbeWork.payload>>): Promise<void> {
    const p = job.payload;
    const [{ id }] = await this.uow.forTenant(job.tenantId, (tx) =>
      tx.query(`INSERT INTO jobprobe.attempts (job_id, attempt, replica, tenant_id) VALUES ($1, $2, $3, $4) RETURNING id`, [job.id, job.attempt, this.replica, job.tenantId]),
    );
    const end = (outcome: string) => this.uow.forTenant(job.tenantId, (tx) => tx.query(`UPDATE jobprobe.attempts SET ended_at = clock_timestamp(), outcome = $2 WHERE id = $1`, [id, outcome]));
    try {
      if (p.failForGood) throw new JobFailed('this job cannot succeed');
      if (job.attempt <= p.failAttempts) throw new Error(`boom ${job.attempt}`);
      if (p.hang) await new Promise(() => undefined);
      for (let i = job.progress?.done ?? 0; i < p.steps; i++) {
        await job.step(
          (tx: Tx) => tx.query(`INSERT INTO jobprobe.steps (job_id, step, replica, tenant_id) VALUES ($1, $2, $3, $4)`, [job.id, i, this.replica, job.tenantId]),
          () => ({ done: i + 1, total: p.steps }),
        );
        if (p.stepMs) await sleep(p.stepMs);
      }
      await end('done');
    } catch (err) {
      await end(err instanceof Error ? err.name : 'error').catch(() => undefined);
      throw err;
    }
  }

  failed(tx: Tx, job: { id: string; reason: string }): Promise<unknown> {
    return tx.query(`INSERT INTO jobprobe.failures (job_id, reason, tenant_id) VALUES ($1, $2, $3)`, [job.id, job.reason, tx.scope.tenantId]);
  }
}

@NatsHandlers()
export class ProbeAdapters implements NatsAdapters {
  constructor(private readonly worker: ProbeWorker) {}

  register(r: HandlerRegistry): void {
    r.job(ProbeWork, { run: (job) => this.worker.run(job), failed: (tx, job) => this.worker.failed(tx, job) });
    r.job(ProbeSlow, { run: (job) => (job.payload.hang ? new Promise(() => undefined) : Promise.resolve()) });
  }
}

@Module({ providers: [ProbeWorker, ProbeAdapters] })
export class ProbeJobsModule {}

export const jobProbeService = declareService({ name: 'jobprobe', modules: [ProbeJobsModule], migrations: [JobProbeInit1700000000000] });
