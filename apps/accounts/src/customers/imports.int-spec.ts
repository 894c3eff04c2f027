import { Client } from 'pg';
import { StewardError, Subjects } from '@steward/contracts';
import { expectEventually } from '@steward/testing';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

const s = Subjects.accounts;
let h: AccountsHarness;

beforeAll(async () => {
  h = await startAccountsHarness('acimports', { importUploadTimeoutMs: 1000, importChunkRows: 2 });
});
afterAll(async () => {
  await h?.close();
});

const rowsOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ externalId: `IMP-${from + i}`, name: `Imported ${from + i}` }));
const linesOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i + 2);

async function failure(p: Promise<unknown>): Promise<StewardError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StewardError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('CSV import as a durable job', () => {
  it('stores rows, runs once submitted, and counts a chunk sent twice once', async () => {
    const t = await h.tenant();
    const opts = { context: t.admin };
    const job = await h.client.request(s.importStart, { filename: 'a.csv', totalRows: 5 }, opts);
    expect(job).toMatchObject({ status: 'running', processedRows: 0, attempts: 0, failureReason: null });
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: linesOf(3), rows: rowsOf(3) }, opts);
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: linesOf(3), rows: rowsOf(3) }, opts); // a retried chunk
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 3, lines: linesOf(2, 3), rows: rowsOf(2, 3) }, opts);
    await h.client.request(s.importSubmit, { jobId: job.id }, opts);
    const done = await expectEventually(async () => {
      const j = await h.client.request(s.importGet, { id: job.id }, opts);
      expect(j.status).toBe('completed');
      return j;
    });
    expect(done).toMatchObject({ totalRows: 5, processedRows: 5, created: 5, failed: 0, attempts: 1 });
    // Submitting again changes nothing; adding rows to a submitted import is refused.
    expect(await h.client.request(s.importSubmit, { jobId: job.id }, opts)).toMatchObject({ status: 'completed', created: 5 });
    expect((await failure(h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: [2], rows: rowsOf(1) }, opts))).code).toBe('IMPORT_CLOSED');
  });

  it('refuses rows beyond the announced count and a submit before every row arrived, naming the field', async () => {
    const t = await h.tenant();
    const opts = { context: t.admin };
    const job = await h.client.request(s.importStart, { totalRows: 2 }, opts);
    const beyond = await failure(h.client.request(s.importRows, { jobId: job.id, firstRow: 1, lines: linesOf(2, 1), rows: rowsOf(2, 1) }, opts));
    expect(beyond.details?.errors?.[0]).toMatchObject({ field: 'rows', rule: 'max' });
    const mismatch = await failure(h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: [2], rows: rowsOf(2) }, opts));
    expect(mismatch.details?.errors?.[0]).toMatchObject({ field: 'lines', rule: 'custom' });
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: [2], rows: rowsOf(1) }, opts);
    const early = await failure(h.client.request(s.importSubmit, { jobId: job.id }, opts));
    expect(early.details?.errors?.[0]).toMatchObject({ field: 'rows', rule: 'complete' });
  });

  it('an upload that never completes ends failed with the reason once its deadline passes, leaving nothing staged', async () => {
    const t = await h.tenant();
    const opts = { context: t.admin };
    const job = await h.client.request(s.importStart, { totalRows: 3 }, opts);
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: linesOf(2), rows: rowsOf(2) }, opts);
    const failed = await expectEventually(async () => {
      const j = await h.client.request(s.importGet, { id: job.id }, opts);
      expect(j.status).toBe('failed');
      return j;
    });
    expect(failed.failureReason).toBe('the upload did not complete in time (2 of 3 rows received)');
    expect(failed.errors).toEqual([{ line: 0, field: '(file)', rule: 'aborted', message: failed.failureReason }]);
    expect(failed).toMatchObject({ processedRows: 0, created: 0, attempts: 1 });
    expect(failed.finishedAt).not.toBeNull();
    // As the owner (no row-level security): nothing of the import is left staged.
    const owner = new Client({ connectionString: h.db.url });
    await owner.connect();
    try {
      expect((await owner.query(`SELECT count(*)::int AS n FROM accounts.import_rows WHERE import_id = $1`, [job.id])).rows).toEqual([{ n: 0 }]);
      expect((await owner.query(`SELECT status, last_error FROM accounts.jobs WHERE id = $1`, [job.id])).rows).toEqual([{ status: 'failed', last_error: failed.failureReason }]);
    } finally {
      await owner.end();
    }
  });

  it('an aborted upload ends failed at once with its reason and its job never runs', async () => {
    const t = await h.tenant();
    const opts = { context: t.admin };
    const job = await h.client.request(s.importStart, { totalRows: 2 }, opts);
    await h.client.request(s.importRows, { jobId: job.id, firstRow: 0, lines: [2], rows: rowsOf(1) }, opts);
    const aborted = await h.client.request(s.importSubmit, { jobId: job.id, abort: 'the upload failed: connection reset' }, opts);
    expect(aborted).toMatchObject({ status: 'failed', failureReason: 'the upload failed: connection reset', attempts: 0, created: 0 });
  });
});
