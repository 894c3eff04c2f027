import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, ListOffersRequest, ListPriceBookRequest, OfferDto, Page, PriceBookEntryDto, Pricing, SetPriceBookEntryRequest, StewardError } from '@steward/contracts';
import { firstYearValue, seatsFor, validatePricing, type Pricing as DomainPricing } from '@steward/catalog-domain';
import { decodeCursor, encodeCursor, Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, fieldError, notFound } from '../access';
import { DirectoryService } from '../directory/directory.service';
import { PlansService } from './plans.service';
import { PriceBooksRepository } from './price-books.repository';
import { ProductsService } from './products.service';
import type { VersionContext } from './version-context';

export type PriceSource = 'list' | 'partner' | 'partner-kind';

const isOfferCursor = (c: unknown): c is { o: string } => typeof c === 'object' && c !== null && typeof (c as { o?: unknown }).o === 'string' && /^[0-9a-f-]{36}$/.test((c as { o: string }).o);

/**
 * Channel price books: a partner's (or every partner of a kind's) price for a plan version, and
 * the offers a caller sees: every active plan at the caller's price. A partner's own entry wins
 * over its kind's, which wins over the list price. Partners read only their own entries (RLS).
 */
@Injectable()
export class PriceBooksService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: PriceBooksRepository,
    private readonly plans: PlansService,
    private readonly products: ProductsService,
    private readonly directory: DirectoryService,
  ) {}

  set(ctx: RequestContext, req: SetPriceBookEntryRequest): Promise<PriceBookEntryDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      if ((req.partnerId === undefined) === (req.partnerKind === undefined)) throw fieldError('partnerId', 'one-of', 'give exactly one of partnerId and partnerKind');
      const version = await this.plans.versionIn(tx, req.planVersionId);
      const list = version.version.pricing;
      if (req.pricing.kind !== list.kind) throw fieldError('pricing.kind', 'same-kind', `must be '${list.kind}' like the plan version's price`);
      if (req.pricing.currency !== list.currency) {
        throw new StewardError(ErrorCode.CatalogCurrencyMismatch, `The plan version is priced in ${list.currency}`, {
          errors: [{ field: 'pricing.currency', rule: 'same-currency', message: `must be ${list.currency} like the plan version's price` }],
        });
      }
      validatePricing(req.pricing as DomainPricing);
      if (req.partnerId && !(await this.directory.partnerExistsIn(tx, req.partnerId))) throw fieldError('partnerId', 'exists', 'is not a partner of this tenant');
      return this.repo.upsert(tx, {
        id: uuidv7(),
        planId: version.version.planId,
        planVersionId: req.planVersionId,
        partnerId: req.partnerId ?? null,
        partnerKind: req.partnerKind ?? null,
        pricing: req.pricing,
        at: this.clock.now(),
      });
    });
  }

  list(ctx: RequestContext, q: ListPriceBookRequest): Promise<Page<PriceBookEntryDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.repo.list(tx, q));
  }

  delete(ctx: RequestContext, id: string): Promise<PriceBookEntryDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => (await this.repo.delete(tx, id)) ?? Promise.reject(notFound('price book entry', id)));
  }

  /** Active plans at the caller's prices: partners get their price book's, users the list price. */
  offers(ctx: RequestContext, q: ListOffersRequest): Promise<Page<OfferDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      const after = q.cursor ? decodeCursor(q.cursor, isOfferCursor, 'is not a cursor of the offers list').o : null;
      const plans = await this.plans.sellablePageIn(tx, { limit: q.limit + 1, after, productId: q.productId, kind: q.kind });
      const page = plans.slice(0, q.limit);
      const prices = await this.partnerPrices(tx, page.map((p) => p.current.id));
      const products = new Map<string, Awaited<ReturnType<ProductsService['requireIn']>>>();
      const items: OfferDto[] = [];
      for (const plan of page) {
        const product = products.get(plan.productId) ?? (await this.products.requireIn(tx, plan.productId));
        products.set(plan.productId, product);
        const price = prices.get(plan.current.id);
        const pricing = price?.pricing ?? plan.current.pricing;
        items.push({
          product,
          plan,
          planVersionId: plan.current.id,
          pricing,
          priceSource: price?.source ?? 'list',
          firstYearValue: firstYearValue(pricing as DomainPricing, seatsFor(pricing as DomainPricing, undefined)),
        });
      }
      const last = page[page.length - 1];
      return { items, nextCursor: plans.length > q.limit && last ? encodeCursor({ o: last.id }) : null };
    });
  }

  /** The price a new subscription of this version gets when the transaction's partner sells it (else the list price). */
  async priceIn(tx: Tx, version: VersionContext): Promise<{ pricing: Pricing; source: PriceSource }> {
    const found = (await this.partnerPrices(tx, [version.version.id])).get(version.version.id);
    return found ?? { pricing: version.version.pricing, source: 'list' };
  }

  private async partnerPrices(tx: Tx, versionIds: string[]): Promise<Map<string, { pricing: Pricing; source: PriceSource }>> {
    const partnerId = tx.scope.partnerId;
    if (!partnerId) return new Map();
    return this.repo.forPartner(tx, versionIds, partnerId, await this.directory.partnerKindIn(tx, partnerId));
  }
}
