import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AccountDto, ImportJobDto, ListAccountsRequest, neutraliseCsvCell, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';

const CHUNK = 500;
export const EXPORT_COLUMNS = [
  'id',
  'externalId',
  'name',
  'industry',
  'region',
  'sizeBand',
  'ownerId',
  'csmId',
  'leadChannel',
  'leadPartnerId',
  'strategic',
  'highPotential',
  'lifecycle',
  'tier',
  'computedTier',
  'tierReason',
  'revenue12m',
  'createdAt',
  'updatedAt',
  'deletedAt',
] as const;

interface ParsedRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/**
 * Parses a CSV upload and feeds it to accounts in chunks; progress is visible on the job
 * (`GET /v1/account-imports/{id}`) while this runs. Returns the finished job.
 */
export async function importAccountsCsv(rpc: RpcClient, csv: string, filename?: string): Promise<ImportJobDto> {
  let records: ParsedRecord[];
  try {
    records = parse(csv, { columns: true, bom: true, skip_empty_lines: true, info: true, relax_quotes: false }) as ParsedRecord[];
  } catch (err) {
    throw StewardError.validation([{ field: '(body)', rule: 'csv', message: `is not valid CSV: ${(err as Error).message}` }]);
  }
  if (records.length === 0) throw StewardError.validation([{ field: '(body)', rule: 'min', message: 'has a header but no rows' }]);
  let job = await rpc.request(Subjects.accounts.importStart, { filename, totalRows: records.length });
  try {
    for (let i = 0; i < records.length; i += CHUNK) {
      const slice = records.slice(i, i + CHUNK);
      // info.lines is the last physical line of the record, so quoted multi-line cells keep true line numbers.
      job = await rpc.request(Subjects.accounts.importChunk, { jobId: job.id, firstLine: slice[0].info.lines, rows: slice.map((r) => r.record) }, { timeoutMs: 30_000 });
    }
    return await rpc.request(Subjects.accounts.importFinish, { jobId: job.id });
  } catch (err) {
    await rpc.request(Subjects.accounts.importFinish, { jobId: job.id, failed: (err as Error).message.slice(0, 1000) }).catch(() => undefined);
    throw err;
  }
}

/** Pages through the filtered list and renders it as CSV (custom attributes as `attr.<name>` columns). */
export async function exportAccountsCsv(rpc: RpcClient, filters: Omit<ListAccountsRequest, 'limit' | 'cursor'>): Promise<string> {
  const accounts: AccountDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await rpc.request(Subjects.accounts.accountList, { ...filters, limit: 200, cursor });
    accounts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const attrs = [...new Set(accounts.flatMap((a) => Object.keys(a.customAttributes)))].sort();
  const columns = [...EXPORT_COLUMNS, ...attrs.map((k) => `attr.${k}`)];
  // Cells a spreadsheet would run as formulas are exported as text (the import undoes it).
  const rows = accounts.map((a) => [...EXPORT_COLUMNS.map((c) => a[c] ?? ''), ...attrs.map((k) => a.customAttributes[k] ?? '')].map((v) => neutraliseCsvCell(String(v))));
  return stringify(rows, { header: true, columns });
}
