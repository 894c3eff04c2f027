import { gunzipSync, gzipSync } from 'node:zlib';
import { headers as natsHeaders, MsgHdrs } from 'nats';
import { ErrorBody, ErrorCode, StewardError } from '@steward/contracts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A reply on the wire: either the response payload or a typed error. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** WARNING: wire name. Set when the body is gzip-compressed. */
export const ENCODING_HEADER = 'Steward-Encoding';
/** Bodies above this are compressed: bulk payloads (10,000 revenue rows ≈ 1.6 MB of JSON) must fit NATS's 1 MB default. */
export const COMPRESS_OVER_BYTES = 64 * 1024;

export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decode<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** JSON body, gzip-compressed when large; the header tells the other side. */
export function encodeBody(value: unknown, headers: MsgHdrs | undefined, maxPayload: number, what: string): { data: Uint8Array; headers: MsgHdrs | undefined } {
  let data = encode(value);
  if (data.length > COMPRESS_OVER_BYTES) {
    data = gzipSync(data, { level: 1 });
    headers ??= natsHeaders();
    headers.set(ENCODING_HEADER, 'gzip');
  }
  if (data.length > maxPayload) {
    throw new StewardError(ErrorCode.PayloadTooLarge, `${what} is too large to send (${data.length} bytes compressed, limit ${maxPayload})`, { bytes: data.length, limit: maxPayload });
  }
  return { data, headers };
}

export function decodeBody<T>(data: Uint8Array, headers: MsgHdrs | undefined): T {
  const gz = headers?.has(ENCODING_HEADER) && headers.get(ENCODING_HEADER) === 'gzip';
  return decode<T>(gz ? gunzipSync(data) : data);
}
