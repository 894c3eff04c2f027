import { ErrorBody } from '@steward/contracts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A reply on the wire: either the response payload or a typed error. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decode<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}
