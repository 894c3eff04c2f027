// Pure helpers of the CSV import dialog (unit-tested in import-job.spec.ts).
import type { Schemas } from '@steward/api-client';

export type ImportJob = Schemas['ImportJob'];
export type ImportRowError = Schemas['ImportRowError'];

/** The largest file the dialog sends: the gateway's default IMPORT_BODY_LIMIT_BYTES (it answers 413 beyond its limit anyway). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/**
 * The file name as an `X-Filename` header value: headers carry only visible ASCII (fetch refuses
 * anything else), so other characters are percent-encoded; at most 200 characters, as the API keeps.
 */
export function filenameHeader(name: string): string {
  const plain = /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
  return (plain.trim() || 'accounts.csv').slice(0, 200);
}

/** A stored file name as people read it (undoes {@link filenameHeader}'s encoding). */
export function displayFilename(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export const isFinished = (job: Pick<ImportJob, 'status'>): boolean => job.status !== 'running';

/** The progress of a job, 0–100 (a finished job is at 100 even without rows). */
export function jobPercent(job: Pick<ImportJob, 'status' | 'processedRows' | 'totalRows'>): number {
  if (job.status === 'completed') return 100;
  if (job.totalRows <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((job.processedRows / job.totalRows) * 100)));
}

/** How long to wait before asking again: quickly at first, then every 2 s. */
export function pollDelayMs(attempt: number): number {
  return Math.min(2000, 250 * 2 ** attempt);
}

/** The row errors in file order (line, then field). */
export function sortedRowErrors(errors: readonly ImportRowError[]): ImportRowError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field));
}

/** The file name of a download from its Content-Disposition, else the fallback. */
export function attachmentFilename(contentDisposition: string | null, fallback: string): string {
  if (!contentDisposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(contentDisposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(contentDisposition);
  return plain?.[1].trim() || fallback;
}
