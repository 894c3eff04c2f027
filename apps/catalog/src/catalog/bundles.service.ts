import { Inject, Injectable } from '@nestjs/common';
import { BundleDto, CreateBundleRequest, ErrorCode, ListBundlesRequest, Page, PlanDto, StewardError } from '@steward/contracts';
import { assertCurrency, firstYearValue, priceBundle, seatsFor, type Pricing as DomainPricing } from '@steward/catalog-domain';
import { idCursor, isUniqueViolation, Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, codeTaken, invalidState, notFound } from '../access';
import { BundleRow, BundlesRepository } from './bundles.repository';
import { PlansService } from './plans.service';

/**
 * Industry bundles: plans sold together at a discount. Each component is priced at its plan's
 * current first-year value (catalog-domain `firstYearValue`), the discount taken off their
 * total and the bundle price split over them; every component stays sellable alone, so the
 * bundle shows its entry price (the cheapest component unbundled).
 */
@Injectable()
export class BundlesService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: BundlesRepository,
    private readonly plans: PlansService,
  ) {}

  create(ctx: RequestContext, req: CreateBundleRequest): Promise<BundleDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      assertCurrency(req.currency);
      const components: Array<{ planId: string; seats: number }> = [];
      for (const [i, c] of req.components.entries()) {
        const plan = await this.plans.requireIn(tx, c.planId, `components[${i}].planId`);
        if (plan.status === 'retired') throw invalidState(`components[${i}].planId`, `Plan ${plan.id} is retired`);
        if (plan.current.pricing.currency !== req.currency) {
          throw new StewardError(ErrorCode.CatalogCurrencyMismatch, `Plan ${plan.id} is priced in ${plan.current.pricing.currency}, the bundle in ${req.currency}`, {
            errors: [{ field: `components[${i}].planId`, rule: 'same-currency', message: `is priced in ${plan.current.pricing.currency}, not ${req.currency}` }],
          });
        }
        components.push({ planId: plan.id, seats: seatsFor(plan.current.pricing as DomainPricing, c.seats, `components[${i}].seats`) });
      }
      const id = uuidv7();
      // Priced once before storing, so a discount larger than the components' total is refused now.
      await this.price(tx, { currency: req.currency, discount: req.discount, components });
      await this.repo.insert(tx, { ...req, id, components, at: this.clock.now() }).catch((err) => {
        throw isUniqueViolation(err, 'bundles_code') ? codeTaken('bundle', req.code) : err;
      });
      return this.toDto(tx, (await this.repo.find(tx, id))!);
    });
  }

  get(ctx: RequestContext, id: string): Promise<BundleDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const row = await this.repo.find(tx, id);
      if (!row) throw notFound('bundle', id);
      return this.toDto(tx, row);
    });
  }

  list(ctx: RequestContext, q: ListBundlesRequest): Promise<Page<BundleDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const rows = await this.repo.list(tx, q);
      const page = rows.slice(0, q.limit);
      const items: BundleDto[] = [];
      for (const r of page) items.push(await this.toDto(tx, r));
      return { items, nextCursor: rows.length > q.limit ? idCursor.encode(page[page.length - 1].id) : null };
    });
  }

  publish(ctx: RequestContext, id: string): Promise<BundleDto> {
    return this.setStatus(ctx, id, 'active');
  }

  retire(ctx: RequestContext, id: string): Promise<BundleDto> {
    return this.setStatus(ctx, id, 'retired');
  }

  private setStatus(ctx: RequestContext, id: string, status: 'active' | 'retired'): Promise<BundleDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const row = await this.repo.find(tx, id, true);
      if (!row) throw notFound('bundle', id);
      if (row.status === status) return this.toDto(tx, row);
      if (row.status === 'retired') throw invalidState('id', `Bundle ${id} is retired`);
      await this.repo.setStatus(tx, id, status, this.clock.now());
      return this.toDto(tx, (await this.repo.find(tx, id))!);
    });
  }

  private async price(tx: Tx, b: { currency: string; discount: BundleRow['discount']; components: Array<{ planId: string; seats: number }> }) {
    const plans: PlanDto[] = [];
    for (const c of b.components) plans.push(await this.plans.requireIn(tx, c.planId));
    const price = priceBundle({
      currency: b.currency,
      discount: b.discount,
      components: b.components.map((c, i) => ({ key: c.planId, currency: plans[i].current.pricing.currency, listPrice: firstYearValue(plans[i].current.pricing as DomainPricing, c.seats) })),
    });
    return {
      listTotal: price.listTotal,
      discount: price.discount,
      total: price.total,
      components: price.components.map((c, i) => ({ planId: c.key, planVersionId: plans[i].current.id, listPrice: c.listPrice, bundlePrice: c.bundlePrice })),
      entryPrice: price.entryPrice,
      entryPlanId: price.entryComponent,
      lines: price.lines,
    };
  }

  private async toDto(tx: Tx, r: BundleRow): Promise<BundleDto> {
    return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), price: await this.price(tx, r) };
  }
}
