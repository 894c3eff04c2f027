// A partner's nightly sync, as a partner's engineers would write it with the typed client:
// read every account the partner leads, page by page, and create the ones missing on
// Steward's side. Run: npx tsx partner-sync.ts http://localhost:3000 stw_...
// eslint-disable-next-line @nx/enforce-module-boundaries -- an example imports the package by its name, as a partner's code does
import { createStewardClient, pages, StewardApiError, unwrap } from '@steward/api-client';

export async function syncAccounts(baseUrl: string, apiKey: string, crm: Array<{ externalId: string; name: string }>): Promise<{ created: number; existing: number }> {
  const api = createStewardClient({ baseUrl, apiKey });

  const known = new Set<string>();
  for await (const account of pages((cursor) => api.GET('/v1/accounts', { params: { query: { limit: 200, cursor } } }))) {
    if (account.externalId) known.add(account.externalId);
  }

  let created = 0;
  for (const row of crm) {
    if (known.has(row.externalId)) continue;
    try {
      // The client gives each write an Idempotency-Key and retries 429/503/504 with it: never a double.
      await unwrap(api.POST('/v1/accounts', { body: { externalId: row.externalId, name: row.name, leadChannel: 'partner' } }));
      created++;
    } catch (err) {
      // Problems are typed: branch on the stable code, show the fields at fault.
      if (err instanceof StewardApiError && err.problem?.code === 'EXTERNAL_ID_TAKEN') continue;
      if (err instanceof StewardApiError) console.error(err.problem?.errors?.map((e) => `${e.field}: ${e.message}`).join('; '));
      throw err;
    }
  }
  return { created, existing: known.size };
}

if (require.main === module) {
  const [baseUrl = 'http://localhost:3000', apiKey = ''] = process.argv.slice(2);
  void syncAccounts(baseUrl, apiKey, [{ externalId: 'CRM-1', name: 'Acme Steel' }]).then((r) => console.log(r));
}
