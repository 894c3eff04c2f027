import { z } from 'zod';
import { PageRequest, Uuid } from '../common';
import { QueueName, SkillName } from './tickets';

// ---- queues, teams and members ----

/** What a team is (DOMAIN.md §2). WARNING: wire values. */
export const TEAM_KINDS = ['delivery-centre', 'branch-technical', 'call-centre', 'technical-experts', 'product-line', 'field-service', 'other'] as const;
/** How a team's queue hands tickets to members: by turns, to the least loaded, or not at all. */
export const ASSIGNMENT_STRATEGIES = ['round-robin', 'least-loaded', 'manual'] as const;

export const TeamMemberDto = z.object({
  userId: Uuid,
  /** From the users read model (accounts' user events); null until it arrives. */
  name: z.string().nullable(),
  skills: z.array(z.string()),
  /** Open tickets the member may hold; the queue skips members at capacity. */
  capacity: z.number().int(),
  active: z.boolean(),
  openTickets: z.number().int(),
});
export type TeamMemberDto = z.infer<typeof TeamMemberDto>;
export const TeamDto = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(TEAM_KINDS),
  /** The queue the team serves, as routing names it (`branch-technical/north`); one team per queue. */
  queue: z.string(),
  region: z.string().nullable(),
  /** A calendar of the support policy; tickets first routed to this team count their SLA in it. */
  calendar: z.string().nullable(),
  assignment: z.enum(ASSIGNMENT_STRATEGIES),
  members: z.array(TeamMemberDto),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TeamDto = z.infer<typeof TeamDto>;

const Text = (max: number) => z.string().trim().min(1).max(max);
export const CreateTeamRequest = z.strictObject({
  name: Text(200),
  kind: z.enum(TEAM_KINDS),
  queue: QueueName,
  region: Text(100).optional(),
  calendar: Text(100).optional(),
  assignment: z.enum(ASSIGNMENT_STRATEGIES).default('least-loaded'),
});
export type CreateTeamRequest = z.infer<typeof CreateTeamRequest>;
export const UpdateTeamRequest = z.strictObject({
  id: Uuid,
  name: Text(200).optional(),
  region: Text(100).nullable().optional(),
  calendar: Text(100).nullable().optional(),
  assignment: z.enum(ASSIGNMENT_STRATEGIES).optional(),
});
export type UpdateTeamRequest = z.infer<typeof UpdateTeamRequest>;
export const TeamIdRequest = z.strictObject({ id: Uuid });
export const ListTeamsRequest = PageRequest.extend({ queue: QueueName.optional() });
export type ListTeamsRequest = z.infer<typeof ListTeamsRequest>;
export const SetTeamMemberRequest = z.strictObject({
  teamId: Uuid,
  userId: Uuid,
  skills: z.array(SkillName).max(30).default([]),
  capacity: z.number().int().min(1).max(1000).default(20),
  active: z.boolean().default(true),
});
export type SetTeamMemberRequest = z.infer<typeof SetTeamMemberRequest>;
export const RemoveTeamMemberRequest = z.strictObject({ teamId: Uuid, userId: Uuid });
export type RemoveTeamMemberRequest = z.infer<typeof RemoveTeamMemberRequest>;

// ---- read models (facts from other services, fed by their events) ----

export const ReadModelStatusDto = z.object({
  accounts: z.number().int(),
  projects: z.number().int(),
  users: z.number().int(),
  partners: z.number().int(),
  entitlements: z.number().int(),
  /** When the newest fact was applied. */
  lastAppliedAt: z.iso.datetime().nullable(),
  /** The latest rebuild of this tenant's read models, if any. */
  rebuild: z
    .object({ jobId: Uuid, status: z.enum(['queued', 'running', 'completed', 'failed']), applied: z.number().int(), lastError: z.string().nullable() })
    .nullable(),
});
export type ReadModelStatusDto = z.infer<typeof ReadModelStatusDto>;
export const RebuildReadModelsRequest = z.strictObject({});
export const RebuildReadModelsResponse = z.object({ jobId: Uuid });
export const ReadModelStatusRequest = z.strictObject({});
