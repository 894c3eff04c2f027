import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids sort by creation
 * time, so lists can page by id alone and indexes stay append-mostly.
 *
 * The random bits come from `randomUUID()` (a v4 id: 122 random bits, the RFC variant
 * already set), which draws from Node's pooled entropy; `randomBytes(16)` per id went
 * to OpenSSL every time and was a visible cost of the write path (docs/benchmarks.md).
 */
export function uuidv7(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  // v4 layout: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep everything after its version digit.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
