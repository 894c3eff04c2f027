import { Inject, Injectable } from '@nestjs/common';
import { actorRef, CreatePlanRequest, ListPlansRequest, Page, PlanDto, PlanVersionDto, RenamePlanRequest, RevisePlanRequest } from '@steward/contracts';
import { validatePricing, type Pricing as DomainPricing } from '@steward/catalog-domain';
import { isUniqueViolation, Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize, codeTaken, fieldError, invalidState, notFound } from '../access';
import { PlansRepository } from './plans.repository';
import type { VersionContext } from './version-context';
import { ProductsService } from './products.service';

/**
 * Plans and their versions. A plan has one pricing kind and one currency for life; its price,
 * grants and trial live in versions. Revising a plan inserts a new version and makes it the one
 * new subscriptions get: no version, and so no subscription, ever changes (the runtime role
 * cannot update a version at all).
 */
@Injectable()
export class PlansService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: PlansRepository,
    private readonly products: ProductsService,
  ) {}

  create(ctx: RequestContext, req: CreatePlanRequest): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const product = await this.products.requireIn(tx, req.productId, 'productId');
      if (product.status === 'retired') throw invalidState('productId', `Product ${product.id} is retired: it takes no new plans`);
      validatePricing(req.pricing as DomainPricing);
      const id = uuidv7();
      const versionId = uuidv7();
      const at = this.clock.now();
      // The plan first: its current version is a deferred reference, checked at commit.
      await this.repo
        .insertPlan(tx, { id, productId: req.productId, code: req.code, name: req.name, pricingKind: req.pricing.kind, versionId, at })
        .catch((err) => {
          throw isUniqueViolation(err, 'plans_code') ? codeTaken('plan', req.code) : err;
        });
      await this.repo.insertVersion(tx, { id: versionId, planId: id, version: 1, pricing: req.pricing, entitlements: req.entitlements, trialDays: req.trialDays, note: null, at, by: actorRef(ctx.actor) });
      return (await this.repo.find(tx, id))!;
    });
  }

  /** A new version: the price (same kind and currency), the grants or the trial change from now on. */
  revise(ctx: RequestContext, req: RevisePlanRequest): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const plan = await this.repo.find(tx, req.id, true);
      if (!plan) throw notFound('plan', req.id);
      if (plan.status === 'retired') throw invalidState('id', `Plan ${plan.id} is retired: it takes no new versions`);
      const pricing = req.pricing ?? plan.current.pricing;
      if (pricing.kind !== plan.pricingKind) throw fieldError('pricing.kind', 'same-kind', `must stay '${plan.pricingKind}': a plan keeps its pricing kind (create another plan instead)`);
      if (pricing.currency !== plan.current.pricing.currency) throw fieldError('pricing.currency', 'same-currency', `must stay ${plan.current.pricing.currency}: a plan keeps its currency`);
      validatePricing(pricing as DomainPricing);
      const at = this.clock.now();
      const versionId = uuidv7();
      await this.repo.insertVersion(tx, {
        id: versionId,
        planId: plan.id,
        version: (await this.repo.maxVersion(tx, plan.id)) + 1,
        pricing,
        entitlements: req.entitlements ?? plan.current.entitlements,
        trialDays: req.trialDays === undefined ? plan.current.trialDays : req.trialDays,
        note: req.note ?? null,
        at,
        by: actorRef(ctx.actor),
      });
      await this.repo.setCurrent(tx, plan.id, versionId, at);
      return (await this.repo.find(tx, plan.id))!;
    });
  }

  rename(ctx: RequestContext, req: RenamePlanRequest): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      if ((await this.repo.rename(tx, req.id, req.name, this.clock.now())) === 0) throw notFound('plan', req.id);
      return (await this.repo.find(tx, req.id))!;
    });
  }

  get(ctx: RequestContext, id: string): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => (await this.repo.find(tx, id)) ?? Promise.reject(notFound('plan', id)));
  }

  list(ctx: RequestContext, q: ListPlansRequest): Promise<Page<PlanDto>> {
    return this.uow.forScope(authorize(ctx, 'read'), (tx) => this.repo.list(tx, q));
  }

  versions(ctx: RequestContext, id: string): Promise<{ items: PlanVersionDto[] }> {
    return this.uow.forScope(authorize(ctx, 'read'), async (tx) => {
      if (!(await this.repo.find(tx, id))) throw notFound('plan', id);
      return { items: await this.repo.versions(tx, id) };
    });
  }

  /** draft → active, once its product is active; again: no change. */
  publish(ctx: RequestContext, id: string): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const plan = await this.repo.find(tx, id, true);
      if (!plan) throw notFound('plan', id);
      if (plan.status === 'active') return plan;
      if (plan.status === 'retired') throw invalidState('id', `Plan ${id} is retired`);
      const product = await this.products.requireIn(tx, plan.productId);
      if (product.status !== 'active') throw invalidState('productId', `Publish product ${product.id} first (it is ${product.status})`);
      await this.repo.setStatus(tx, id, 'active', this.clock.now());
      return (await this.repo.find(tx, id))!;
    });
  }

  retire(ctx: RequestContext, id: string): Promise<PlanDto> {
    return this.uow.forScope(authorize(ctx, 'manage-catalog'), async (tx) => {
      const plan = await this.repo.find(tx, id, true);
      if (!plan) throw notFound('plan', id);
      if (plan.status === 'retired') return plan;
      await this.repo.setStatus(tx, id, 'retired', this.clock.now());
      return (await this.repo.find(tx, id))!;
    });
  }

  /** The plan (404 naming `field` when not visible). */
  async requireIn(tx: Tx, id: string, field = 'planId'): Promise<PlanDto> {
    const plan = await this.repo.find(tx, id);
    if (!plan) throw notFound('plan', id, field);
    return plan;
  }

  /**
   * The version a new subscription or trial of `planId` gets (the current one unless
   * `versionId` names another version of the plan): the plan and its product must be active.
   */
  async sellableIn(tx: Tx, planId: string, versionId?: string): Promise<VersionContext> {
    const plan = await this.requireIn(tx, planId);
    const ctx = await this.repo.versionContext(tx, versionId ?? plan.current.id);
    if (!ctx || ctx.version.planId !== plan.id) throw fieldError('planVersionId', 'exists', `is not a version of plan ${plan.id}`);
    if (ctx.planStatus !== 'active') throw invalidState('planId', `Plan ${plan.id} is ${ctx.planStatus}: it is not for sale`);
    if (ctx.productStatus !== 'active') throw invalidState('planId', `The product of plan ${plan.id} is ${ctx.productStatus}: it is not for sale`);
    return ctx;
  }

  /** Any version with its plan and product (404 naming `field`). */
  async versionIn(tx: Tx, versionId: string, field = 'planVersionId'): Promise<VersionContext> {
    const ctx = await this.repo.versionContext(tx, versionId);
    if (!ctx) throw notFound('plan version', versionId, field);
    return ctx;
  }

  /** Active plans of active products, keyset by plan id (offers). */
  sellablePageIn(tx: Tx, q: { limit: number; after: string | null; productId?: string; kind?: string }): Promise<PlanDto[]> {
    return this.repo.sellable(tx, q);
  }
}
