import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  Events,
  ListSettlementsRequest,
  Page,
  SettlementDto,
  SettlementRunDto,
  SettleSubscriptionRequest,
  StartSettlementRunRequest,
  StewardError,
} from '@steward/contracts';
import { CatalogDomainErrorCode, calendarPeriod, checkOutcomeTerms, settleOutcomePeriod, type CalendarPeriod, type OutcomePricing } from '@steward/catalog-domain';
import { isDomainError, toRuleName } from '@steward/domain-kernel';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, JobQueue, JOBS, OUTBOX, RunningJob, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, notFound } from '../access';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { SettlementRunJob } from './outcomes.jobs';
import type { SettlementReading } from './readings.repository';
import { outcomeTerms, ReadingsService } from './readings.service';
import { ContractToSettle, NewSettlement, SettlementsRepository } from './settlements.repository';

/** Contracts settled per step of a settlement run (one transaction each). */
export const SETTLEMENT_STEP = 2_500;

/** JSON with sorted keys (jsonb does not keep key order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
const sameResult = (a: SettlementDto, b: NewSettlement) =>
  canonical([a.amount, a.baseFee, a.bonus, a.malus, a.adjustment, a.currency, a.inputs, a.lines]) === canonical([b.amount, b.baseFee, b.bonus, b.malus, b.adjustment, b.currency, b.inputs, b.lines]);

type Problem = { subscriptionId: string; field: string; rule: string; message: string };
/** What settling reads of a contract (its terms apart). */
type Contract = Pick<ContractToSettle, 'id' | 'accountId' | 'startedAt' | 'endedAt'>;
type CheckedTerms = Readonly<OutcomePricing>;

/**
 * Settlements of outcome contracts per calendar period: the period's KPI readings aggregated,
 * the base fee prorated to the days the contract ran, and value-domain's settlement rule (bands,
 * caps, floor), through catalog-domain `settleOutcomePeriod`. Each (contract, period) is stored
 * once with its inputs and lines; settling it again with other inputs (a late reading) makes a
 * new revision and a new `settlement.computed` event, with the same inputs nothing at all.
 */
@Injectable()
export class SettlementsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: SettlementsRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly readings: ReadingsService,
  ) {}

  /** Settles one contract for one period now. */
  settle(ctx: RequestContext, req: SettleSubscriptionRequest): Promise<SettlementDto> {
    return this.uow.forScope(authorize(ctx, 'settle'), async (tx) => {
      const s = await this.subscriptions.requireIn(tx, req.subscriptionId, false, 'subscriptionId');
      const period = calendarPeriod(req.period, outcomeTerms(s).settlementPeriod, 'period');
      const readings = (await this.readings.forSubscriptionsIn(tx, [s.id], new Date(period.start), new Date(period.end))).get(s.id) ?? [];
      const result = this.compute(s, () => checkOutcomeTerms(outcomeTerms(s)), period, readings);
      if ('rule' in result) throw new StewardError(ErrorCode.SettlementNotPossible, result.message, { errors: [{ field: 'period', rule: result.rule, message: result.message }] });
      const [stored] = await this.store(tx, [result], period.key);
      return stored ?? (await this.repo.existing(tx, [s.id], period.key)).get(s.id)!;
    });
  }

  list(ctx: RequestContext, q: ListSettlementsRequest): Promise<Page<SettlementDto>> {
    return this.uow.forScope(authorize(ctx, 'settle'), (tx) => this.repo.list(tx, q));
  }

  /** Opens a run over every outcome contract of the tenant settled per `unit`, as a durable job. */
  startRun(ctx: RequestContext, req: StartSettlementRunRequest): Promise<SettlementRunDto> {
    return this.uow.forScope(authorize(ctx, 'settle'), async (tx) => {
      const period = calendarPeriod(req.period, req.unit, 'period');
      const run = await this.repo.insertRun(tx, { id: uuidv7(), period: period.key, unit: req.unit, at: this.clock.now() });
      await this.jobs.enqueue(tx, SettlementRunJob, { runId: run.id }, { id: run.id });
      return strip(run);
    });
  }

  getRun(ctx: RequestContext, id: string): Promise<SettlementRunDto> {
    return this.uow.forScope(authorize(ctx, 'settle'), async (tx) => {
      const run = await this.repo.findRun(tx, id);
      if (!run) throw notFound('settlement run', id);
      return strip(run);
    });
  }

  /** The run's job: steps of SETTLEMENT_STEP contracts (by id), each step's settlements, events and counts committed together. */
  async onRunJob(job: RunningJob<{ runId: string }>): Promise<void> {
    for (;;) {
      const done = await job.step(async (tx) => {
        const run = await this.repo.findRun(tx, job.payload.runId);
        if (!run || run.status !== 'running') return true;
        const period = calendarPeriod(run.period, run.unit);
        const page = await this.repo.contractsPage(tx, { unit: run.unit, from: new Date(period.start), to: new Date(period.end), after: run.afterId, limit: SETTLEMENT_STEP });
        if (page.length === 0) {
          await this.repo.finishRun(tx, run.id, this.clock.now(), null);
          return true;
        }
        const problems: Problem[] = [];
        const computed: NewSettlement[] = [];
        const terms = termsCache();
        for (const s of page) {
          const result = this.compute(s, () => terms(s.pricingJson), period, s.readings);
          if ('rule' in result) problems.push(result);
          else computed.push(result);
        }
        const stored = await this.store(tx, computed, period.key);
        await this.repo.advanceRun(tx, run.id, {
          total: page.length,
          settled: stored.length,
          unchanged: computed.length - stored.length,
          skipped: problems.length,
          problems,
          afterId: page[page.length - 1].id,
        });
        return false;
      });
      if (done) return;
    }
  }

  /** A failed run records why. */
  async onRunFailed(tx: Tx, job: { payload: { runId: string }; reason: string }): Promise<void> {
    await this.repo.finishRun(tx, job.payload.runId, this.clock.now(), job.reason);
  }

  /**
   * Stores what changed (new, or another result) and emits one event per stored settlement, in
   * one statement. Unchanged results are found here first: comparing in the upsert itself made
   * PostgreSQL lock every unchanged row (a re-run took 1.5× as long; docs/benchmarks.md).
   */
  private async store(tx: Tx, computed: NewSettlement[], period: string): Promise<SettlementDto[]> {
    const existing = await this.repo.existing(tx, computed.map((c) => c.subscriptionId), period);
    const changed = computed.filter((c) => {
      const before = existing.get(c.subscriptionId);
      return !before || !sameResult(before, c);
    });
    return this.repo.upsertMany(tx, changed, (source, firstParam) => this.outbox.eventsFrom(tx, Events.catalog.settlementComputed, source, firstParam));
  }

  /** `termsOf` gives the contract's checked terms, or throws the domain error that makes them unusable. */
  private compute(s: Contract, termsOf: () => CheckedTerms, period: CalendarPeriod, readings: SettlementReading[]): NewSettlement | Problem {
    try {
      const terms = termsOf();
      const r = settleOutcomePeriod({
        terms,
        period,
        readings,
        activeFrom: s.startedAt.toISOString(),
        activeUntil: s.endedAt?.toISOString() ?? null,
      });
      const used = readings.filter((x) => x.at >= period.start && x.at < period.end);
      return {
        id: uuidv7(),
        subscriptionId: s.id,
        accountId: s.accountId,
        period: period.key,
        periodStart: period.start,
        periodEnd: period.end,
        currency: terms.currency,
        amount: r.settlement.settlement,
        baseFee: r.baseFee,
        bonus: r.settlement.bonus,
        malus: r.settlement.malus,
        adjustment: r.settlement.adjustment,
        inputs: {
          kpi: terms.kpi,
          target: terms.target,
          direction: terms.direction,
          aggregation: terms.aggregation,
          actual: r.actual,
          deviationPct: r.settlement.deviationPct,
          readings: used.map((x) => ({ id: x.id, at: x.at, value: x.value, source: x.source })),
          activeDays: r.activeDays,
          periodDays: r.periodDays,
          listBaseFee: terms.baseFee,
        },
        lines: r.lines,
        computedAt: this.clock.now().toISOString(),
      };
    } catch (err) {
      if (!isDomainError(err)) throw err;
      const rule = err.code === CatalogDomainErrorCode.NoReadings ? 'no-readings' : err.field === 'period' ? 'not-active' : toRuleName(err.code);
      return { subscriptionId: s.id, field: err.field === 'readings' ? 'period' : err.field, rule, message: err.message };
    }
  }
}

/**
 * Parses and checks each distinct terms text once (a run's contracts mostly share a few plans'
 * terms); the same domain error again for every contract on terms that cannot be settled.
 */
function termsCache(): (json: string) => CheckedTerms {
  const seen = new Map<string, { terms: CheckedTerms } | { error: unknown }>();
  return (json) => {
    let entry = seen.get(json);
    if (!entry) {
      try {
        entry = { terms: checkOutcomeTerms(JSON.parse(json) as OutcomePricing) };
      } catch (error) {
        entry = { error };
      }
      seen.set(json, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.terms;
  };
}

const strip = ({ afterId: _after, ...run }: SettlementRunDto & { afterId: string | null }): SettlementRunDto => run;
