/** A subscription as stored, and its mapping to the contract's DTO (shared by the features that read subscriptions). */
import type { SubscriptionDto, SubscriptionHistoryEntryDto } from '@steward/contracts';
import type { z } from 'zod';

export type SubscriptionHistoryEntry = z.infer<typeof SubscriptionHistoryEntryDto>;
type Instants = 'startedAt' | 'currentTermStart' | 'currentTermEnd' | 'renewedUntil' | 'cancelAt' | 'endedAt' | 'createdAt' | 'updatedAt';
/** A subscription row: the DTO with Dates, plus its term unit (null for one-off purchases). */
export type SubscriptionRow = Omit<SubscriptionDto, Instants> & {
  termUnit: 'month' | 'year' | null;
  startedAt: Date;
  currentTermStart: Date;
  currentTermEnd: Date | null;
  renewedUntil: Date | null;
  cancelAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
export const toSubscriptionDto = (r: SubscriptionRow): SubscriptionDto => {
  const { termUnit: _unit, ...rest } = r;
  return {
    ...rest,
    startedAt: r.startedAt.toISOString(),
    currentTermStart: r.currentTermStart.toISOString(),
    currentTermEnd: isoOrNull(r.currentTermEnd),
    renewedUntil: isoOrNull(r.renewedUntil),
    cancelAt: isoOrNull(r.cancelAt),
    endedAt: isoOrNull(r.endedAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
};

