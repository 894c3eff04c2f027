import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { BundlesService } from './bundles.service';
import { PlansService } from './plans.service';
import { PriceBooksService } from './price-books.service';
import { ProductsService } from './products.service';

/** NATS adapters of the catalog proper (products, plans, price books, offers, bundles): one line per subject. */
@NatsHandlers()
export class CatalogHandlers implements NatsAdapters {
  constructor(
    private readonly products: ProductsService,
    private readonly plans: PlansService,
    private readonly priceBooks: PriceBooksService,
    private readonly bundles: BundlesService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.catalog;
    r.handle(s.productCreate, (req, ctx) => this.products.create(ctx, req));
    r.handle(s.productUpdate, (req, ctx) => this.products.update(ctx, req));
    r.handle(s.productGet, (req, ctx) => this.products.get(ctx, req.id));
    r.handle(s.productList, (req, ctx) => this.products.list(ctx, req));
    r.handle(s.productPublish, (req, ctx) => this.products.publish(ctx, req.id));
    r.handle(s.productRetire, (req, ctx) => this.products.retire(ctx, req.id));
    r.handle(s.planCreate, (req, ctx) => this.plans.create(ctx, req));
    r.handle(s.planRevise, (req, ctx) => this.plans.revise(ctx, req));
    r.handle(s.planRename, (req, ctx) => this.plans.rename(ctx, req));
    r.handle(s.planGet, (req, ctx) => this.plans.get(ctx, req.id));
    r.handle(s.planList, (req, ctx) => this.plans.list(ctx, req));
    r.handle(s.planVersions, (req, ctx) => this.plans.versions(ctx, req.id));
    r.handle(s.planPublish, (req, ctx) => this.plans.publish(ctx, req.id));
    r.handle(s.planRetire, (req, ctx) => this.plans.retire(ctx, req.id));
    r.handle(s.priceBookSet, (req, ctx) => this.priceBooks.set(ctx, req));
    r.handle(s.priceBookList, (req, ctx) => this.priceBooks.list(ctx, req));
    r.handle(s.priceBookDelete, (req, ctx) => this.priceBooks.delete(ctx, req.id));
    r.handle(s.offerList, (req, ctx) => this.priceBooks.offers(ctx, req));
    r.handle(s.bundleCreate, (req, ctx) => this.bundles.create(ctx, req));
    r.handle(s.bundleGet, (req, ctx) => this.bundles.get(ctx, req.id));
    r.handle(s.bundleList, (req, ctx) => this.bundles.list(ctx, req));
    r.handle(s.bundlePublish, (req, ctx) => this.bundles.publish(ctx, req.id));
    r.handle(s.bundleRetire, (req, ctx) => this.bundles.retire(ctx, req.id));
  }
}
