import { ACCOUNT_LEAD_CHANNELS, PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, RMA_KINDS, SUPPORT_LEVELS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUS_CLASSES, TIERS, VOUCHER_KINDS } from './vocabulary';

// The values are stored and on the wire: a change here must be deliberate.
describe('shared vocabularies', () => {
  it.each<[string, readonly unknown[], unknown[]]>([
    ['account tiers', TIERS, [1, 2, 3]],
    ["an account's lead channel", ACCOUNT_LEAD_CHANNELS, ['direct', 'partner', 'dealer']],
    ['who led a project', PROJECT_LEADS, ['vendor', 'partner', 'dealer', 'direct']],
    ['project kinds', PROJECT_KINDS, ['project', 'purchase']],
    ['project sizes', PROJECT_SIZES, ['large', 'mid', 'small']],
    ['support levels', SUPPORT_LEVELS, ['L1', 'L2', 'L3']],
    ['ticket categories', TICKET_CATEGORIES, ['question', 'incident', 'install', 'repair', 'return', 'complaint']],
    ['ticket priorities', TICKET_PRIORITIES, ['urgent', 'high', 'normal', 'low']],
    ['ticket status classes', TICKET_STATUS_CLASSES, ['new', 'triaged', 'in-progress', 'waiting', 'resolved', 'closed']],
    ['after-sales order kinds', RMA_KINDS, ['installation', 'repair', 'return']],
    ['voucher kinds', VOUCHER_KINDS, ['credit', 'free-service']],
  ])('%s', (_name, list, values) => {
    expect(list).toEqual(values);
  });
});
