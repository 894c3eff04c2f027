import { DomainError } from '@steward/domain-kernel';

/** Why a sample label is refused (a domain rule, checked here without I/O). */
export enum SampleRule {
  NotDescriptive = 'LABEL_NOT_DESCRIPTIVE',
}

/**
 * A sample's label, tidied: inner white space collapsed. A label without a letter says
 * nothing and is refused with a DomainError, which the RPC server answers as a 400 naming
 * the field and the rule (`label`, `label-not-descriptive`).
 */
export function normaliseLabel(label: string): string {
  const tidy = label.trim().replace(/\s+/g, ' ');
  if (!/\p{L}/u.test(tidy)) throw new DomainError(SampleRule.NotDescriptive, 'label', 'must contain at least one letter');
  return tidy;
}
