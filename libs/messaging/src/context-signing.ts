import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MsgHdrs } from 'nats';
import { HeaderNames } from '@steward/contracts';
import { logger, Metrics } from '@steward/telemetry';

/** The shortest context key accepted (bytes of its UTF-8 form). */
export const MIN_CONTEXT_KEY_BYTES = 32;

/** The context keys: the one that signs, and the one before it (still accepted while a rotation rolls out). */
export interface ContextKeys {
  current: string;
  previous?: string;
}

export interface ContextSignerOptions {
  /**
   * A request whose `Steward-Occurred-At` is further than this from the receiver's clock
   * is refused as stale (a captured request cannot be replayed later). Default 60 s.
   */
  maxAgeMs?: number;
  /** The time source (tests pin it). */
  now?: () => number;
}

/** Why a message's context was refused; `ok` when it verifies. */
export type ContextVerdict = 'ok' | 'unsigned' | 'malformed' | 'bad-signature' | 'stale';

const VERSION = 'v1';
const SIG_PREFIX = `${VERSION}=`;
// base64url of a 32-byte HMAC-SHA256
const SIG_LENGTH = SIG_PREFIX.length + 43;

/**
 * Signs and verifies the tenant/actor context a message carries in its NATS headers.
 *
 * The MAC is HMAC-SHA256 over a compact canonical string, then the body as sent:
 * `v1 \n <subject> \n` and one `<name>:<value> \n` line per `Steward-*` header in name
 * order (message id, occurred-at, tenant, actor, correlation id, encoding, …), followed by
 * the body bytes. The subject binds a signature to the subject it was made
 * for, the message id and occurred-at make each signature unique and datable (requests
 * older than `maxAgeMs` are refused), and the body binds the payload: a client that can
 * reach NATS but does not hold the key can neither act as a tenant nor reuse a captured
 * signature with another tenant, actor, subject or payload.
 *
 * One key signs (`current`); `previous` is also accepted, so a key rotates without
 * downtime: deploy everything with the new key as current and the old one as previous,
 * then drop previous (docs/adr/0010-signed-message-context.md).
 */
export class ContextSigner {
  private readonly keys: Buffer[];
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(keys: ContextKeys, options: ContextSignerOptions = {}) {
    this.keys = [keys.current, ...(keys.previous ? [keys.previous] : [])].map((k, i) => {
      const bytes = Buffer.from(k, 'utf8');
      if (bytes.length < MIN_CONTEXT_KEY_BYTES) throw new Error(`the ${i === 0 ? 'current' : 'previous'} context key must be at least ${MIN_CONTEXT_KEY_BYTES} bytes (got ${bytes.length})`);
      return bytes;
    });
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Adds the signature header for a message about to be sent on `subject` (the full wire subject). */
  sign(subject: string, headers: MsgHdrs, data: Uint8Array): void {
    headers.set(HeaderNames.signature, SIG_PREFIX + this.mac(this.keys[0]!, subject, headers, data).toString('base64url'));
  }

  /**
   * Checks a received message. `checkAge` refuses messages older (or further in the future)
   * than `maxAgeMs`: on for requests; off for events, which JetStream may deliver long after
   * they were written (consumers de-duplicate by message id instead).
   */
  verify(subject: string, headers: MsgHdrs | undefined, data: Uint8Array, { checkAge }: { checkAge: boolean }): ContextVerdict {
    const given = headers?.has(HeaderNames.signature) ? headers.get(HeaderNames.signature) : '';
    if (!given) return 'unsigned';
    if (given.length !== SIG_LENGTH || !given.startsWith(SIG_PREFIX)) return 'malformed';
    if (!headers!.get(HeaderNames.messageId) || !headers!.get(HeaderNames.occurredAt)) return 'malformed';
    const mac = Buffer.from(given.slice(SIG_PREFIX.length), 'base64url');
    if (mac.length !== 32) return 'malformed';
    if (!this.keys.some((k) => timingSafeEqual(mac, this.mac(k, subject, headers!, data)))) return 'bad-signature';
    if (checkAge) {
      const at = Date.parse(headers!.get(HeaderNames.occurredAt));
      if (!Number.isFinite(at) || Math.abs(this.now() - at) > this.maxAgeMs) return 'stale';
    }
    return 'ok';
  }

  private mac(key: Buffer, subject: string, h: MsgHdrs, data: Uint8Array): Buffer {
    let canonical = `${VERSION}\n${subject}\n`;
    for (const name of envelopeHeaderNames(h)) canonical += `${name}:${h.get(name)}\n`;
    return createHmac('sha256', key).update(canonical).update(data).digest();
  }
}

/**
 * The headers a signature covers: every `Steward-*` header but the signature itself, in
 * byte order of their names. So the envelope (message id, occurred-at, tenant, actor,
 * correlation id), the body encoding and any envelope header added later are all bound,
 * while transport headers (`traceparent`, `Nats-Msg-Id`) are not.
 */
function envelopeHeaderNames(h: MsgHdrs): string[] {
  const names: string[] = [];
  for (const name of h.keys()) if (name.startsWith('Steward-') && name !== HeaderNames.signature) names.push(name);
  return names.sort();
}

const lastLogged = new Map<string, { at: number; suppressed: number }>();

/**
 * Counts a refused message (`steward_context_rejected_total{kind, reason}`) and logs it,
 * at most one line per kind and reason every 10 s (a flood of forged messages must not
 * flood the logs too); the line says how many were not logged since the last one.
 */
export function reportRejectedContext(kind: 'request' | 'event', reason: Exclude<ContextVerdict, 'ok'>, details: { subject: string; messageId?: string; consumer?: string }): void {
  Metrics.contextRejected().inc({ kind, reason });
  const key = `${kind}:${reason}`;
  const now = Date.now();
  const last = lastLogged.get(key);
  if (last && now - last.at < 10_000) {
    last.suppressed += 1;
    return;
  }
  lastLogged.set(key, { at: now, suppressed: 0 });
  logger().warn({ ...details, kind, reason, notLoggedSinceLast: last?.suppressed ?? 0 }, `${kind} refused: its tenant/actor context is ${describe(reason)}`);
}

function describe(reason: Exclude<ContextVerdict, 'ok'>): string {
  switch (reason) {
    case 'unsigned':
      return 'not signed';
    case 'malformed':
      return 'signed in an unknown form';
    case 'bad-signature':
      return 'signed with a key this service does not accept';
    case 'stale':
      return 'signed too long ago (or too far in the future): a replay?';
  }
}
