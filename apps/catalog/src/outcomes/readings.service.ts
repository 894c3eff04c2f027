import { Inject, Injectable } from '@nestjs/common';
import {
  actorRef,
  ErrorCode,
  ImportKpiReadingsRequest,
  KpiReadingDto,
  ListKpiReadingsRequest,
  RecordKpiReadingRequest,
  StewardError,
  type ComplaintEvent,
  type TicketEvent,
} from '@steward/contracts';
import { calendarPeriod, periodKeyOf, type OutcomePricing } from '@steward/catalog-domain';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import type { z } from 'zod';
import { authorize, fieldError } from '../access';
import type { SubscriptionRow } from '../subscriptions/subscription.row';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { NewReading, ReadingsRepository, type SettlementReading } from './readings.repository';

/** The KPI key whose readings the catalog derives from support's events. */
export const COMPLAINT_RATE = 'complaint-rate';

/** An outcome subscription's terms, or a 400 naming the field. */
export function outcomeTerms(s: SubscriptionRow, field = 'subscriptionId'): OutcomePricing {
  if (s.pricing.kind !== 'outcome') throw fieldError(field, 'outcome-plan', `subscription ${s.id} is priced '${s.pricing.kind}', not on an outcome`);
  return s.pricing as OutcomePricing;
}

const readingConflict = (field: string, first: KpiReadingDto) =>
  new StewardError(ErrorCode.KpiReadingConflict, `Reading ${first.externalId} was recorded before with other values`, {
    errors: [{ field, rule: 'same-record', message: `was recorded as ${first.value} at ${first.at}: a new reading needs a new external id` }],
  });

/**
 * KPI readings of outcome contracts: entered by hand, imported (idempotent by external id), or
 * derived from other services' events: the complaint rate of an account per month, complaints ÷
 * tickets × 100, from support's `ticket.created` and `complaint.registered`.
 */
@Injectable()
export class ReadingsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: ReadingsRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  record(ctx: RequestContext, req: RecordKpiReadingRequest): Promise<KpiReadingDto> {
    return this.uow.forScope(authorize(ctx, 'meter'), async (tx) => {
      const s = await this.subscriptions.requireIn(tx, req.subscriptionId, false, 'subscriptionId');
      outcomeTerms(s);
      const reading = this.reading(ctx, s.id, req, 'manual');
      const [stored] = await this.repo.insertMany(tx, [reading]);
      if (stored) return stored;
      const [first] = await this.repo.byExternalIds(tx, [{ subscriptionId: s.id, externalId: req.externalId! }]);
      if (first.value !== req.value || Date.parse(first.at) !== Date.parse(req.at)) throw readingConflict('externalId', first);
      return first;
    });
  }

  /** Up to 1,000 readings; each row is created, unchanged (same external id and values) or rejected with its field and rule. */
  import(ctx: RequestContext, req: ImportKpiReadingsRequest) {
    return this.uow.forScope(authorize(ctx, 'meter'), async (tx) => {
      const errors: Array<{ index: number; field: string; rule: string; message: string }> = [];
      const subs = new Map<string, SubscriptionRow | null>();
      const candidates: Array<{ index: number; reading: NewReading }> = [];
      const seen = new Set<string>();
      for (const [index, r] of req.readings.entries()) {
        if (!subs.has(r.subscriptionId)) subs.set(r.subscriptionId, await this.subscriptions.requireIn(tx, r.subscriptionId).catch(() => null));
        const s = subs.get(r.subscriptionId);
        if (!s) errors.push({ index, field: `readings[${index}].subscriptionId`, rule: 'exists', message: `no subscription ${r.subscriptionId} here` });
        else if (s.pricing.kind !== 'outcome') errors.push({ index, field: `readings[${index}].subscriptionId`, rule: 'outcome-plan', message: `subscription ${s.id} is not priced on an outcome` });
        else if (seen.has(`${s.id}|${r.externalId}`)) errors.push({ index, field: `readings[${index}].externalId`, rule: 'unique', message: 'appears twice in this import' });
        else {
          seen.add(`${s.id}|${r.externalId}`);
          candidates.push({ index, reading: this.reading(ctx, s.id, r, 'import') });
        }
      }
      const created = await this.repo.insertMany(tx, candidates.map((c) => c.reading));
      const inserted = new Set(created.map((c) => `${c.subscriptionId}|${c.externalId}`));
      const existing = await this.repo.byExternalIds(tx, candidates.filter((c) => !inserted.has(`${c.reading.subscriptionId}|${c.reading.externalId}`)).map((c) => ({ subscriptionId: c.reading.subscriptionId, externalId: c.reading.externalId! })));
      const firstOf = new Map(existing.map((e) => [`${e.subscriptionId}|${e.externalId}`, e]));
      let unchanged = 0;
      for (const c of candidates) {
        const key = `${c.reading.subscriptionId}|${c.reading.externalId}`;
        if (inserted.has(key)) continue;
        const first = firstOf.get(key)!;
        if (first.value === c.reading.value && Date.parse(first.at) === Date.parse(c.reading.at)) unchanged++;
        else errors.push({ index: c.index, field: `readings[${c.index}].externalId`, rule: 'same-record', message: `was imported as ${first.value} at ${first.at}` });
      }
      errors.sort((a, b) => a.index - b.index);
      return { created: created.length, unchanged, rejected: errors.length, errors };
    });
  }

  list(ctx: RequestContext, q: ListKpiReadingsRequest): Promise<{ items: KpiReadingDto[] }> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const s = await this.subscriptions.requireIn(tx, q.subscriptionId, false, 'subscriptionId');
      const terms = outcomeTerms(s);
      const period = q.period ? calendarPeriod(q.period, terms.settlementPeriod) : null;
      return { items: await this.repo.list(tx, s.id, period ? new Date(period.start) : null, period ? new Date(period.end) : null) };
    });
  }

  /** The readings of many subscriptions inside a period (settlement runs). */
  /** The readings of these subscriptions in [from, to), by subscription, oldest first. */
  forSubscriptionsIn(tx: Tx, ids: string[], from: Date, to: Date): Promise<Map<string, SettlementReading[]>> {
    return this.repo.forSubscriptions(tx, ids, from, to);
  }

  // ---- derived from support's events ----

  async onTicketCreated(tx: Tx, e: TicketEvent): Promise<void> {
    await this.countAndDerive(tx, e.ticket.accountId, Date.parse(e.ticket.createdAt), 'tickets');
  }

  async onComplaintRegistered(tx: Tx, e: z.infer<typeof ComplaintEvent>): Promise<void> {
    await this.countAndDerive(tx, e.complaint.accountId, Date.parse(e.complaint.registeredAt), 'complaints');
  }

  /** Counts the ticket or complaint in its month and rewrites that month's complaint-rate reading of each contract betting on it. */
  private async countAndDerive(tx: Tx, accountId: string, at: number, what: 'tickets' | 'complaints'): Promise<void> {
    const month = calendarPeriod(periodKeyOf(at, 'month'), 'month');
    const counts = await this.repo.count(tx, accountId, month.key, what);
    const contracts = await this.subscriptions.outcomeByKpiIn(tx, accountId, COMPLAINT_RATE, new Date(month.start), new Date(month.end));
    if (contracts.length === 0) return;
    // A percentage with 4 decimals: 3 complaints in 200 tickets = 1.5 (%).
    const value = counts.tickets === 0 ? 0 : Math.round((counts.complaints / counts.tickets) * 100 * 10_000) / 10_000;
    for (const s of contracts) {
      await this.repo.upsertDerived(tx, {
        id: uuidv7(),
        subscriptionId: s.id,
        at: month.start,
        value,
        source: 'support-events',
        externalId: `support:${COMPLAINT_RATE}:${month.key}`,
        note: `${counts.complaints} complaint(s) in ${counts.tickets} ticket(s) in ${month.key}`,
        recordedAt: this.clock.now(),
        recordedBy: 'service:support-events',
      });
    }
  }

  private reading(ctx: RequestContext, subscriptionId: string, r: { at: string; value: number; externalId?: string; note?: string }, source: 'manual' | 'import'): NewReading {
    return {
      id: uuidv7(),
      subscriptionId,
      at: new Date(r.at).toISOString(),
      value: r.value,
      source,
      externalId: r.externalId ?? null,
      note: r.note ?? null,
      recordedAt: this.clock.now(),
      recordedBy: actorRef(ctx.actor),
    };
  }
}
