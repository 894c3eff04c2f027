import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AccountDto, ImportJobDto, ListAccountsRequest, neutraliseCsvCell, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';

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
  'currency',
  'createdAt',
  'updatedAt',
  'deletedAt',
] as const;

interface ParsedRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/** Rows per upload message, and a byte budget so a chunk of long cells still fits NATS's payload limit. */
const CHUNK_ROWS = 500;
const CHUNK_BYTES = 256 * 1024;
/** What the contract accepts per column name and cell (ImportRow). */
const MAX_COLUMN = 100;
const MAX_CELL = 5000;

const fileError = (rule: string, message: string) => StewardError.validation([{ field: '(body)', rule, message }]);

/** Parses the file; anything the import could not store is a 400 naming the line and column. */
function parseCsv(csv: string): ParsedRecord[] {
  const nul = csv.indexOf('\u0000');
  if (nul >= 0) throw fileError('no-nul', `line ${csv.slice(0, nul).split('\n').length} contains a NUL character: a CSV file is text`);
  let records: ParsedRecord[];
  try {
    records = parse(csv, { columns: true, bom: true, skip_empty_lines: true, info: true, relax_quotes: false }) as ParsedRecord[];
  } catch (err) {
    throw fileError('csv', `is not valid CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw fileError('min', 'has a header but no rows');
  if (records.length > 1_000_000) throw fileError('max', `has ${records.length} rows; at most 1,000,000 per import`);
  for (const { record, info } of records) {
    for (const [column, cell] of Object.entries(record)) {
      if (column.length > MAX_COLUMN) throw fileError('max', `column name "${column.slice(0, 40)}…" is longer than ${MAX_COLUMN} characters`);
      if (cell.length > MAX_CELL) throw fileError('max', `line ${info.lines}, column ${column}: the cell is longer than ${MAX_CELL} characters`);
    }
  }
  return records;
}

/** Splits the records into upload chunks by count and size. */
function chunks(records: ParsedRecord[]): Array<{ firstRow: number; slice: ParsedRecord[] }> {
  const out: Array<{ firstRow: number; slice: ParsedRecord[] }> = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const size = Object.entries(records[i]!.record).reduce((n, [k, v]) => n + k.length + v.length + 8, 16);
    if (i > start && (i - start >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) {
      out.push({ firstRow: start, slice: records.slice(start, i) });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  out.push({ firstRow: start, slice: records.slice(start) });
  return out;
}

export interface ImportOutcome {
  job: ImportJobDto;
  /** False when the job was still running when the wait ended: answer 202 and let the client poll. */
  finished: boolean;
}

/**
 * Parses a CSV upload, stores its rows with accounts in chunks and submits the import, which
 * accounts then runs as a durable job (progress on `GET /v1/account-imports/{id}`). Waits
 * up to `waitMs` for the job to finish.
 */
export async function importAccountsCsv(rpc: RpcClient, csv: string, filename: string | undefined, waitMs: number): Promise<ImportOutcome> {
  const records = parseCsv(csv);
  let job = await rpc.request(Subjects.accounts.importStart, { filename, totalRows: records.length });
  try {
    for (const { firstRow, slice } of chunks(records)) {
      // info.lines is the last physical line of the record, so quoted multi-line cells keep true line numbers.
      await rpc.request(Subjects.accounts.importRows, { jobId: job.id, firstRow, lines: slice.map((r) => r.info.lines), rows: slice.map((r) => r.record) }, { timeoutMs: 30_000 });
    }
    job = await rpc.request(Subjects.accounts.importSubmit, { jobId: job.id });
  } catch (err) {
    await rpc.request(Subjects.accounts.importSubmit, { jobId: job.id, abort: `the upload failed: ${(err as Error).message}`.slice(0, 1000) }).catch(() => undefined);
    throw err;
  }
  const deadline = Date.now() + waitMs;
  for (let pause = 25; job.status === 'running' && Date.now() < deadline; pause = Math.min(500, pause * 1.5)) {
    await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(0, deadline - Date.now()))));
    job = await rpc.request(Subjects.accounts.importGet, { id: job.id });
  }
  return { job, finished: job.status !== 'running' };
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
