import { ACCOUNT_LEAD_CHANNELS, PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, TIERS } from './vocabulary';

// The values are stored and on the wire: a change here must be deliberate.
describe('shared vocabularies', () => {
  it.each<[string, readonly unknown[], unknown[]]>([
    ['account tiers', TIERS, [1, 2, 3]],
    ["an account's lead channel", ACCOUNT_LEAD_CHANNELS, ['direct', 'partner', 'dealer']],
    ['who led a project', PROJECT_LEADS, ['vendor', 'partner', 'dealer', 'direct']],
    ['project kinds', PROJECT_KINDS, ['project', 'purchase']],
    ['project sizes', PROJECT_SIZES, ['large', 'mid', 'small']],
  ])('%s', (_name, list, values) => {
    expect(list).toEqual(values);
  });
});
