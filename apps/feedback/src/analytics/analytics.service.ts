import { Inject, Injectable } from '@nestjs/common';
import { AnalyticsRequest, AnalyticsResponse, ScoreResult, StewardError } from '@steward/contracts';
import { emptyRollup, mergeAll, type Rollup, type RollupKind } from '@steward/feedback-domain';
import type { UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { DirectoryService } from '../directory/directory.service';
import { scoreOf } from '../domain/scores';
import { AnalyticsRepository, RollupRow } from './analytics.repository';

const bad = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);

/** Months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m === 13) [y, m] = [y + 1, 1];
  }
  return out;
}

const asRollup = (kind: RollupKind, r: RollupRow): Rollup => ({ schema: 1, kind, n: r.n, counts: r.counts });
const merged = (kind: RollupKind, rows: RollupRow[]): ScoreResult => scoreOf(kind, rows.length ? mergeAll(kind, rows.map((r) => asRollup(kind, r))) : emptyRollup(kind));

/**
 * Scores from rollups only (never a scan of responses): a period is a range of months, a
 * segment one dimension and value; the result is the merge of the matching rollups, the
 * library's formula applied once (so it equals a direct computation over the same answers).
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    private readonly repo: AnalyticsRepository,
    private readonly directory: DirectoryService,
  ) {}

  scores(ctx: RequestContext, q: AnalyticsRequest): Promise<AnalyticsResponse> {
    requireRole(ctx, ANY_ROLE);
    if (q.from > q.to) throw bad('to', 'after-from', 'must not be before from');
    if (monthsBetween(q.from, q.to).length > 120) throw bad('to', 'max-range', 'a query covers at most 120 months');
    if (q.dimension !== 'all' && !q.value) throw bad('value', 'required', `is required with dimension ${q.dimension}`);
    if (q.groupBy && q.dimension !== 'all') throw bad('groupBy', 'without-filter', 'rollups are kept per single dimension: group the whole tenant, or filter without grouping');
    if (q.groupBy === 'account') throw bad('groupBy', 'small-dimension', 'accounts are too many to group: filter on one account instead');
    const kind = q.kind as RollupKind;
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const value = q.dimension === 'all' ? 'all' : q.value!;
      const rows = await this.repo.rollups(tx, kind, q.dimension, value, q.from, q.to);
      const out: AnalyticsResponse = { kind: q.kind, from: q.from, to: q.to, dimension: q.dimension, value: q.dimension === 'all' ? null : value, result: merged(kind, rows) };
      if (q.trend) out.trend = monthsBetween(q.from, q.to).map((month) => ({ month, result: merged(kind, rows.filter((r) => r.month === month)) }));
      if (q.groupBy) {
        const grouped = await this.repo.rollups(tx, kind, q.groupBy, null, q.from, q.to);
        const byValue = new Map<string, RollupRow[]>();
        for (const r of grouped) byValue.set(r.value, [...(byValue.get(r.value) ?? []), r]);
        out.groups = [...byValue.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([v, rs]) => ({ value: v, result: merged(kind, rs) }));
      }
      return out;
    });
  }

  responseRate(ctx: RequestContext, q: { surveyId?: string; from: string; to: string }) {
    requireRole(ctx, ANY_ROLE);
    if (q.from > q.to) throw bad('to', 'after-from', 'must not be before from');
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const { invited, responded } = await this.repo.responseRate(tx, q.surveyId ?? null, q.from, q.to);
      return { invited, responded, rate: invited > 0 ? responded / invited : null };
    });
  }

  /** Engagement of an account's stakeholders: the account, each buying role, each contact on its decision chain. */
  accountEngagement(ctx: RequestContext, q: { accountId: string; from: string; to: string }) {
    requireRole(ctx, ANY_ROLE);
    if (q.from > q.to) throw bad('to', 'after-from', 'must not be before from');
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const account = (await this.directory.accountsIn(tx, [q.accountId])).get(q.accountId);
      if (!account) throw StewardError.notFound('account', q.accountId);
      const contacts = await this.directory.contactsOfAccountIn(tx, q.accountId);
      const total = await this.repo.rollups(tx, 'engagement', 'account', q.accountId, q.from, q.to);
      const perContact = await this.repo.rollupsOf(tx, 'engagement', 'contact', contacts.map((c) => c.id), q.from, q.to);
      const byContact = new Map<string, RollupRow[]>();
      for (const r of perContact) byContact.set(r.value, [...(byContact.get(r.value) ?? []), r]);
      const byRole = new Map<string, RollupRow[]>();
      for (const c of contacts) if (c.buyingRole) byRole.set(c.buyingRole, [...(byRole.get(c.buyingRole) ?? []), ...(byContact.get(c.id) ?? [])]);
      return {
        accountId: q.accountId,
        result: merged('engagement', total),
        byRole: [...byRole.entries()].map(([role, rs]) => ({ role, result: merged('engagement', rs) })),
        stakeholders: contacts.map((c) => ({ contactId: c.id, name: c.name, buyingRole: c.buyingRole, influence: c.influence, result: merged('engagement', byContact.get(c.id) ?? []) })),
      };
    });
  }
}
