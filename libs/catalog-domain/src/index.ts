// Public API of @steward/catalog-domain: the catalog's pricing rules (DOMAIN.md §3), pure
// functions over plain data. Errors: `DomainError` (@steward/domain-kernel) with a
// `CatalogDomainErrorCode`. Outcome settlement goes through @steward/value-domain.
export { CatalogDomainErrorCode } from './errors';
export * from './money';
export * from './periods';
export * from './proration';
export * from './usage';
export * from './bundle';
export * from './outcome';
export * from './pricing';
export * from './entitlements';
export * from './terms';
export * from './funnel';
