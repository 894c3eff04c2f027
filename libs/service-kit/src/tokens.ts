/**
 * Injection tokens of the platform, provided by the service kit to every feature module.
 * Features inject these; they never build infrastructure themselves.
 */
export const UNIT_OF_WORK = Symbol('UnitOfWork');
export const OUTBOX = Symbol('Outbox');
export const CLOCK = Symbol('Clock');
export const SERVICE_CONFIG = Symbol('ServiceConfig');
/** The service's durable job queue (`JobQueue`): enqueue in a transaction, read a job's state. */
export const JOBS = Symbol('Jobs');
/**
 * A typed `RpcClient` for calling other services: it signs every request's tenant/actor
 * context with the service's key (docs/adr/0010-signed-message-context.md). The callee must
 * be in the caller's `calls` (libs/contracts nats-access.ts), or NATS refuses the publish.
 */
export const RPC_CLIENT = Symbol('RpcClient');
/**
 * Reads another service's event stream from its beginning (`EventReplay`), verified like the
 * kit's consumers verify: for rebuilding a read model. The service must consume that source
 * (libs/contracts nats-access.ts), or NATS refuses the consumer.
 */
export const EVENT_REPLAY = Symbol('EventReplay');

/** The service's time source. Services read the time only through it, so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `at` (tests); `set` and `advance` move it. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (to) => void (t = new Date(to).getTime()),
    advance: (ms) => void (t += ms),
  };
}
