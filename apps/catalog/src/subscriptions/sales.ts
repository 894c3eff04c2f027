import { Injectable } from '@nestjs/common';
import type { Pricing } from '@steward/contracts';
import { seatsFor, type Pricing as DomainPricing } from '@steward/catalog-domain';
import type { Tx } from '@steward/persistence';
import { fieldError } from '../access';
import type { VersionContext } from '../catalog/version-context';
import { PlansService } from '../catalog/plans.service';
import { PriceBooksService, type PriceSource } from '../catalog/price-books.service';
import type { AccountRef } from '../directory/refs';
import { DirectoryService } from '../directory/directory.service';

/** What selling a plan to an account resolves to: the account, the version, its price for this seller, the seats. */
export interface Sale {
  account: AccountRef;
  version: VersionContext;
  pricing: Pricing;
  priceSource: PriceSource;
  seats: number;
}

/**
 * Resolves a sale inside the caller's transaction: the account (and project) in the caller's
 * scope, so another partner's account is not found; the plan version for sale; its price for
 * the seller (a partner's price book, else the list); the seats the price needs.
 */
@Injectable()
export class SaleResolver {
  constructor(
    private readonly directory: DirectoryService,
    private readonly plans: PlansService,
    private readonly priceBooks: PriceBooksService,
  ) {}

  async newSale(tx: Tx, req: { accountId: string; projectId?: string; planId: string; planVersionId?: string; seats?: number }): Promise<Sale> {
    const account = await this.directory.requireAccountIn(tx, req.accountId);
    if (req.projectId) await this.directory.requireProjectIn(tx, account.id, req.projectId);
    const version = await this.plans.sellableIn(tx, req.planId, req.planVersionId);
    const price = await this.priceBooks.priceIn(tx, version);
    return { account, version, pricing: price.pricing, priceSource: price.source, seats: seatsFor(price.pricing as DomainPricing, req.seats) };
  }

  /** Moving a running subscription to another version of the same product (or keeping it), with new seats. */
  async change(
    tx: Tx,
    s: { productId: string; planVersionId: string; pricing: Pricing; priceSource: PriceSource; seats: number },
    req: { planVersionId?: string; seats?: number },
  ): Promise<{ moved: VersionContext | null; pricing: Pricing; priceSource: PriceSource; seats: number }> {
    const target = req.planVersionId && req.planVersionId !== s.planVersionId ? await this.plans.versionIn(tx, req.planVersionId) : null;
    if (target && target.productId !== s.productId) throw fieldError('planVersionId', 'same-product', `must be a version of a plan of the same product (${s.productId})`);
    const moved = target ? await this.plans.sellableIn(tx, target.version.planId, target.version.id) : null;
    const price = moved ? await this.priceBooks.priceIn(tx, moved) : { pricing: s.pricing, source: s.priceSource };
    if (price.pricing.kind !== s.pricing.kind) throw fieldError('planVersionId', 'same-kind', `must be priced '${s.pricing.kind}' like the subscription`);
    const seats = seatsFor(price.pricing as DomainPricing, req.seats ?? (s.seats > 0 ? s.seats : undefined));
    return { moved, pricing: price.pricing, priceSource: price.source, seats };
  }
}
