import { Inject, Injectable } from '@nestjs/common';
import { CreateProductRequest, Events, ListProductsRequest, Page, ProductDto, UpdateProductRequest } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, codeTaken, invalidState, notFound, staleVersion } from '../access';
import { ProductsRepository } from './products.repository';

/**
 * Service products (DOMAIN.md §3): kind, purpose, texts in en and zh-CN, deliverables, delivery
 * playbook, required resources; draft → active (published) → retired. Publishing and retiring
 * are events; a retired product sells nothing new (its running subscriptions go on).
 */
@Injectable()
export class ProductsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: ProductsRepository,
  ) {}

  create(ctx: RequestContext, req: CreateProductRequest): Promise<ProductDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const { code, ...fields } = req;
      return this.repo.insert(tx, { id: uuidv7(), code, at: this.clock.now(), ...fields }).catch((err) => {
        throw isUniqueViolation(err, 'products_code') ? codeTaken('product', code) : err;
      });
    });
  }

  update(ctx: RequestContext, req: UpdateProductRequest): Promise<ProductDto> {
    const { id, expectedVersion, ...changes } = req;
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const current = await this.repo.find(tx, id, true);
      if (!current) throw notFound('product', id);
      if (expectedVersion !== undefined && expectedVersion !== current.version) throw staleVersion('product', expectedVersion, current.version);
      if (current.status === 'retired') throw invalidState('id', `Product ${id} is retired: it can no longer change`);
      if (Object.values(changes).every((v) => v === undefined)) return current;
      return this.repo.update(tx, id, changes, this.clock.now());
    });
  }

  get(ctx: RequestContext, id: string): Promise<ProductDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => (await this.repo.find(tx, id)) ?? Promise.reject(notFound('product', id)));
  }

  list(ctx: RequestContext, q: ListProductsRequest): Promise<Page<ProductDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.repo.list(tx, q));
  }

  /** draft → active; publishing an active product again changes nothing. */
  publish(ctx: RequestContext, id: string): Promise<ProductDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const current = await this.repo.find(tx, id, true);
      if (!current) throw notFound('product', id);
      if (current.status === 'active') return current;
      if (current.status === 'retired') throw invalidState('id', `Product ${id} is retired: create a new product instead of publishing it again`);
      const product = await this.repo.setStatus(tx, id, 'active', this.clock.now());
      await this.outbox.emit(tx, Events.catalog.productPublished, { product });
      return product;
    });
  }

  /** draft or active → retired; retiring again changes nothing. */
  retire(ctx: RequestContext, id: string): Promise<ProductDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const current = await this.repo.find(tx, id, true);
      if (!current) throw notFound('product', id);
      if (current.status === 'retired') return current;
      const product = await this.repo.setStatus(tx, id, 'retired', this.clock.now());
      await this.outbox.emit(tx, Events.catalog.productRetired, { product });
      return product;
    });
  }

  /** The product inside the caller's transaction (404 when not visible). */
  async requireIn(tx: Tx, id: string, field = 'productId'): Promise<ProductDto> {
    const product = await this.repo.find(tx, id);
    if (!product) throw notFound('product', id, field);
    return product;
  }
}
