import { headers as natsHeaders, MsgHdrs } from 'nats';
import { context as otelContext, propagation, Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { Actor, decodeActor, encodeActor, HeaderNames } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';

const setter: TextMapSetter<MsgHdrs> = { set: (carrier, key, value) => carrier.set(key, value) };
const getter: TextMapGetter<MsgHdrs> = {
  get: (carrier, key) => carrier.get(key) || undefined,
  keys: (carrier) => carrier.keys(),
};

export interface EnvelopeHeaders {
  messageId: string;
  tenantId?: string;
  actor: Actor;
  correlationId: string;
  occurredAt: string;
}

/** Writes envelope metadata and the active trace context into NATS headers. */
export function writeHeaders(e: EnvelopeHeaders, ctx: Context = otelContext.active()): MsgHdrs {
  const h = natsHeaders();
  h.set(HeaderNames.messageId, e.messageId);
  if (e.tenantId) h.set(HeaderNames.tenantId, e.tenantId);
  h.set(HeaderNames.actor, encodeActor(e.actor));
  h.set(HeaderNames.correlationId, e.correlationId);
  h.set(HeaderNames.occurredAt, e.occurredAt);
  propagation.inject(ctx, h, setter);
  return h;
}

/** Same as {@link writeHeaders} but from a plain record (the outbox stores headers as JSON). */
export function headersFromRecord(record: Record<string, string>): MsgHdrs {
  const h = natsHeaders();
  for (const [k, v] of Object.entries(record)) h.set(k, v);
  return h;
}

export function headersToRecord(h: MsgHdrs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of h.keys()) out[k] = h.get(k);
  return out;
}

/** Reads envelope metadata; missing ids are filled so a hand-sent message still gets traced and logged. */
export function readHeaders(h: MsgHdrs | undefined, fallbackId: () => string): EnvelopeHeaders {
  const get = (k: string) => (h?.has(k) ? h.get(k) : undefined) || undefined;
  const messageId = get(HeaderNames.messageId) ?? get(HeaderNames.natsMsgId) ?? fallbackId();
  return {
    messageId,
    tenantId: get(HeaderNames.tenantId),
    actor: decodeActor(get(HeaderNames.actor)),
    correlationId: get(HeaderNames.correlationId) ?? messageId,
    occurredAt: get(HeaderNames.occurredAt) ?? new Date().toISOString(),
  };
}

/** The trace context carried by a message (or the active one when none). */
export function extractTraceContext(h: MsgHdrs | undefined): Context {
  return h ? propagation.extract(otelContext.active(), h, getter) : otelContext.active();
}

export function toRequestContext(e: EnvelopeHeaders): RequestContext {
  return { tenantId: e.tenantId, actor: e.actor, correlationId: e.correlationId };
}
