import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AGE_BUCKETS, BacklogReportDto, BacklogRequest, ComplianceReportDto, HandoffReportDto, ReportRequest } from '@steward/contracts';
import { afterCommit, type Tx, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, defineJob, JOBS, JobQueue, requireRole, RunningJob, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import { logger, type RequestContext } from '@steward/telemetry';
import { diffFacts, type Fact } from '../domain/rollup-facts';
import { RollupRow, RollupsRepository } from './rollups.repository';

/** Folds a tenant's rollup deltas (debounced: at most one waits per tenant). WARNING: stored kind. */
export const FoldRollupsJob = defineJob('support.rollup-fold', z.object({}), { maxAttempts: 10 });
const FOLD_DELAY_MS = 1000;
/** Clock difference allowed between this process and the database that dates the job. */
const FOLD_MARGIN_MS = 200;
const FOLD_BATCH = 5000;
const READERS = ['admin', 'manager', 'csm', 'agent', 'viewer'] as const;

const n = (v: unknown) => Number(v ?? 0);
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
const compliance = (met: number, breached: number) => ({ met, breached, compliance: ratio(met, met + breached) });

function group(r: RollupRow, dims: readonly string[]): Record<string, unknown> {
  const g: Record<string, unknown> = {};
  for (const d of dims) g[d] = d === 'step' ? n(r[d]) : (r[d] ?? null);
  return g;
}

/**
 * Reports (issue 8 §6): SLA compliance per level, step, queue, team, priority and period;
 * backlog and ageing; first-contact resolution; hand-off times; complaint rate. Served from
 * rollups that every ticket change feeds with its difference, never by scanning tickets.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: RollupsRepository,
  ) {}

  /**
   * Records what a ticket change did to the rollups, in the change's transaction: the
   * difference between the ticket's previous and new facts. Returns the new facts (stored on
   * the ticket for the next change).
   */
  async recordIn(tx: Tx, prev: readonly Fact[], next: Fact[]): Promise<Fact[]> {
    const deltas = diffFacts(prev, next);
    if (deltas.length) {
      await this.repo.append(tx, deltas);
      this.foldAfter(tx);
    }
    return next;
  }

  /**
   * Queues the tenant's fold job once the change has committed, in a transaction of its own,
   * and at most once per FOLD_DELAY_MS per process (a queued fold job does not run before its
   * delay, so one queued in that window is still waiting). Queued inside the ticket's
   * transaction, the insert on the debounce key made every concurrent ticket write wait for
   * the first one's commit whenever no fold job was waiting (once per second under load).
   * A fold that is never queued (a crash right after the commit) loses nothing: reports add
   * the pending deltas, and the next change queues the fold.
   */
  private foldAfter(tx: Tx): void {
    const tenantId = tx.scope.tenantId;
    afterCommit(tx, () => {
      const now = Date.now();
      if ((this.foldQueuedUntil.get(tenantId) ?? 0) > now) return;
      this.foldQueuedUntil.set(tenantId, now + FOLD_DELAY_MS - FOLD_MARGIN_MS);
      this.uow
        .forTenant(tenantId, (t) => this.jobs.enqueue(t, FoldRollupsJob, {}, { delayMs: FOLD_DELAY_MS, debounce: { key: 'fold', ifAbsent: true } }))
        .catch((err: unknown) => {
          this.foldQueuedUntil.delete(tenantId);
          logger().warn({ tenant_id: tenantId, error: err instanceof Error ? err.message : String(err) }, 'support: could not queue the rollup fold; the next change will');
        });
    });
  }

  /** Per tenant: until when this process knows a fold job is waiting. */
  private readonly foldQueuedUntil = new Map<string, number>();

  async fold(job: RunningJob<unknown>): Promise<void> {
    let done = 0;
    for (;;) {
      const folded = await job.step((tx) => this.repo.fold(tx, FOLD_BATCH), (k) => ({ done: (done += k), total: null }));
      if (folded < FOLD_BATCH) return;
    }
  }

  compliance(ctx: RequestContext, q: ReportRequest): Promise<ComplianceReportDto> {
    requireRole(ctx, READERS);
    const started = performance.now();
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const rows = await this.repo.report(tx, { kind: 'ticket', ...q });
      const out = rows.map((r) => complianceRow(r, q.groupBy));
      const totals = complianceRow(
        Object.fromEntries(['tickets', 'fr_met', 'fr_breached', 'res_met', 'res_breached', 'resolved', 'fcr', 'complaints', 'escalated', 'reopened'].map((k) => [k, rows.reduce((s, r) => s + n(r[k]), 0)])) as RollupRow,
        [],
      );
      return { from: q.from, to: q.to, rows: out, totals, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    });
  }

  handoff(ctx: RequestContext, q: ReportRequest): Promise<HandoffReportDto> {
    requireRole(ctx, READERS);
    const started = performance.now();
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const rows = await this.repo.report(tx, { kind: 'step', ...q });
      return {
        from: q.from,
        to: q.to,
        rows: rows.map((r) => ({
          group: group(r, q.groupBy),
          steps: n(r.steps),
          handedOff: n(r.handed_off),
          resolvedInStep: n(r.resolved_in_step),
          handoff: compliance(n(r.ho_met), n(r.ho_breached)),
          averageMinutes: n(r.exited) > 0 ? Math.round((n(r.held_ms) / n(r.exited) / 60_000) * 100) / 100 : null,
        })),
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      };
    });
  }

  backlog(ctx: RequestContext, q: BacklogRequest): Promise<BacklogReportDto> {
    requireRole(ctx, READERS);
    const started = performance.now();
    const now = this.clock.now();
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const rows = await this.repo.backlog(tx, q.groupBy, now.toISOString().slice(0, 10));
      const out = rows
        .filter((r) => n(r.open) !== 0 || q.groupBy.length === 0)
        .map((r) => ({
          group: group(r, q.groupBy),
          open: n(r.open),
          breached: n(r.open_breached),
          ageing: Object.fromEntries(AGE_BUCKETS.map((b, i) => [b, n(r[`a${i}`])])) as BacklogReportDto['rows'][number]['ageing'],
        }));
      return { asOf: now.toISOString(), rows: out, total: out.reduce((s, r) => s + r.open, 0), tookMs: Math.round((performance.now() - started) * 100) / 100 };
    });
  }
}

function complianceRow(r: RollupRow, dims: readonly string[]): ComplianceReportDto['rows'][number] {
  const tickets = n(r.tickets);
  const resolved = n(r.resolved);
  const fcr = n(r.fcr);
  const complaints = n(r.complaints);
  return {
    group: group(r, dims),
    tickets,
    firstResponse: compliance(n(r.fr_met), n(r.fr_breached)),
    resolution: compliance(n(r.res_met), n(r.res_breached)),
    resolved,
    firstContactResolved: fcr,
    firstContactResolution: ratio(fcr, resolved),
    complaints,
    complaintRate: ratio(complaints, tickets),
    escalated: n(r.escalated),
    reopened: n(r.reopened),
  };
}
