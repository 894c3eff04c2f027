import { z } from 'zod';
import { RMA_KINDS, VOUCHER_KINDS } from '@steward/domain-kernel';
import { PageRequest, Uuid } from '../common';
import { InputInstant } from './tickets';

export { RMA_KINDS, VOUCHER_KINDS };
const Instant = z.iso.datetime();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
/** Money in integer minor units (cents). */
const Minor = z.number().int('must be an integer amount in minor units').min(0).max(1e13);

// ---- after-sales orders (RMA): installation, repair, return ----

/**
 * requested → approved → scheduled → in-progress → completed; waiting-for-parts from
 * approved, scheduled or in-progress (and back); rejected from requested; cancelled from any
 * open state. WARNING: wire values.
 */
export const RMA_STATUSES = ['requested', 'approved', 'rejected', 'scheduled', 'in-progress', 'waiting-for-parts', 'completed', 'cancelled'] as const;
export const VISIT_STATUSES = ['scheduled', 'completed', 'missed', 'cancelled'] as const;

export const RmaPart = z.strictObject({
  sku: Text(100),
  name: Text(200),
  quantity: z.number().int().min(1).max(100_000),
  serialNumber: Text(100).optional(),
});
export const RmaVisitDto = z.object({
  id: Uuid,
  scheduledFor: Instant,
  technicianId: Uuid.nullable(),
  status: z.enum(VISIT_STATUSES),
  notes: z.string().nullable(),
  completedAt: Instant.nullable(),
});
export const RmaOrderDto = z.object({
  id: Uuid,
  ticketId: Uuid,
  accountId: Uuid,
  kind: z.enum(RMA_KINDS),
  status: z.enum(RMA_STATUSES),
  notes: z.string().nullable(),
  parts: z.array(RmaPart),
  visits: z.array(RmaVisitDto),
  /** Business minutes to complete (the policy's after-sales target of this kind), on the ticket's calendar. */
  targetMinutes: z.number(),
  dueAt: Instant,
  /** Not completed by `dueAt` (or completed after it). */
  breached: z.boolean(),
  history: z.array(z.object({ at: Instant, from: z.enum(RMA_STATUSES).nullable(), to: z.enum(RMA_STATUSES), by: z.string(), reason: z.string().nullable() })),
  createdAt: Instant,
  updatedAt: Instant,
  completedAt: Instant.nullable(),
  version: z.number().int(),
});
export type RmaOrderDto = z.infer<typeof RmaOrderDto>;
export const CreateRmaRequest = z.strictObject({
  ticketId: Uuid,
  kind: z.enum(RMA_KINDS),
  parts: z.array(RmaPart).max(100).default([]),
  notes: Text(2000).optional(),
});
export type CreateRmaRequest = z.infer<typeof CreateRmaRequest>;
export const RmaIdRequest = z.strictObject({ id: Uuid });
export const TransitionRmaRequest = z.strictObject({ id: Uuid, to: z.enum(RMA_STATUSES), reason: Text(500).optional() });
export type TransitionRmaRequest = z.infer<typeof TransitionRmaRequest>;
export const UpdateRmaPartsRequest = z.strictObject({ id: Uuid, parts: z.array(RmaPart).max(100) });
export type UpdateRmaPartsRequest = z.infer<typeof UpdateRmaPartsRequest>;
export const AddVisitRequest = z.strictObject({ rmaId: Uuid, scheduledFor: InputInstant, technicianId: Uuid.optional(), notes: Text(2000).optional() });
export type AddVisitRequest = z.infer<typeof AddVisitRequest>;
export const UpdateVisitRequest = z.strictObject({ rmaId: Uuid, visitId: Uuid, status: z.enum(['completed', 'missed', 'cancelled']), notes: Text(2000).optional() });
export type UpdateVisitRequest = z.infer<typeof UpdateVisitRequest>;
export const ListRmaRequest = PageRequest.extend({ ticketId: Uuid.optional(), accountId: Uuid.optional(), status: z.enum(RMA_STATUSES).optional() });
export type ListRmaRequest = z.infer<typeof ListRmaRequest>;

// ---- complaints and service recovery ----

export const COMPLAINT_SOURCES = ['category', 'agent', 'import'] as const;
/** How the customer ended after the complaint was handled: the market damage model's outcomes (DOMAIN.md §5). */
export const COMPLAINT_OUTCOMES = ['satisfied', 'mollified', 'dissatisfied'] as const;
export const ComplaintDto = z.object({
  id: Uuid,
  ticketId: Uuid,
  accountId: Uuid,
  source: z.enum(COMPLAINT_SOURCES),
  reason: z.string(),
  status: z.enum(['open', 'resolved']),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  registeredAt: Instant,
  registeredBy: z.string(),
  resolvedAt: Instant.nullable(),
});
export type ComplaintDto = z.infer<typeof ComplaintDto>;
export const RegisterComplaintRequest = z.strictObject({ ticketId: Uuid, reason: Text(2000) });
export type RegisterComplaintRequest = z.infer<typeof RegisterComplaintRequest>;
export const ResolveComplaintRequest = z.strictObject({ id: Uuid, outcome: z.enum(COMPLAINT_OUTCOMES) });
export type ResolveComplaintRequest = z.infer<typeof ResolveComplaintRequest>;
export const ComplaintIdRequest = z.strictObject({ id: Uuid });
export const ListComplaintsRequest = PageRequest.extend({ accountId: Uuid.optional(), status: z.enum(['open', 'resolved']).optional() });
export type ListComplaintsRequest = z.infer<typeof ListComplaintsRequest>;

export const VOUCHER_STATUSES = ['issued', 'redeemed', 'expired'] as const;
export const VoucherDto = z.object({
  id: Uuid,
  accountId: Uuid,
  ticketId: Uuid.nullable(),
  complaintId: Uuid.nullable(),
  kind: z.enum(VOUCHER_KINDS),
  /** Minor units of `currency`. */
  faceValue: z.number().int(),
  currency: z.string(),
  status: z.enum(VOUCHER_STATUSES),
  reason: z.string(),
  /** The recovery rule that issued it; null when issued by hand. */
  ruleId: z.string().nullable(),
  issuedAt: Instant,
  issuedBy: z.string(),
  expiresAt: Instant,
  redeemedAt: Instant.nullable(),
  /** The order it was redeemed against: the spend after the voucher (voucher ROI, DOMAIN.md §5). */
  redemption: z.object({ orderRef: z.string(), orderAmount: z.number().int(), currency: z.string() }).nullable(),
});
export type VoucherDto = z.infer<typeof VoucherDto>;
export const IssueVoucherRequest = z.strictObject({
  accountId: Uuid,
  ticketId: Uuid.optional(),
  complaintId: Uuid.optional(),
  kind: z.enum(VOUCHER_KINDS),
  faceValue: Minor.min(1),
  currency: Currency,
  expiresAt: InputInstant,
  reason: Text(500),
});
export type IssueVoucherRequest = z.infer<typeof IssueVoucherRequest>;
export const RedeemVoucherRequest = z.strictObject({
  id: Uuid,
  /** The order it is redeemed against (an ERP or catalog order). */
  orderRef: Text(100),
  /** What the order is worth, minor units of the voucher's currency. */
  orderAmount: Minor,
  currency: Currency,
});
export type RedeemVoucherRequest = z.infer<typeof RedeemVoucherRequest>;
export const VoucherIdRequest = z.strictObject({ id: Uuid });
export const ListVouchersRequest = PageRequest.extend({ accountId: Uuid.optional(), status: z.enum(VOUCHER_STATUSES).optional() });
export type ListVouchersRequest = z.infer<typeof ListVouchersRequest>;

// ---- events ----

export const RmaChangedEvent = z.object({ order: RmaOrderDto.omit({ history: true, visits: true }), from: z.enum(RMA_STATUSES).nullable(), change: z.string() });
export const ComplaintEvent = z.object({ complaint: ComplaintDto, tier: z.number().int().nullable(), level: z.string() });
export const VoucherEvent = z.object({ voucher: VoucherDto });
