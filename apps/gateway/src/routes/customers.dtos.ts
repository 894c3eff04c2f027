import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import {
  ACCOUNT_SORTS,
  Cursor,
  CreateAccountRequest,
  CreateContactRequest,
  CreateProjectRequest,
  LEAD_CHANNELS,
  LIFECYCLE_STAGES,
  Month,
  RevenueRecordInput,
  SetTierOverrideRequest,
  UpdateAccountRequest,
  UpdateContactRequest,
  UpdateProjectRequest,
} from '@steward/contracts';

const bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export class ListAccountsQuery extends createZodDto(
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: Cursor.optional(),
    namePrefix: z.string().trim().min(1).max(200).optional(),
    industry: z.string().max(100).optional(),
    region: z.string().max(100).optional(),
    tier: z
      .enum(['1', '2', '3'])
      .transform((t) => Number(t) as 1 | 2 | 3)
      .optional(),
    ownerId: z.uuid().optional(),
    csmId: z.uuid().optional(),
    lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
    leadChannel: z.enum(LEAD_CHANNELS).optional(),
    leadPartnerId: z.uuid().optional(),
    strategic: bool,
    highPotential: bool,
    includeDeleted: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    sort: z.enum(ACCOUNT_SORTS).default('name'),
  }),
) {}
/** The export takes the list filters, without paging. */
export class ExportAccountsQuery extends createZodDto(ListAccountsQuery.schema.omit({ limit: true, cursor: true })) {}
export class CreateAccountBody extends createZodDto(CreateAccountRequest) {}
export class UpdateAccountBody extends createZodDto(UpdateAccountRequest.omit({ id: true })) {}
export class CreateContactBody extends createZodDto(CreateContactRequest.omit({ accountId: true })) {}
export class UpdateContactBody extends createZodDto(UpdateContactRequest.omit({ id: true })) {}
export class CreateProjectBody extends createZodDto(CreateProjectRequest.omit({ accountId: true })) {}
export class UpdateProjectBody extends createZodDto(UpdateProjectRequest.omit({ id: true })) {}
/** Rows are checked one by one by the service (per-row errors); the envelope is checked here. */
export class RevenueBatchBody extends createZodDto(
  z.strictObject({ records: z.array(z.unknown()).min(1).max(10_000).describe(`Each item: ${Object.keys(RevenueRecordInput.shape).join(', ')}`) }),
) {}
export class RevenueQuery extends createZodDto(z.strictObject({ from: Month.optional(), to: Month.optional() })) {}
export class TierMovementQuery extends createZodDto(
  z.strictObject({
    since: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) <= Date.now(), { message: 'must not be in the future', params: { rule: 'past' } })
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}
export class TierOverrideBody extends createZodDto(SetTierOverrideRequest.omit({ accountId: true })) {}
