import type { PlanVersionDto } from '@steward/contracts';

/** A plan version with what selling it depends on. */
export interface VersionContext {
  version: PlanVersionDto;
  productId: string;
  productStatus: string;
  planStatus: string;
  planCode: string;
  currentVersionId: string;
}
