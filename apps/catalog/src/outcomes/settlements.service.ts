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
import { CatalogDomainErrorCode, calendarPeriod, checkOutcomeTerms, settleOutcomePeriod, type CalendarPeriod, type OutcomePricing, type SettlementUnit } from '@steward/catalog-domain';
import { isDomainError, toRuleName } from '@steward/domain-kernel';
import type { Outbox } from '@steward/messaging';
import { sameJson, Tx, uuidv7, type ReadTx, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, JobQueue, JOBS, OUTBOX, RunningJob, SERVICE_CONFIG, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, notFound } from '../access';
import type { CatalogConfig } from '../config';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { SettlementRunJob } from './outcomes.jobs';
import type { SettlementReading } from './readings.repository';
import { outcomeTerms, ReadingsService } from './readings.service';
import { ContractToSettle, NewSettlement, SettlementBatch, SettlementResult, SettlementsRepository, StoredSettlement } from './settlements.repository';

/** Whether a computed result is the stored one (amounts compared as numbers, inputs and lines as jsonb holds them). */
const sameResult = (a: SettlementResult, b: NewSettlement) =>
  a.amount === b.amount &&
  a.baseFee === b.baseFee &&
  a.bonus === b.bonus &&
  a.malus === b.malus &&
  a.adjustment === b.adjustment &&
  a.currency === b.currency &&
  sameJson(a.inputs, b.inputs) &&
  sameJson(a.lines, b.lines);

type Problem = { subscriptionId: string; field: string; rule: string; message: string };
/** What settling reads of a contract (its terms apart). */
type Contract = Pick<ContractToSettle, 'id' | 'accountId' | 'startedAt' | 'endedAt'>;
type CheckedTerms = Readonly<OutcomePricing>;
/** A page of a run, read and settled: what its step stores and counts. */
interface PreparedPage {
  /** The contract id the page starts after (null: the first page). */
  after: string | null;
  /** The page's last contract id; null when no contract is left. */
  lastId: string | null;
  total: number;
  computed: number;
  problems: Problem[];
  /** The results to store (new or changed), serialized while the previous page is stored. */
  changed: SettlementBatch;
}

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
    @Inject(SERVICE_CONFIG) private readonly config: CatalogConfig,
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
      const [changed] = await this.changed(tx, [result], period.key);
      const [stored] = changed ? await this.upsert(tx, new SettlementBatch([changed])) : [];
      return stored ? this.repo.storedDto(changed!, stored) : (await this.repo.existing(tx, [s.id], period.key)).get(s.id)!;
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

  /**
   * The run's job: steps of `CATALOG_SETTLEMENT_PAGE` contracts (by id), each step's settlements, events and
   * counts committed together. While a step's transaction stores its page, the next page is read
   * and settled on another connection (read-only, {@link UnitOfWork.read}): PostgreSQL writes one
   * page while this process computes the next. A prepared page is used only by the step that
   * starts where it starts; one that failed is read again inside the step.
   */
  async onRunJob(job: RunningJob<{ runId: string }>): Promise<void> {
    const terms = termsCache();
    let ahead: Promise<PreparedPage | null> | null = null;
    for (;;) {
      const done = await job.step(async (tx) => {
        const run = await this.repo.findRun(tx, job.payload.runId);
        if (!run || run.status !== 'running') return true;
        const period = calendarPeriod(run.period, run.unit);
        const prepared = await ahead;
        ahead = null;
        const page = prepared && prepared.after === run.afterId ? prepared : await this.preparePage(tx, run.unit, period, run.afterId, terms);
        if (page.lastId === null) {
          await this.repo.finishRun(tx, run.id, this.clock.now(), null);
          return true;
        }
        const next = this.uow.read({ tenantId: job.tenantId }, (rtx) => this.preparePage(rtx, run.unit, period, page.lastId, terms));
        ahead = next.catch(() => null);
        const stored = await this.upsert(tx, page.changed);
        await this.repo.advanceRun(tx, run.id, {
          total: page.total,
          settled: stored.length,
          unchanged: page.computed - stored.length,
          skipped: page.problems.length,
          problems: page.problems,
          afterId: page.lastId,
        });
        return false;
      });
      if (done) return;
    }
  }

  /**
   * The page of contracts after `after`, settled, and those whose result differs from the
   * stored one (new, or another result). The upsert checks again: a settlement stored meanwhile
   * with the same result is left alone. Comparing here, not in the upsert, because there
   * PostgreSQL locked every unchanged row (a re-run took 1.5× as long; docs/benchmarks.md).
   */
  private async preparePage(tx: ReadTx, unit: SettlementUnit, period: CalendarPeriod, after: string | null, terms: (json: string) => CheckedTerms): Promise<PreparedPage> {
    const contracts = await this.repo.contractsPage(tx, { unit, from: new Date(period.start), to: new Date(period.end), after, limit: this.config.app.settlementPage });
    const problems: Problem[] = [];
    const computed: NewSettlement[] = [];
    for (const s of contracts) {
      const result = this.compute(s, () => terms(s.pricingJson), period, s.readings);
      if ('rule' in result) problems.push(result);
      else computed.push(result);
    }
    return { after, lastId: contracts.at(-1)?.id ?? null, total: contracts.length, computed: computed.length, problems, changed: new SettlementBatch(await this.changed(tx, computed, period.key)) };
  }

  /** A failed run records why. */
  async onRunFailed(tx: Tx, job: { payload: { runId: string }; reason: string }): Promise<void> {
    await this.repo.finishRun(tx, job.payload.runId, this.clock.now(), job.reason);
  }

  /** Stores these results and emits one `settlement.computed` per stored settlement, in one statement. */
  private upsert(tx: Tx, changed: SettlementBatch): Promise<StoredSettlement[]> {
    return this.repo.upsertMany(tx, changed, (source, firstParam) => this.outbox.eventsFrom(tx, Events.catalog.settlementComputed, source, firstParam));
  }

  /** The results that are new or differ from the stored settlement of their contract and period. */
  private async changed(tx: ReadTx, computed: NewSettlement[], period: string): Promise<NewSettlement[]> {
    const existing = await this.repo.storedResults(tx, computed.map((c) => c.subscriptionId), period);
    return computed.filter((c) => {
      const before = existing.get(c.subscriptionId);
      return !before || !sameResult(before, c);
    });
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
