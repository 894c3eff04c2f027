import { operationIdOf } from './document';

describe('operationIdOf: a readable operationId from the RPC a route answers', () => {
  it.each([
    ['accounts.account.list.v1', 'get', 'listAccounts'],
    ['accounts.tier-override.set.v1', 'put', 'setTierOverride'],
    ['support.ticket.import.v1', 'post', 'importTickets'],
    ['support.ticket.change-status.v1', 'post', 'changeTicketStatus'],
    ['support.team.member-set.v1', 'put', 'setTeamMember'],
    ['support.rma.visit-add.v1', 'post', 'addRmaVisit'],
    ['support.ticket.timeline.v1', 'get', 'getTicketTimeline'],
    ['support.report.backlog.v1', 'get', 'getBacklogReport'],
    ['support.rma.parts.v1', 'put', 'setRmaParts'],
    ['catalog.trial.funnel.v1', 'get', 'getTrialFunnel'],
    ['support.read-model.status.v1', 'get', 'getReadModelStatus'],
  ])('%s (%s) → %s', (subject, method, id) => {
    expect(operationIdOf(subject, method)).toBe(id);
  });
});
