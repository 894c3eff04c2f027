// Reading the key accounts and one thing per account from the API (no React: unit-tested with a fake client).
import { StewardApiError, unwrap, type Schemas, type StewardClient } from '@steward/api-client';
import { createLimiter, mapLimit } from './overview';

/** The key accounts the overview looks into: Tier 1, then Tier 2, highest revenue first. */
export const KEY_ACCOUNTS_MAX = 50;
/** Requests in flight at once when reading one thing per account (all the overview's cards together). */
export const CONCURRENCY = 6;
const gate = createLimiter(CONCURRENCY);

export type KeyAccount = Pick<Schemas['Account'], 'id' | 'name' | 'tier' | 'revenue12m'>;

export async function fetchKeyAccounts(api: StewardClient, signal?: AbortSignal): Promise<KeyAccount[]> {
  const accounts: KeyAccount[] = [];
  for (const tier of ['1', '2'] as const) {
    const limit = KEY_ACCOUNTS_MAX - accounts.length;
    if (limit <= 0) break;
    const page = await unwrap(api.GET('/v1/accounts', { params: { query: { tier, limit, sort: '-revenue12m' } }, signal }));
    accounts.push(...page.items.map((a) => ({ id: a.id, name: a.name, tier: a.tier, revenue12m: a.revenue12m })));
  }
  return accounts;
}

/** One read per account, at most CONCURRENCY at once across every caller (the gaps and the projects cards share the gate); an account that cannot be read (gone, not visible) is counted, not fatal — unless every one fails. */
export async function perAccount<T>(accounts: readonly KeyAccount[], read: (account: KeyAccount) => Promise<T>): Promise<{ results: Array<{ account: KeyAccount; value: T }>; failed: number }> {
  let lastError: unknown;
  const all = await mapLimit<KeyAccount, { account: KeyAccount; value: T } | undefined>(accounts, gate, async (account) => {
    try {
      return { account, value: await read(account) };
    } catch (err) {
      // Server trouble (5xx, network) is worth an error state; a missing or hidden account is not.
      if (!(err instanceof StewardApiError && (err.status === 404 || err.status === 403))) lastError = err;
      return undefined;
    }
  });
  const results = all.filter((r): r is { account: KeyAccount; value: T } => r !== undefined);
  if (accounts.length > 0 && results.length === 0 && lastError) throw lastError;
  return { results, failed: accounts.length - results.length };
}

