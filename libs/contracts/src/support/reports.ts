import { z } from 'zod';
import { SUPPORT_LEVELS, TICKET_PRIORITIES } from '@steward/domain-kernel';
import { Uuid } from '../common';

// ---- reports: served from rollups that ticket changes feed, never by scanning tickets ----

export const REPORT_DIMENSIONS = ['level', 'step', 'queue', 'team', 'priority', 'period'] as const;
export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
const IsoDate = z.iso.date();

export const ReportRequest = z
  .strictObject({
    /** First day (UTC) of tickets created, inclusive. */
    from: IsoDate,
    /** Last day (UTC), inclusive. */
    to: IsoDate,
    groupBy: z.array(z.enum(REPORT_DIMENSIONS)).max(REPORT_DIMENSIONS.length).default([]),
    period: z.enum(REPORT_PERIODS).default('month'),
    level: z.enum(SUPPORT_LEVELS).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
  })
  .refine((r) => r.from <= r.to, { path: ['to'], message: 'must not be before from' })
  .refine((r) => new Set(r.groupBy).size === r.groupBy.length, { path: ['groupBy'], message: 'lists a dimension twice' });
export type ReportRequest = z.infer<typeof ReportRequest>;

const Group = z.object({
  level: z.string().optional(),
  step: z.number().int().optional(),
  queue: z.string().optional(),
  team: Uuid.nullable().optional(),
  priority: z.string().optional(),
  /** `2026-03` (month), `2026-W11` (ISO week) or `2026-03-14` (day). */
  period: z.string().optional(),
});
/** met / (met + breached); clocks still running count in neither. Null when nothing was decided. */
const Compliance = z.object({ met: z.number().int(), breached: z.number().int(), compliance: z.number().nullable() });

export const ComplianceRowDto = z.object({
  group: Group,
  tickets: z.number().int(),
  firstResponse: Compliance,
  resolution: Compliance,
  resolved: z.number().int(),
  /** Resolved with at most one agent answer, never escalated or reopened. */
  firstContactResolved: z.number().int(),
  /** firstContactResolved / resolved. */
  firstContactResolution: z.number().nullable(),
  complaints: z.number().int(),
  /** complaints / tickets. */
  complaintRate: z.number().nullable(),
  escalated: z.number().int(),
  reopened: z.number().int(),
});
export const ComplianceReportDto = z.object({ from: IsoDate, to: IsoDate, rows: z.array(ComplianceRowDto), totals: ComplianceRowDto, tookMs: z.number() });
export type ComplianceReportDto = z.infer<typeof ComplianceReportDto>;

export const HandoffRowDto = z.object({
  group: Group,
  /** Tickets that entered a step of this group. */
  steps: z.number().int(),
  handedOff: z.number().int(),
  resolvedInStep: z.number().int(),
  handoff: Compliance,
  /** Average wall-clock minutes a step held a ticket before it left (escalated or resolved). */
  averageMinutes: z.number().nullable(),
});
export const HandoffReportDto = z.object({ from: IsoDate, to: IsoDate, rows: z.array(HandoffRowDto), tookMs: z.number() });
export type HandoffReportDto = z.infer<typeof HandoffReportDto>;

export const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '7-30d', '>30d'] as const;
export const BACKLOG_DIMENSIONS = ['level', 'queue', 'team', 'priority'] as const;
export const BacklogRequest = z.strictObject({
  groupBy: z.array(z.enum(BACKLOG_DIMENSIONS)).max(4).default(['queue']),
});
export type BacklogRequest = z.infer<typeof BacklogRequest>;
export const BacklogRowDto = z.object({ group: Group, open: z.number().int(), breached: z.number().int(), ageing: z.record(z.enum(AGE_BUCKETS), z.number().int()) });
export const BacklogReportDto = z.object({ asOf: z.iso.datetime(), rows: z.array(BacklogRowDto), total: z.number().int(), tookMs: z.number() });
export type BacklogReportDto = z.infer<typeof BacklogReportDto>;
