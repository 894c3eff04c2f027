import { Inject, Injectable } from '@nestjs/common';
import { Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { RPC_CLIENT } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';

/** A follow-up case to open in support: a complaint ticket owned by the account's CSM. */
export interface SupportCaseRequest {
  responseId: string;
  accountId: string;
  contactId: string | null;
  subject: string;
  description: string;
}

/**
 * The closed loop's port into support. The adapter below calls support's ticket command
 * over NATS (signed, as every service call); the loop job retries while support does not
 * answer. A deployment (or a test) can bind another adapter to {@link SUPPORT_CASES}.
 */
export interface SupportCasePort {
  openCase(ctx: RequestContext, c: SupportCaseRequest): Promise<{ ticketId: string }>;
}

export const SUPPORT_CASES = Symbol('SupportCases');

/** The origin kind of the tickets feedback opens (support's natural key: a retry returns the first ticket). */
export const FEEDBACK_ORIGIN = 'feedback';

/**
 * `support.ticket.create.v1`, category complaint, a follow-up (support assigns it to the
 * account's CSM), its origin the response id: support answers a repeated create with the
 * first ticket, so a retried job opens one case.
 */
@Injectable()
export class SupportServiceCases implements SupportCasePort {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: RpcClient) {}

  async openCase(ctx: RequestContext, c: SupportCaseRequest): Promise<{ ticketId: string }> {
    const ticket = await this.rpc.request(
      Subjects.support.ticketCreate,
      {
        accountId: c.accountId,
        ...(c.contactId ? { contact: { id: c.contactId } } : {}),
        category: 'complaint',
        priority: 'high',
        subject: c.subject,
        description: c.description,
        origin: { kind: FEEDBACK_ORIGIN, ref: c.responseId },
        followUp: true,
      },
      { context: ctx },
    );
    return { ticketId: ticket.id };
  }
}
