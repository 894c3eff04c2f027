import { attachmentFilename, displayFilename, filenameHeader, isFinished, jobPercent, pollDelayMs, sortedRowErrors } from './import-job';

describe('the import file name header', () => {
  it('keeps ASCII names and encodes the others (fetch refuses non-ASCII header values)', () => {
    expect(filenameHeader('accounts.csv')).toBe('accounts.csv');
    expect(filenameHeader('客户.csv')).toBe('%E5%AE%A2%E6%88%B7.csv');
    expect(displayFilename(filenameHeader('客户.csv'))).toBe('客户.csv');
    expect(filenameHeader('x'.repeat(300))).toHaveLength(200);
    expect(filenameHeader('  ')).toBe('accounts.csv');
  });
  it('shows a stored name as is when it is not encoded', () => {
    expect(displayFilename('100% done.csv')).toBe('100% done.csv');
    expect(displayFilename(null)).toBeUndefined();
  });
});

describe('import progress', () => {
  it('is the share of processed rows, 100 when completed', () => {
    expect(jobPercent({ status: 'running', processedRows: 50, totalRows: 200 })).toBe(25);
    expect(jobPercent({ status: 'running', processedRows: 0, totalRows: 0 })).toBe(0);
    expect(jobPercent({ status: 'completed', processedRows: 0, totalRows: 0 })).toBe(100);
    expect(jobPercent({ status: 'failed', processedRows: 3, totalRows: 4 })).toBe(75);
    expect(isFinished({ status: 'running' })).toBe(false);
    expect(isFinished({ status: 'failed' })).toBe(true);
  });
  it('polls quickly at first, then every 2 s', () => {
    expect([0, 1, 2, 3, 10].map(pollDelayMs)).toEqual([250, 500, 1000, 2000, 2000]);
  });
  it('lists row errors in file order', () => {
    const e = (line: number, field: string) => ({ line, field, rule: 'required', message: 'is required' });
    expect(sortedRowErrors([e(5, 'name'), e(2, 'region'), e(2, 'externalId')]).map((x) => `${x.line}:${x.field}`)).toEqual(['2:externalId', '2:region', '5:name']);
  });
});

describe('the export file name', () => {
  it('comes from Content-Disposition', () => {
    expect(attachmentFilename('attachment; filename="accounts.csv"', 'x.csv')).toBe('accounts.csv');
    expect(attachmentFilename("attachment; filename*=UTF-8''%E5%AE%A2.csv", 'x.csv')).toBe('客.csv');
    expect(attachmentFilename(null, 'x.csv')).toBe('x.csv');
  });
});
