import { Injectable } from '@nestjs/common';
import type { TicketSnapshot } from '@steward/contracts';
import type { Tx } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { InvitationsService } from '../surveys/invitations.service';
import { LoopsService } from './loops.service';
import { followedResponse } from './support-bridge';

/** What support's ticket events mean for feedback: CSAT after a resolved ticket, and follow-ups that end with their case. */
@Injectable()
export class SupportBridgeService {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly loops: LoopsService,
  ) {}

  /**
   * A resolved ticket: its contact is invited to the tenant's ticket-triggered CSAT survey
   * (once per ticket; the frequency rule applies; not for follow-up cases feedback opened
   * itself or imported history); the follow-up it belongs to, if any, is resolved.
   */
  async ticketResolved(tx: Tx, ctx: RequestContext, ticket: TicketSnapshot): Promise<void> {
    if (!ticket.followUp && !ticket.imported) await this.invitations.inviteForTicketIn(tx, { ticketId: ticket.id, contactId: ticket.contactId, accountId: ticket.accountId });
    await this.loops.caseMovedIn(tx, ctx, { ticketId: ticket.id, responseId: followedResponse(ticket) }, 'resolved');
  }

  /** A closed ticket closes its follow-up. */
  ticketClosed(tx: Tx, ctx: RequestContext, ticket: TicketSnapshot): Promise<void> {
    return this.loops.caseMovedIn(tx, ctx, { ticketId: ticket.id, responseId: followedResponse(ticket) }, 'closed');
  }
}
