import type { TicketSnapshot } from '@steward/contracts';
import { FEEDBACK_ORIGIN } from './support-cases.port';

/** The response a ticket follows up, when feedback opened it (its origin). */
export function followedResponse(ticket: Pick<TicketSnapshot, 'origin'>): string | null {
  return ticket.origin?.kind === FEEDBACK_ORIGIN ? ticket.origin.ref : null;
}
